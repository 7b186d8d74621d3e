package fr.passerelle.core.referral;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads the ISO dates of a canonical document, never letting the text out. */
public final class IsoDates {
    private IsoDates() {}

    /**
     * The date the field holds; empty when it is absent or not an ISO date (the schema reports that, without the
     * value).
     */
    public static Optional<LocalDate> of(JsonNode field) {
        if (!field.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(field.textValue()));
        } catch (DateTimeParseException e) {
            // Its message quotes the text: never let it out.
            return Optional.empty();
        }
    }
}
