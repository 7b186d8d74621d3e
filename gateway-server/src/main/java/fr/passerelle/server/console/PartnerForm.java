package fr.passerelle.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A partner's entry as the console's form holds it, every field as typed, and its translation into the keys of
 * {@code partners/<id>.yaml} that the admin API's {@code PUT /admin/v1/partners/{id}} takes. What the form alone
 * can tell (a department code, an empty name, a URL) is reported in French beside its field; the rest is the
 * configuration checks' business.
 *
 * @param departments INSEE codes separated by commas or spaces; empty for a national partner
 * @param maySend     the codes of the referral types ticked
 * @param enabled     {@code true} or {@code false}
 * @param approvals   one approval a line: code, department, expiry date (AAAA-MM-JJ)
 * @param pem         a certificate to install with the entry (PEM), or empty
 */
public record PartnerForm(
        String kind,
        String id,
        String name,
        String departments,
        List<String> maySend,
        String inbound,
        String outbound,
        String enabled,
        String signedSubmissions,
        String envelope,
        String transport,
        String url,
        String address,
        String maxAttempts,
        String maxAgeHours,
        String sha256,
        String pem,
        String approvals) {
    static final Pattern FINGERPRINT = Pattern.compile("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){31}");
    private static final Pattern SEPARATORS = Pattern.compile("[\\s,;]+");

    public PartnerForm {
        maySend = List.copyOf(maySend);
        for (String text : List.of(
                kind,
                id,
                name,
                departments,
                inbound,
                outbound,
                enabled,
                signedSubmissions,
                envelope,
                transport,
                url,
                address,
                maxAttempts,
                maxAgeHours,
                sha256,
                pem,
                approvals)) {
            Objects.requireNonNull(text, "a field of the partner form");
        }
    }

    /** The empty form of a new partner: canonical JSON, its inbox, enabled. */
    static PartnerForm blank() {
        return new PartnerForm(
                "",
                "",
                "",
                "",
                List.of(),
                "canonical-json",
                "canonical-json",
                "true",
                "optional",
                "aes-256-gcm",
                "inbox",
                "",
                "",
                "",
                "",
                "",
                "",
                "");
    }

    /** The fields as the administrator posted them. */
    static PartnerForm read(ConsoleForm form) {
        return new PartnerForm(
                form.value("kind"),
                form.value("id"),
                form.value("name"),
                form.value("departments"),
                form.values("may_send"),
                form.value("inbound"),
                form.value("outbound"),
                form.value("enabled"),
                form.value("signed_submissions"),
                form.value("envelope"),
                form.value("transport"),
                form.value("url"),
                form.value("address"),
                form.value("max_attempts"),
                form.value("max_age_hours"),
                form.value("sha256"),
                form.value("pem"),
                form.value("approvals"));
    }

    /** The fields of an entry that is already in the configuration, to edit it. */
    static PartnerForm of(PartnerId id, JsonNode entry) {
        JsonNode delivery = entry.path("delivery");
        List<String> approvals = new ArrayList<>();
        for (JsonNode approval : entry.path("approvals")) {
            approvals.add(approval.path("code").asText("") + " "
                    + approval.path("department").asText("") + " "
                    + approval.path("expires").asText(""));
        }
        return new PartnerForm(
                id.kind().code(),
                id.value(),
                entry.path("name").asText(""),
                String.join(", ", PartnerViews.texts(entry.path("departments"))),
                PartnerViews.texts(entry.path("may_send")),
                entry.path("inbound").asText(""),
                entry.path("outbound").asText(""),
                Boolean.toString(entry.path("enabled").asBoolean(true)),
                entry.path("signed_submissions").asText("optional"),
                entry.path("envelope").asText("aes-256-gcm"),
                delivery.path("transport").asText("inbox"),
                delivery.path("url").asText(""),
                delivery.path("address").asText(""),
                delivery.path("max_attempts").asText(""),
                delivery.path("max_age_hours").asText(""),
                entry.path("certificate").path("sha256").asText(""),
                "",
                String.join("\n", approvals));
    }

    /** The same fields for partner {@code partner}: its id and kind, whatever the form sent. */
    PartnerForm withId(PartnerId partner) {
        return new PartnerForm(
                partner.kind().code(),
                partner.value(),
                name,
                departments,
                maySend,
                inbound,
                outbound,
                enabled,
                signedSubmissions,
                envelope,
                transport,
                url,
                address,
                maxAttempts,
                maxAgeHours,
                sha256,
                pem,
                approvals);
    }

    /**
     * What the form asks for.
     *
     * @param id     the partner's id, when the form gives a valid one
     * @param entry  the keys of its file (without {@code id}), when the id is valid: built even when another field
     *               has an error, so that the checks can report the rest
     * @param errors by field name, what the form alone tells is wrong, in French
     */
    record Parsed(Optional<PartnerId> id, Optional<ObjectNode> entry, Map<String, String> errors) {
        Parsed {
            errors = Map.copyOf(errors);
        }
    }

    /**
     * Translates the form into an entry.
     *
     * @param existing the entry it replaces, whose keys the form does not show ({@code limits},
     *                 {@code certificate.previous}) it keeps; empty for a new partner
     * @param taken    the ids of the partners of the current version, which a new partner may not take
     */
    Parsed parse(Optional<ObjectNode> existing, Set<PartnerId> taken) {
        Map<String, String> errors = new LinkedHashMap<>();
        Optional<PartnerId> partner = partnerId(existing.isEmpty(), taken, errors);
        ObjectNode entry = existing.map(ObjectNode::deepCopy).orElseGet(JsonNodeFactory.instance::objectNode);
        entry.remove("id");
        if (name.isEmpty()) {
            errors.put("name", "Saisir le nom complet de l'unité, tel que les destinataires le liront.");
        }
        entry.put("name", name);
        ArrayNode codes = entry.putArray("departments");
        for (String code : split(departments)) {
            codes.add(code);
            try {
                Department.of(code);
            } catch (GatewayException e) {
                errors.putIfAbsent(
                        "departments",
                        "« " + shown(code) + " » n'est pas un département : saisir des codes INSEE séparés par des"
                                + " virgules, de 01 à 95, 2A, 2B, 971 à 974 ou 976 (Mayotte) ; rien pour un"
                                + " partenaire national.");
            }
        }
        ArrayNode types = entry.putArray("may_send");
        for (String code : maySend) {
            types.add(code);
            if (ReferralType.find(code).isEmpty()) {
                errors.put("may_send", "Cocher des types de la liste.");
            }
        }
        entry.put("inbound", inbound);
        entry.put("outbound", outbound);
        if (!enabled.equals("true") && !enabled.equals("false")) {
            errors.put("enabled", "Choisir « actif » ou « désactivé ».");
        }
        entry.put("enabled", !enabled.equals("false"));
        entry.put("signed_submissions", signedSubmissions);
        entry.put("envelope", envelope);
        entry.set("delivery", delivery(errors));
        certificate(entry, errors);
        approvals(entry, errors);
        return new Parsed(partner, partner.map(p -> entry), errors);
    }

    private Optional<PartnerId> partnerId(boolean creating, Set<PartnerId> taken, Map<String, String> errors) {
        if (!creating) {
            return Optional.of(PartnerId.of(id));
        }
        Optional<PartnerKind> chosen = PartnerKinds.find(kind);
        if (chosen.isEmpty()) {
            errors.put("kind", "Choisir la nature du partenaire dans la liste.");
        }
        String example = chosen.map(PartnerKind::code).orElse("association") + "-976-mahoraise";
        if (id.isEmpty()) {
            errors.put("id", "Saisir l'identifiant, par exemple " + example + ".");
            return Optional.empty();
        }
        PartnerId partner;
        try {
            partner = PartnerId.of(id);
        } catch (GatewayException e) {
            errors.put(
                    "id",
                    "Identifiant non valable : la nature, un tiret, puis des mots en minuscules, chiffres et"
                            + " tirets (63 caractères au plus), par exemple " + example + ".");
            return Optional.empty();
        }
        if (chosen.isPresent() && partner.kind() != chosen.get()) {
            errors.put("id", "L'identifiant commence par la nature choisie : " + example + ".");
            return Optional.empty();
        }
        if (taken.contains(partner)) {
            errors.put("id", "Le partenaire " + partner + " existe déjà : ouvrir sa page pour le modifier.");
            return Optional.empty();
        }
        return Optional.of(partner);
    }

    private ObjectNode delivery(Map<String, String> errors) {
        ObjectNode delivery = JsonNodeFactory.instance.objectNode().put("transport", transport);
        if (transport.equals("https")) {
            delivery.put("url", url);
            if (!isHttpsUrl(url)) {
                errors.put(
                        "url",
                        "Saisir l'adresse complète qui reçoit les envois, en https://, par exemple"
                                + " https://siao.example.fr/passerelle/referrals.");
            }
        } else if (!url.isEmpty()) {
            errors.put("url", "L'adresse d'envoi ne sert qu'au transport « Envoi HTTPS » : la laisser vide.");
        }
        if (transport.equals("mail")) {
            delivery.put("address", address);
            if (!address.matches("[^@\\s<>\"]+@[^@\\s<>\"]+\\.[^@\\s<>\"]+")) {
                errors.put("address", "Saisir la boîte aux lettres seule, par exemple accueil@association.example.");
            }
        } else if (!address.isEmpty()) {
            errors.put("address", "L'adresse de courriel ne sert qu'au transport « Courriel » : la laisser vide.");
        }
        whole(delivery, "max_attempts", maxAttempts, 1, 100, "tentatives", errors);
        whole(delivery, "max_age_hours", maxAgeHours, 1, 720, "heures", errors);
        return delivery;
    }

    private static void whole(
            ObjectNode delivery, String key, String text, int min, int max, String unit, Map<String, String> errors) {
        if (text.isEmpty()) {
            return;
        }
        try {
            int value = Integer.parseInt(text);
            delivery.put(key, value);
            if (value >= min && value <= max) {
                return;
            }
        } catch (NumberFormatException e) {
            delivery.put(key, text);
        }
        errors.put(
                key,
                "Saisir un nombre entier de " + min + " à " + max + " " + unit
                        + ", ou rien pour la valeur de gateway.yaml.");
    }

    private void certificate(ObjectNode entry, Map<String, String> errors) {
        JsonNode existing = entry.path("certificate");
        ObjectNode certificate =
                existing.isObject() ? ((ObjectNode) existing).deepCopy() : JsonNodeFactory.instance.objectNode();
        if (!sha256.isEmpty() && !FINGERPRINT.matcher(sha256).matches()) {
            errors.put(
                    "sha256",
                    "Saisir l'empreinte SHA-256 du certificat : 32 paires de chiffres hexadécimaux séparées par"
                            + " deux-points (AA:BB:…), ou rien pour celle du certificat collé.");
        }
        // Without a fingerprint, putPartner pins the pasted certificate's, or the gateway adopts its file's.
        certificate.remove("sha256");
        if (!sha256.isEmpty()) {
            certificate.put("sha256", sha256);
        }
        if (!pem.isEmpty()) {
            certificate.put("pem", pem);
            if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
                errors.put(
                        "pem",
                        "Coller un certificat au format PEM, de -----BEGIN CERTIFICATE----- à -----END"
                                + " CERTIFICATE-----.");
            }
        }
        if (certificate.isEmpty()) {
            entry.remove("certificate");
        } else {
            entry.set("certificate", certificate);
        }
    }

    private void approvals(ObjectNode entry, Map<String, String> errors) {
        entry.remove("approvals");
        List<String> lines =
                approvals.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (lines.isEmpty()) {
            return;
        }
        ArrayNode list = entry.putArray("approvals");
        for (String line : lines) {
            List<String> parts = split(line);
            ObjectNode approval = list.addObject();
            if (parts.size() != 3) {
                errors.put(
                        "approvals",
                        "Écrire un agrément par ligne : son code, son département et sa date de fin, par exemple"
                                + " « exit-pathway 976 2028-06-30 ».");
                continue;
            }
            approval.put("code", parts.get(0)).put("department", parts.get(1)).put("expires", parts.get(2));
            try {
                Department.of(parts.get(1));
                LocalDate.parse(parts.get(2));
            } catch (GatewayException | DateTimeParseException e) {
                errors.put(
                        "approvals",
                        "L'agrément « " + shown(line) + " » n'a pas un département valable ou une date au format"
                                + " AAAA-MM-JJ.");
            }
        }
    }

    private static boolean isHttpsUrl(String text) {
        try {
            URI uri = new URI(text);
            return "https".equals(uri.getScheme()) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static List<String> split(String text) {
        return SEPARATORS.splitAsStream(text).filter(s -> !s.isEmpty()).toList();
    }

    /** A value typed in the form, cut short to be quoted in a message. */
    private static String shown(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
