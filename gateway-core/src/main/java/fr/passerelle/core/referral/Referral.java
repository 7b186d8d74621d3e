package fr.passerelle.core.referral;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A canonical referral that passed its schema and the instruction's rules. {@code body} is the whole canonical
 * JSON document (version 1): {@code schemaVersion}, {@code type}, {@code department}, {@code urgency}, the
 * person under {@code subject} and the type's own sections. The body holds personal data: {@link #toString()}
 * never prints it. The body must not be mutated once the referral is built.
 */
public record Referral(ReferralType type, Department department, Urgency urgency, ObjectNode body) {
    public Referral {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(department, "department");
        Objects.requireNonNull(urgency, "urgency");
        Objects.requireNonNull(body, "body");
    }

    @Override
    public String toString() {
        return "Referral[type=" + type + ", department=" + department + ", urgency=" + urgency + ", body=<redacted>]";
    }
}
