package fr.passerelle.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.Recipient;
import fr.passerelle.core.config.model.Route;
import fr.passerelle.core.config.model.RouteSubject;
import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.StreamSupport;

/**
 * A route as the console's form holds it: the keys of a route of routes.yaml, as the administrator typed them.
 * Recipients are one a line: a partner's id ({@code siao-75}), a kind ({@code siao}: every one of the referral's
 * department), or a kind and an approval ({@code association agrément exit-pathway}); fields are one dotted path a
 * line; departments are separated by commas or spaces. Every text is the empty text when absent.
 *
 * @param id              the route's id
 * @param type            the referral type's code
 * @param from            the sender kinds' codes
 * @param subject         {@code adult}, {@code minor}, or empty for any
 * @param legalObligation the legal text that obliges the transmission, or empty
 * @param when            the route's condition on the referral's content as {@code field: value}, such as
 *                        {@code shelter.constraints: away-from-department}, or empty
 * @param comment         the audit comment of the change, or empty
 */
public record RouteForm(
        String id,
        String type,
        List<String> from,
        String departments,
        String to,
        String fields,
        String subject,
        String legalObligation,
        String when,
        String comment) {
    /** What separates a kind from its approval on a recipient's line. */
    static final String APPROVAL = "agrément";

    public RouteForm {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        from = List.copyOf(from);
        Objects.requireNonNull(departments, "departments");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(legalObligation, "legalObligation");
        Objects.requireNonNull(when, "when");
        Objects.requireNonNull(comment, "comment");
    }

    /** A new route's empty form. */
    static RouteForm empty() {
        return new RouteForm("", "", List.of(), "", "", "", "", "", "", "");
    }

    /** A route of the current version's routes.yaml, as its tree. */
    static RouteForm of(JsonNode route) {
        List<String> to = new ArrayList<>();
        for (JsonNode recipient : route.path("to")) {
            if (recipient.has("partner")) {
                to.add(recipient.path("partner").asText());
            } else {
                String approval = recipient.path("approval").asText("");
                to.add(recipient.path("kind").asText() + (approval.isEmpty() ? "" : " " + APPROVAL + " " + approval));
            }
        }
        String subject = route.path("subject").asText("");
        return new RouteForm(
                route.path("id").asText(""),
                route.path("type").asText(""),
                texts(route.path("from")),
                String.join(", ", texts(route.path("departments"))),
                String.join("\n", to),
                String.join("\n", texts(route.path("fields"))),
                subject.equals(RouteSubject.ANY.code()) ? "" : subject,
                route.path("legal_obligation").asText(""),
                condition(route.path("when")),
                "");
    }

    /** A route of the deployment in force, when the gateway runs without configuration versions. */
    static RouteForm of(Route route) {
        List<String> to = route.to().stream()
                .map(recipient -> recipient instanceof Recipient.ByKind byKind
                        ? byKind.kind().code()
                                + byKind.approval()
                                        .map(a -> " " + APPROVAL + " " + a)
                                        .orElse("")
                        : ((Recipient.Named) recipient).partner().value())
                .toList();
        return new RouteForm(
                route.id(),
                route.type().code(),
                route.from().stream().map(PartnerKind::code).sorted().toList(),
                String.join(
                        ", ",
                        route.departments().stream()
                                .map(Department::code)
                                .sorted()
                                .toList()),
                String.join("\n", to),
                String.join("\n", route.fields()),
                route.subject() == RouteSubject.ANY ? "" : route.subject().code(),
                route.legalObligation().orElse(""),
                route.when().map(Object::toString).orElse(""),
                "");
    }

    /** The form the administrator posted; {@code id} is the path's, or the form's own for a new route. */
    static RouteForm read(ConsoleForm form, Optional<String> id) {
        return new RouteForm(
                id.orElseGet(() -> form.value("id")),
                form.value("type"),
                form.values("from"),
                form.value("departments"),
                form.value("to"),
                form.value("fields"),
                form.value("subject"),
                form.value("legal_obligation"),
                form.value("when"),
                form.value("comment"));
    }

    /** {@code when: {field: value}} as {@code field: value}; empty when the route has none. */
    private static String condition(JsonNode when) {
        if (!when.isObject() || when.size() != 1) {
            return "";
        }
        String field = when.fieldNames().next();
        return field + ": " + when.get(field).asText();
    }

    /** The recipients' lines, blank ones left out. */
    public List<String> recipients() {
        return lines(to);
    }

    /** The fields' dotted paths, blank lines left out. */
    public List<String> fieldPaths() {
        return lines(fields);
    }

    /** The departments' codes as typed. */
    public List<String> departmentCodes() {
        return Arrays.stream(departments.split("[,;\\s]+"))
                .filter(code -> !code.isEmpty())
                .toList();
    }

    /**
     * The route's entry for {@link fr.passerelle.core.config.versions.ConfigEdits#putRoute}, or empty when a key
     * cannot even be written: then {@code errors} says why, in French, by the form field's name. What the entry
     * means (partners, kinds, fields, the safety rules) is left to the configuration's checks.
     */
    Optional<ObjectNode> entry(Map<String, String> errors) {
        ObjectNode entry = JsonNodeFactory.instance.objectNode();
        Optional<ReferralType> referralType = ReferralType.find(type).filter(ReferralType::routed);
        if (referralType.isEmpty()) {
            errors.put("type", "Choisir un type de la liste.");
        } else {
            entry.put("type", type);
        }
        ArrayNode senders = entry.putArray("from");
        from.forEach(senders::add);
        List<String> codes = departmentCodes();
        List<String> wrong = codes.stream().filter(code -> !isDepartment(code)).toList();
        if (!wrong.isEmpty()) {
            errors.put(
                    "departments",
                    "« " + String.join(" », « ", wrong) + " » n'est pas un numéro de département : saisir par"
                            + " exemple 75, 2A ou 974, séparés par des virgules.");
        } else if (!codes.isEmpty()) {
            ArrayNode departmentsNode = entry.putArray("departments");
            codes.forEach(departmentsNode::add);
        }
        if (!subject.isEmpty()) {
            if (RouteSubject.find(subject).isEmpty()) {
                errors.put("subject", "Choisir une personne concernée de la liste.");
            } else if (!subject.equals(RouteSubject.ANY.code())) {
                entry.put("subject", subject);
            }
        }
        if (!legalObligation.isEmpty()) {
            entry.put("legal_obligation", legalObligation);
        }
        if (!when.isBlank()) {
            int colon = when.indexOf(':');
            if (colon <= 0 || when.substring(colon + 1).isBlank()) {
                errors.put(
                        "when",
                        "Écrire le champ et la valeur attendue séparés par deux-points, par exemple"
                                + " shelter.constraints: away-from-department, ou laisser vide.");
            } else {
                entry.putObject("when")
                        .put(
                                when.substring(0, colon).strip(),
                                when.substring(colon + 1).strip());
            }
        }
        ArrayNode recipients = entry.putArray("to");
        for (String line : recipients()) {
            Optional<ObjectNode> recipient = recipient(line);
            if (recipient.isEmpty()) {
                errors.put(
                        "to",
                        "La ligne « " + line + " » n'est pas un destinataire : écrire l'identifiant d'un partenaire"
                                + " (siao-75), une nature (siao) ou une nature et un agrément (association "
                                + APPROVAL + " exit-pathway).");
                break;
            }
            recipients.add(recipient.get());
        }
        ArrayNode paths = entry.putArray("fields");
        fieldPaths().forEach(paths::add);
        return errors.isEmpty() ? Optional.of(entry) : Optional.empty();
    }

    private static Optional<ObjectNode> recipient(String line) {
        String[] words = line.split("\\s+");
        ObjectNode recipient = JsonNodeFactory.instance.objectNode();
        if (words.length == 1) {
            return Optional.of(isKind(words[0]) ? recipient.put("kind", words[0]) : recipient.put("partner", words[0]));
        }
        if (words.length == 3 && words[1].equals(APPROVAL) && isKind(words[0])) {
            return Optional.of(recipient.put("kind", words[0]).put("approval", words[2]));
        }
        return Optional.empty();
    }

    private static boolean isKind(String code) {
        return Arrays.stream(PartnerKind.values()).anyMatch(kind -> kind.code().equals(code));
    }

    private static boolean isDepartment(String code) {
        try {
            Department.of(code);
            return true;
        } catch (GatewayException | IllegalArgumentException e) {
            return false;
        }
    }

    private static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::asText)
                .toList();
    }
}
