package fr.passerelle.tools.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.crypto.ClientTls;
import fr.passerelle.core.referral.Department;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The demo's third act, the protection register: an association asks the prefecture for a victim's reflection
 * period; the prefecture answers with the récépissé; then it sends the police a removal objective about the same
 * person, her name written with other accents and casing, declaring no reflection period: the gateway holds it, and
 * the prefecture (sender and trafficking referent) and the association are told; a removal objective about another
 * person who shares only the family name goes through; one about a namesake without birth date is held, and an
 * administrator releases it as "not the same person", after which the police receive it. Every person is invented.
 */
final class ProtectionAct {
    static final String ASSOCIATION = "association-75-amarante";
    static final String PREFECTURE = "prefecture-75";
    static final String POLICE = "police-75-brp";

    private final Path config;
    private final Path pki;
    private final URI base;
    private final X509Certificate gatewaySigner;
    private final Function<String, PartnerClient> clients;
    private final PartnerSystemsAct.Report report;
    private final DemoInbox inbox;
    private int referrals;
    private int holds;
    private int releases;

    ProtectionAct(
            Path config,
            Path pki,
            URI base,
            X509Certificate gatewaySigner,
            Function<String, PartnerClient> clients,
            PartnerSystemsAct.Report report) {
        this.config = config;
        this.pki = pki;
        this.base = base;
        this.gatewaySigner = gatewaySigner;
        this.clients = clients;
        this.report = report;
        this.inbox = new DemoInbox(pki, gatewaySigner, clients, report, "protect");
    }

    /** The invented identities this act sends, for the demo's search of the audit log and the database. */
    static Map<String, String> personal() {
        return Map.of(
                "protected givenName",
                "Hélène-Marie",
                "protected familyName",
                "Ostrovà",
                "protected familyName in capitals",
                "OSTROVA",
                "protected birthDate",
                "1994-03-12",
                "other givenName",
                "Dmytro",
                "other birthDate",
                "1979-10-02");
    }

    int referrals() {
        return referrals;
    }

    int holds() {
        return holds;
    }

    int releases() {
        return releases;
    }

    void play() throws IOException {
        long t = System.nanoTime();
        LocalDate today = LocalDate.now(Department.PARIS);
        String request = submit(
                        ASSOCIATION,
                        document("reflection.period.request", person("Hélène-Marie", "Ostrovà", "1994-03-12")))
                .orElse(null);
        if (request == null) {
            return;
        }
        ObjectNode decision = document("reflection.period.decision", person("Hélène-Marie", "Ostrovà", "1994-03-12"));
        decision.put("requestReferralId", request);
        decision.putObject("receipt")
                .put("number", "EX-RECEPISSE-0001")
                .put("handedOverOn", today.toString())
                .put("endsOn", today.plusDays(29).toString());
        Optional<String> decided = submit(PREFECTURE, decision);
        if (decided.isEmpty()) {
            return;
        }
        boolean got = inbox.items(ASSOCIATION).stream()
                .anyMatch(i -> decided.get().equals(i.path("referralId").asText())
                        && !i.has("notice")
                        && inbox.open(ASSOCIATION, i)
                                .path("referral")
                                .path("receipt")
                                .has("endsOn"));
        report.step(
                "protect",
                String.format(
                        Locale.ROOT,
                        "%s asks for a reflection period (%s); %s answers with the" + " récépissé, until %s: %s",
                        ASSOCIATION,
                        DemoInbox.shortId(request),
                        PREFECTURE,
                        today.plusDays(29),
                        got ? "the association opened the decision" : "NOT received"),
                t);
        if (!got) {
            report.fail("protect", "the reflection-period decision did not reach " + ASSOCIATION);
        }

        t = System.nanoTime();
        JsonNode held = removal(person("HELENE MARIE", "OSTROVA", "1994-03-12"));
        String heldId = held.path("id").asText();
        expect(held, "held", "protected:reflection-period", "the removal objective about the same person");
        boolean policeHasIt = inbox.ids(POLICE).contains(heldId);
        JsonNode toAssociation = inbox.notice(ASSOCIATION, heldId, "held");
        JsonNode toPrefecture = inbox.notice(PREFECTURE, heldId, "held");
        report.step(
                "protect",
                String.format(
                        Locale.ROOT,
                        "%s sends a removal objective about the same person, her names"
                                + " in capitals without accents, declaring no reflection period → %s (%s); %s; notices opened by %s (sender, referent) and %s"
                                + " (carrier, related to %s)",
                        PREFECTURE,
                        held.path("status").asText(),
                        held.path("hold").path("reason").asText(),
                        policeHasIt ? "POLICE GOT IT" : "the police's inbox has" + " nothing of it",
                        PREFECTURE,
                        ASSOCIATION,
                        DemoInbox.shortId(
                                toAssociation.path("relatedReferralId").asText())),
                t);
        if (policeHasIt
                || !toAssociation.path("reason").asText().equals("protected:reflection-period")
                || !toPrefecture.path("notice").asText().equals("held")) {
            report.fail("protect", "the held removal objective reached the police, or its notices are missing");
        }

        t = System.nanoTime();
        JsonNode other = removal(person("Dmytro", "Ostrova", "1979-10-02"));
        expect(other, "routed", null, "the removal objective about another person of the same family name");
        boolean delivered = inbox.ids(POLICE).contains(other.path("id").asText());
        report.step(
                "protect",
                String.format(
                        Locale.ROOT,
                        "a removal objective about another person who shares only" + " the family name → %s, %s",
                        other.path("status").asText(),
                        delivered ? "in the police's inbox" : "NOT delivered"),
                t);
        if (!delivered) {
            report.fail("protect", "the removal objective about another person was not delivered");
        }

        t = System.nanoTime();
        JsonNode namesake = removal(person("Hélène", "Ostrova", null));
        String namesakeId = namesake.path("id").asText();
        expect(namesake, "held", "protected:reflection-period", "the removal objective about a namesake");
        PartnerClient.Reply release = admin().post(
                        "/admin/v1/referrals/" + namesakeId + "/release",
                        Json.MAPPER.writeValueAsBytes(Map.of(
                                "justification",
                                "not-the-same-person",
                                "comment",
                                "vérifié avec le référent : personne différente")),
                        "application/json",
                        Map.of());
        boolean released = release.status() == 200 && inbox.ids(POLICE).contains(namesakeId);
        if (released) {
            releases++;
        } else {
            report.fail("protect", "the release answered " + release.status() + " or the police did not receive it");
        }
        report.step(
                "protect",
                String.format(
                        Locale.ROOT,
                        "a removal objective about a namesake (first given name and"
                                + " family name), no birth date → %s; the administrator releases it (not-the-same-person) → %s",
                        namesake.path("status").asText(),
                        released ? "delivered to " + POLICE : "NOT delivered"),
                t);
        conviction();
    }

    /**
     * The police support her residence permit, then tell the prefecture that the accused was finally convicted
     * (CESEDA L.425-3): the outcome names the support, and the prefecture's copy is her resident card request.
     */
    private void conviction() throws IOException {
        long t = System.nanoTime();
        ObjectNode her = person("Hélène-Marie", "Ostrovà", "1994-03-12");
        Optional<String> support = submit(POLICE, document("residence.permit.support", her));
        if (support.isEmpty()) {
            return;
        }
        ObjectNode outcome = document("proceeding.outcome", her);
        outcome.put("supportReferralId", support.get());
        Optional<String> sent = submit(POLICE, outcome);
        if (sent.isEmpty()) {
            return;
        }
        boolean got = inbox.ids(PREFECTURE).contains(sent.get());
        report.step(
                "protect",
                String.format(
                        Locale.ROOT,
                        "%s supports her residence permit (%s), then tells of the accused's final conviction"
                                + " (proceeding.outcome, CESEDA L.425-3): %s",
                        POLICE,
                        DemoInbox.shortId(support.get()),
                        got
                                ? PREFECTURE + " received it, her resident card request; the permit protection runs on"
                                : "NOT received"),
                t);
        if (!got) {
            report.fail("protect", "the proceeding outcome did not reach " + PREFECTURE);
        }
    }

    private void expect(JsonNode answer, String status, String reason, String what) {
        if (!answer.path("status").asText().equals(status)
                || (reason != null
                        && !answer.path("hold").path("reason").asText().equals(reason))) {
            report.fail("protect", what + " is " + answer.path("status").asText() + " (expected " + status + ")");
        } else if (status.equals("held")) {
            holds++;
        }
    }

    private JsonNode removal(ObjectNode subject) throws IOException {
        ObjectNode removal = document("removal.objective", subject);
        // The shipped sample is La Réunion's; this act plays in Paris, whose prefecture sends it.
        removal.put("department", "75");
        removal.putObject("reflectionPeriod").put("running", false);
        PartnerClient.Reply reply = clients.apply(PREFECTURE)
                .post("/v1/referrals", Json.MAPPER.writeValueAsBytes(removal), "application/json", Map.of());
        if (reply.status() != 202) {
            report.fail("protect", "the removal objective answered " + reply.status());
            return Json.MAPPER.createObjectNode();
        }
        referrals++;
        return Json.MAPPER.readTree(reply.body());
    }

    private Optional<String> submit(String partner, ObjectNode document) throws IOException {
        PartnerClient.Reply reply = clients.apply(partner)
                .post("/v1/referrals", Json.MAPPER.writeValueAsBytes(document), "application/json", Map.of());
        if (reply.status() != 202) {
            report.fail(
                    "protect",
                    document.path("type").asText() + " from " + partner + " answered " + reply.status() + ": "
                            + new String(reply.body(), StandardCharsets.UTF_8));
            return Optional.empty();
        }
        referrals++;
        return Optional.of(Json.MAPPER.readTree(reply.body()).path("id").asText());
    }

    private ObjectNode document(String type, ObjectNode subject) throws IOException {
        ObjectNode document = (ObjectNode) Json.MAPPER.readTree(
                Files.readAllBytes(config.resolve("samples").resolve(type + ".json")));
        ObjectNode merged = (ObjectNode) document.path("subject");
        merged.remove(List.of("givenName", "familyName", "alias", "birthDate", "estimatedAge", "nationality"));
        merged.setAll(subject);
        return document;
    }

    private static ObjectNode person(String given, String family, String birthDate) {
        ObjectNode subject = Json.MAPPER.createObjectNode();
        subject.put("givenName", given);
        subject.put("familyName", family);
        if (birthDate != null) {
            subject.put("birthDate", birthDate);
        }
        subject.put("nationality", "UA");
        return subject;
    }

    private PartnerClient admin() {
        return new PartnerClient(
                "admin",
                ClientTls.sslContext(pki.resolve("admin.pem"), pki.resolve("admin-key.pem"), pki.resolve("ca.pem")),
                base);
    }
}
