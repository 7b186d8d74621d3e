package fr.passerelle.server.console;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the referral search page shows, already in French and in each referral's department's time: the template
 * only places it. Metadata only, never a field of a referral's document.
 *
 * @param administrator the id of the administrator who looks
 * @param form          the search as the administrator typed it, to fill the form again
 * @param errors        by field name (or {@code after} for the paging), what is wrong with it, in French
 * @param types         the types the administrator may search, as options of the form
 * @param states        the referral states, as options of the form
 * @param lines         the referrals found, newest first; empty when the form has an error
 * @param next          the link to the following page, or empty when this page is the last
 */
public record Signalements(
        String administrator,
        Form form,
        Map<String, String> errors,
        List<Option> types,
        List<Option> states,
        List<Line> lines,
        String next) {
    public Signalements {
        Objects.requireNonNull(administrator, "administrator");
        Objects.requireNonNull(form, "form");
        errors = Map.copyOf(errors);
        types = List.copyOf(types);
        states = List.copyOf(states);
        lines = List.copyOf(lines);
        Objects.requireNonNull(next, "next");
    }

    /** The error of {@code field}, or the empty text. */
    public String error(String field) {
        return errors.getOrDefault(field, "");
    }

    /** The search's fields as typed, each the empty text when absent. */
    public record Form(
            String id, String type, String department, String state, String partner, String from, String to) {
        public Form {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(department, "department");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(partner, "partner");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    /** A choice of a select: its code and its French label. */
    public record Option(String code, String label) {}

    /**
     * One referral found.
     *
     * @param shortId     the first 8 hex digits of its id, as an operator reads it aloud
     * @param type        its type in French
     * @param submittedAt when it was submitted, in its department's time, with the zone when not Paris's
     * @param status      its state in French
     */
    public record Line(
            String id,
            String shortId,
            String type,
            String department,
            String urgency,
            String sender,
            String submittedAt,
            String status,
            List<Recipient> recipients) {
        public Line {
            recipients = List.copyOf(recipients);
        }
    }

    /** A recipient and the state of its copy, in French. */
    public record Recipient(String partner, String state) {}
}
