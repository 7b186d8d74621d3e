package fr.passerelle.server.console;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A partner's page: the keys of its file in French, its certificates, and for an administrator the forms that edit,
 * disable it and rotate its certificate.
 *
 * @param rows         its file's keys, each a French label and value
 * @param certificates the pinned certificate, then those still accepted during a rotation's overlap
 * @param editor       the edit form (shown to role admin only)
 * @param actions      the values typed in the disable and rotation forms, by field name
 * @param errors       the problems of the disable and rotation forms, by field name
 * @param summary      the problems of the disable and rotation forms that no field holds
 */
public record PartnerPage(
        String administrator,
        boolean canChange,
        String banner,
        String id,
        String name,
        String source,
        boolean enabled,
        List<Row> rows,
        List<Certificate> certificates,
        PartnerEditor editor,
        Map<String, String> actions,
        Map<String, PartnerEditor.FieldError> errors,
        List<String> summary) {
    public PartnerPage {
        Objects.requireNonNull(administrator, "administrator");
        Objects.requireNonNull(banner, "banner");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        rows = List.copyOf(rows);
        certificates = List.copyOf(certificates);
        Objects.requireNonNull(editor, "editor");
        actions = Map.copyOf(actions);
        errors = Map.copyOf(errors);
        summary = List.copyOf(summary);
    }

    public String action(String field) {
        return actions.getOrDefault(field, "");
    }

    public PartnerEditor.FieldError error(String field) {
        return errors.getOrDefault(field, PartnerEditor.FieldError.NONE);
    }

    /** A key of the partner's file, in French. */
    public record Row(String label, String value) {}

    /**
     * A certificate that authenticates the partner.
     *
     * @param role    « certificat épinglé » or « certificat précédent »
     * @param expires when the certificate expires, or why it is not known
     * @param until   for a previous certificate, until when it is still accepted; else empty
     */
    public record Certificate(String role, String sha256, String expires, String until) {}
}
