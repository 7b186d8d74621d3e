package fr.passerelle.server.console;

import fr.passerelle.core.config.ConfigProblem;
import fr.passerelle.core.config.versions.ConfigEdits;
import fr.passerelle.core.partner.PartnerId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Places the problems that the configuration checks found in a partner's generated file beside the fields of the
 * console's form: a problem's line in {@code partners/<id>.yaml} names the key written on it, or the key of the
 * block it stands in; a problem of {@code partners/<id>.pem} goes to the pasted certificate. Problems of the file
 * as a whole, and of other files (routes.yaml...), go to the summary.
 *
 * @param fields  by form field, the checks' messages (in English, as they are)
 * @param summary the other problems, {@code file:line: error: message (fix: ...)}
 */
record ProblemFields(Map<String, List<String>> fields, List<String> summary) {
    private static final Pattern TOP = Pattern.compile("^([a-z_0-9]+):");
    private static final Pattern NESTED = Pattern.compile("^  ([a-z_0-9]+):");
    private static final Map<String, String> FIELDS = Map.ofEntries(
            Map.entry("id", "id"),
            Map.entry("name", "name"),
            Map.entry("departments", "departments"),
            Map.entry("may_send", "may_send"),
            Map.entry("inbound", "inbound"),
            Map.entry("outbound", "outbound"),
            Map.entry("enabled", "enabled"),
            Map.entry("signed_submissions", "signed_submissions"),
            Map.entry("envelope", "envelope"),
            Map.entry("approvals", "approvals"),
            Map.entry("delivery", "transport"),
            Map.entry("delivery.transport", "transport"),
            Map.entry("delivery.url", "url"),
            Map.entry("delivery.address", "address"),
            Map.entry("delivery.max_attempts", "max_attempts"),
            Map.entry("delivery.max_age_hours", "max_age_hours"),
            Map.entry("certificate", "sha256"),
            Map.entry("certificate.sha256", "sha256"));

    ProblemFields {
        fields = Map.copyOf(fields);
        summary = List.copyOf(summary);
    }

    /**
     * @param text     the text of {@code partners/<id>.yaml} that the checks read
     * @param renamed  how this form names the fields, when not as {@link #FIELDS} does (the rotation form's
     *                 {@code new_sha256}, say); a field it maps to the empty text goes to the summary
     */
    static ProblemFields place(
            List<ConfigProblem> problems, PartnerId id, String text, Map<String, String> renamed, String pemField) {
        String yaml = ConfigEdits.partnerFile(id);
        String pem = ConfigEdits.certificateFile(id);
        List<String> lines = text.lines().toList();
        Map<String, List<String>> fields = new LinkedHashMap<>();
        List<String> summary = new ArrayList<>();
        for (ConfigProblem problem : problems) {
            String file = problem.file().toString().replace('\\', '/');
            String field = "";
            if (file.equals(yaml) && problem.line() > 0) {
                String key = key(lines, problem.line());
                field = renamed.getOrDefault(key, FIELDS.getOrDefault(key, ""));
            } else if (file.equals(pem)) {
                field = pemField;
            }
            if (field.isEmpty()) {
                summary.add(problem.toString());
            } else {
                fields.computeIfAbsent(field, f -> new ArrayList<>()).add(message(problem));
            }
        }
        return new ProblemFields(fields, summary);
    }

    /** The key written on line {@code number} (from 1), or of the block it stands in: {@code delivery.url}. */
    static String key(List<String> lines, int number) {
        String top = "";
        String nested = "";
        for (int i = 0; i < Math.min(number, lines.size()); i++) {
            String line = lines.get(i);
            Matcher topKey = TOP.matcher(line);
            Matcher nestedKey = NESTED.matcher(line);
            if (topKey.find()) {
                top = topKey.group(1);
                nested = "";
            } else if (nestedKey.find()) {
                nested = nestedKey.group(1);
            }
        }
        return nested.isEmpty() ? top : top + "." + nested;
    }

    private static String message(ConfigProblem problem) {
        return problem.message() + (problem.fix().isEmpty() ? "" : " (fix: " + problem.fix() + ")");
    }
}
