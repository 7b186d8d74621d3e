package fr.passerelle.core.config.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * The one test a route may make on a referral's content ({@code when:} in routes.yaml): the field at
 * {@code field} (a dotted path of the type's canonical schema) equals {@code value}, or, for a list, holds it;
 * a boolean field compares as {@code true} or {@code false}. Such as {@code shelter.constraints:
 * away-from-department}: the person must be sheltered away from the department.
 */
public record RouteCondition(String field, String value) {
    public RouteCondition {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(value, "value");
    }

    /** Whether {@code document}, a canonical referral, meets the condition; a missing field never does. */
    public boolean holds(JsonNode document) {
        JsonNode node = document.at("/" + field.replace('.', '/'));
        if (node.isArray()) {
            for (JsonNode item : node) {
                if (matches(item)) {
                    return true;
                }
            }
            return false;
        }
        return matches(node);
    }

    private boolean matches(JsonNode node) {
        return (node.isTextual() || node.isBoolean() || node.isNumber())
                && node.asText().equals(value);
    }

    /** As routes.yaml writes it: {@code shelter.constraints: away-from-department}. */
    @Override
    public String toString() {
        return field + ": " + value;
    }
}
