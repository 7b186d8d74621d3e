package fr.passerelle.server.console;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The partner form as a page shows it: to create a partner, or to edit one (its id fixed), with what the
 * administrator typed and each problem beside its field.
 *
 * @param creating whether the form creates a partner (else its id and kind are fixed)
 * @param action   where the form posts
 * @param errors   by field name, what is wrong with it
 * @param summary  the problems no field holds ({@code file:line: error: ...}, in English)
 */
public record PartnerEditor(
        boolean creating,
        String action,
        PartnerForm form,
        Map<String, FieldError> errors,
        List<String> summary,
        Choices choices,
        String csrf) {
    public PartnerEditor {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(form, "form");
        errors = Map.copyOf(errors);
        summary = List.copyOf(summary);
        Objects.requireNonNull(choices, "choices");
        Objects.requireNonNull(csrf, "csrf");
    }

    /** The error of {@code field}, or {@link FieldError#NONE}. */
    public FieldError error(String field) {
        return errors.getOrDefault(field, FieldError.NONE);
    }

    public boolean refused() {
        return !errors.isEmpty() || !summary.isEmpty();
    }

    /**
     * What is wrong with a field: in French, and what the configuration checks said of it, in English as they
     * say it (empty when the form alone found it).
     */
    public record FieldError(String message, String detail) {
        public static final FieldError NONE = new FieldError("", "");

        public FieldError {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(detail, "detail");
        }

        public boolean present() {
            return !message.isEmpty();
        }
    }

    /** The closed lists of the form's selects and boxes: codes and their French labels. */
    public record Choices(
            List<Signalements.Option> kinds,
            List<Signalements.Option> types,
            List<Signalements.Option> inbound,
            List<Signalements.Option> outbound,
            List<Signalements.Option> transports) {
        public Choices {
            kinds = List.copyOf(kinds);
            types = List.copyOf(types);
            inbound = List.copyOf(inbound);
            outbound = List.copyOf(outbound);
            transports = List.copyOf(transports);
        }
    }
}
