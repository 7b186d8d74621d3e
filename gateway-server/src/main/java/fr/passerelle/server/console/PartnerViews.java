package fr.passerelle.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.config.versions.ConfigEdits;
import fr.passerelle.core.config.versions.FileSet;
import fr.passerelle.core.crypto.Fingerprints;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A partner's entry in French, for the partners' pages: its line of the list, its keys as a table, its
 * certificates. Read from the files of a configuration version (any key, even one the console does not know), or
 * from the running deployment when the configuration has no versions. Dates in Paris time.
 */
final class PartnerViews {
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("d MMMM yyyy 'à' HH:mm", Locale.FRANCE).withZone(DashboardEndpoint.PARIS);
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.FRANCE).withZone(DashboardEndpoint.PARIS);
    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("id", "Identifiant"),
            Map.entry("name", "Nom"),
            Map.entry("departments", "Départements desservis"),
            Map.entry("may_send", "Types qu'il peut déposer"),
            Map.entry("receives", "Seuls types qu'il reçoit par nature"),
            Map.entry("inbound", "Adaptateur de ses dépôts"),
            Map.entry("outbound", "Adaptateur de ce qu'il reçoit"),
            Map.entry("enabled", "État"),
            Map.entry("signed_submissions", "Dépôts signés (CMS)"),
            Map.entry("envelope", "Chiffrement de ce qu'il reçoit"),
            Map.entry("delivery", "Réception"),
            Map.entry("certificate", "Certificat"),
            Map.entry("approvals", "Agréments préfectoraux"),
            Map.entry("limits", "Quotas propres"));

    private PartnerViews() {}

    /** The partner's line of the list, from its file in a version. */
    static PartnerList.Line line(PartnerId id, JsonNode entry, FileSet files, Instant now) {
        return new PartnerList.Line(
                id.value(),
                entry.path("name").asText(""),
                PartnerKinds.label(id.kind()),
                departments(texts(entry.path("departments"))),
                PartnerKinds.transport(entry.path("delivery").path("transport").asText("inbox")),
                entry.path("enabled").asBoolean(true),
                certificate(files, id).map(c -> expiry(c, now)).orElse("aucun fichier de certificat"),
                rotation(entry, now));
    }

    /** The partner's line of the list, from the running deployment. */
    static PartnerList.Line line(Partner partner, Instant now) {
        String rotation = partner.previousCertificates().stream()
                .map(Partner.PreviousCertificate::until)
                .filter(now::isBefore)
                .max(Instant::compareTo)
                .map(until -> "rotation en cours jusqu'au " + DATE_TIME.format(until))
                .orElse("");
        return new PartnerList.Line(
                partner.id().value(),
                partner.name(),
                PartnerKinds.label(partner.kind()),
                departments(partner.departments().stream()
                        .map(d -> d.code())
                        .sorted()
                        .toList()),
                PartnerKinds.transport(partner.delivery().transport()),
                partner.enabled(),
                partner.certificate().map(c -> expiry(c, now)).orElse("aucun fichier de certificat"),
                rotation);
    }

    /** Every key of the partner's file, in French, in the file's order. */
    static List<PartnerPage.Row> rows(JsonNode entry) {
        List<PartnerPage.Row> rows = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> keys = entry.fields(); keys.hasNext(); ) {
            Map.Entry<String, JsonNode> key = keys.next();
            String label = LABELS.getOrDefault(key.getKey(), key.getKey());
            rows.add(new PartnerPage.Row(label, value(key.getKey(), key.getValue())));
        }
        return rows;
    }

    /**
     * A running partner as the keys of its file, for a gateway without configuration versions (the quotas of
     * {@code limits:} left out).
     */
    static ObjectNode tree(Partner partner) {
        ObjectNode entry =
                JsonNodeFactory.instance.objectNode().put("id", partner.id().value());
        entry.put("name", partner.name());
        ArrayNode departments = entry.putArray("departments");
        partner.departments().stream().map(Department::code).sorted().forEach(departments::add);
        ArrayNode types = entry.putArray("may_send");
        partner.maySend().stream().map(ReferralType::code).sorted().forEach(types::add);
        if (!partner.receives().isEmpty()) {
            ArrayNode receives = entry.putArray("receives");
            partner.receives().stream().map(ReferralType::code).sorted().forEach(receives::add);
        }
        entry.put("inbound", partner.inboundAdapter())
                .put("outbound", partner.outboundAdapter())
                .put("enabled", partner.enabled())
                .put("signed_submissions", partner.signedSubmissionsRequired() ? "required" : "optional")
                .put("envelope", partner.envelope().code());
        ObjectNode delivery =
                entry.putObject("delivery").put("transport", partner.delivery().transport());
        new TreeMap<>(partner.delivery().options()).forEach(delivery::put);
        partner.delivery().maxAttempts().ifPresent(n -> delivery.put("max_attempts", n));
        partner.delivery().maxAge().ifPresent(age -> delivery.put("max_age_hours", age.toHours()));
        ObjectNode certificate = entry.putObject("certificate");
        partner.certificateSha256().ifPresent(sha256 -> certificate.put("sha256", sha256));
        if (!partner.previousCertificates().isEmpty()) {
            ArrayNode previous = certificate.putArray("previous");
            partner.previousCertificates().forEach(p -> previous.addObject()
                    .put("sha256", p.sha256())
                    .put("until", p.until().toString()));
        }
        if (!partner.approvals().isEmpty()) {
            ArrayNode approvals = entry.putArray("approvals");
            partner.approvals().forEach(a -> approvals
                    .addObject()
                    .put("code", a.code())
                    .put("department", a.department().code())
                    .put("expires", a.expires().toString()));
        }
        return entry;
    }

    /** The pinned certificate (its file's, when there is one), then the previous ones still in the entry. */
    static List<PartnerPage.Certificate> certificates(JsonNode entry, Optional<X509Certificate> file, Instant now) {
        List<PartnerPage.Certificate> certificates = new ArrayList<>();
        String pinned = entry.path("certificate").path("sha256").asText("").strip();
        String sha256 = !pinned.isEmpty()
                ? pinned.toUpperCase(Locale.ROOT)
                : file.map(Fingerprints::sha256).orElse("");
        if (!sha256.isEmpty() || file.isPresent()) {
            String expires = file.filter(c -> Fingerprints.sha256(c).equalsIgnoreCase(sha256))
                    .map(c -> expiry(c, now))
                    .orElse("inconnue : aucun fichier de ce certificat");
            certificates.add(new PartnerPage.Certificate(
                    "Certificat épinglé", sha256.isEmpty() ? "non épinglée" : sha256, expires, ""));
        }
        for (JsonNode previous : entry.path("certificate").path("previous")) {
            String until = previous.path("until").asText("");
            String accepted = parse(until)
                    .map(at -> (now.isBefore(at) ? "accepté jusqu'au " : "chevauchement terminé le ")
                            + DATE_TIME.format(at))
                    .orElse(until);
            certificates.add(new PartnerPage.Certificate(
                    "Certificat précédent", previous.path("sha256").asText(""), "—", accepted));
        }
        return certificates;
    }

    /** The certificate of {@code partners/<id>.pem} in the version, if it has one that reads. */
    static Optional<X509Certificate> certificate(FileSet files, PartnerId id) {
        String name = ConfigEdits.certificateFile(id);
        return files.text(name).flatMap(pem -> {
            try {
                return PemFiles.parseCertificates(Path.of(name), pem.getBytes(StandardCharsets.US_ASCII)).stream()
                        .findFirst();
            } catch (GatewayException e) {
                return Optional.empty();
            }
        });
    }

    static String dateTime(Instant at) {
        return DATE_TIME.format(at);
    }

    private static String rotation(JsonNode entry, Instant now) {
        Optional<Instant> last = Optional.empty();
        for (JsonNode previous : entry.path("certificate").path("previous")) {
            Optional<Instant> until = parse(previous.path("until").asText("")).filter(now::isBefore);
            if (until.isPresent() && (last.isEmpty() || until.get().isAfter(last.get()))) {
                last = until;
            }
        }
        return last.map(until -> "rotation en cours jusqu'au " + DATE_TIME.format(until))
                .orElse("");
    }

    private static String expiry(X509Certificate certificate, Instant now) {
        Instant notAfter = certificate.getNotAfter().toInstant();
        return (notAfter.isBefore(now) ? "expiré le " : "expire le ") + DATE.format(notAfter);
    }

    private static String departments(List<String> codes) {
        return codes.isEmpty() ? "national" : String.join(", ", codes);
    }

    private static String value(String key, JsonNode value) {
        return switch (key) {
            case "departments" -> departments(texts(value));
            case "may_send", "receives" -> String.join(
                    " ; ",
                    texts(value).stream()
                            .map(code -> ReferralType.find(code)
                                    .map(t -> t.frenchTitle() + " (" + code + ")")
                                    .orElse(code))
                            .toList());
            case "enabled" -> value.asBoolean(true) ? "actif" : "désactivé";
            case "signed_submissions" -> value.asText().equals("required")
                    ? "exigés : un dépôt sans signature est refusé"
                    : "facultatifs : une signature présente est vérifiée";
            case "delivery" -> delivery(value);
            case "certificate" -> certificate(value);
            case "approvals" -> approvals(value);
            default -> flat(value);
        };
    }

    private static String delivery(JsonNode delivery) {
        List<String> parts = new ArrayList<>();
        parts.add(PartnerKinds.transport(delivery.path("transport").asText("inbox")));
        delivery.fields().forEachRemaining(option -> {
            if (!option.getKey().equals("transport")) {
                parts.add(option.getKey() + " : " + flat(option.getValue()));
            }
        });
        return String.join(" ; ", parts);
    }

    private static String certificate(JsonNode certificate) {
        String sha256 = certificate.path("sha256").asText("");
        int previous = certificate.path("previous").size();
        return "empreinte " + (sha256.isEmpty() ? "prise du fichier de certificat" : sha256)
                + (previous == 0 ? "" : " ; " + previous + " certificat(s) précédent(s) en chevauchement");
    }

    private static String approvals(JsonNode approvals) {
        List<String> parts = new ArrayList<>();
        for (JsonNode approval : approvals) {
            parts.add(approval.path("code").asText("") + " en "
                    + approval.path("department").asText("") + " jusqu'au "
                    + approval.path("expires").asText(""));
        }
        return parts.isEmpty() ? "aucun" : String.join(" ; ", parts);
    }

    private static String flat(JsonNode value) {
        if (value.isValueNode()) {
            return value.asText();
        }
        List<String> parts = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(item -> parts.add(flat(item)));
        } else {
            value.fields().forEachRemaining(field -> parts.add(field.getKey() + " : " + flat(field.getValue())));
        }
        return String.join(", ", parts);
    }

    static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    private static Optional<Instant> parse(String instant) {
        try {
            return Optional.of(Instant.parse(instant));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
