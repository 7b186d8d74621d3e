package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.protection.RegisterKeys;
import fr.passerelle.core.testkit.FakeClock;
import fr.passerelle.devkit.DatabaseDump;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The protection register on a real gateway (TLS, PostgreSQL), whatever the prefecture declares: a removal
 * objective about a person whom a reflection-period request, a permit support, an exit-pathway authorisation or
 * her minority protects never reaches the police's inbox while the protection runs; it is held, its sender, the
 * referent and the partner that carried the protection are told with ids and codes only; an administrator releases
 * it with a justification, or it is delivered once the protection ended (a clock the test moves). Each test uses
 * its own invented person.
 */
class ProtectionIT {
    private static final String POLICE = "police-75-brp";
    private static final String ASSOCIATION = "association-75-amarante";
    private static final String PREFECTURE = "prefecture-75";
    private static final String SECRETARIAT = "cohesion-75-prefet-paris";
    private static final String CAF = "caf-75";
    private static final FakeClock clock = new FakeClock(Instant.now());
    static TestGateway gw;

    @BeforeAll
    static void start() throws IOException {
        gw = TestGateway.withClock(Map.of(), clock, config -> {});
    }

    @AfterAll
    static void stop() throws IOException {
        gw.close();
    }

    @Test
    void holdsARemovalObjectiveAboutAPersonInHerReflectionPeriodWhateverThePrefectureDeclares() throws Exception {
        String request =
                submit(ASSOCIATION, "reflection.period.request", person("Hélène-Marie", "Ostrovà", "1994-03-12", "UA"));

        JsonNode removal = submitRemoval(person("HELENE MARIE", "OSTROVA", "1994-03-12", "UA"), r -> {});

        assertThat(removal.path("status").asText()).isEqualTo("held");
        assertThat(removal.path("hold").path("reason").asText()).isEqualTo("protected:reflection-period");
        String id = removal.path("id").asText();
        assertThat(inboxIds(POLICE)).doesNotContain(id);
        assertThat(gw.auditActions(id)).contains("referral.held");
        JsonNode toAssociation = gw.open(ASSOCIATION, notice(ASSOCIATION, id, "held"));
        assertThat(toAssociation.path("reason").asText()).isEqualTo("protected:reflection-period");
        assertThat(toAssociation.path("relatedReferralId").asText()).isEqualTo(request);
        assertThat(toAssociation.has("referral"))
                .as("a notice carries nothing of the person")
                .isFalse();
        JsonNode toPrefecture = gw.open(PREFECTURE, notice(PREFECTURE, id, "held"));
        assertThat(toPrefecture.path("reason").asText()).isEqualTo("protected:reflection-period");
        assertThat(toPrefecture.has("relatedReferralId"))
                .as("the sender learns not who carried it")
                .isFalse();
    }

    @Test
    void holdsEvenWhenThePrefectureDeclaresNoReflectionPeriod() throws Exception {
        submit(POLICE, "reflection.period.request", person("Sofiya", "Brandt-Kolar", "1990-07-01", "RS"));

        JsonNode removal = submitRemoval(
                person("Sofiya", "BRANDT KOLAR", "1990-07-01", "RS"),
                r -> r.putObject("reflectionPeriod").put("running", false).put("endsOn", "2026-11-01"));

        assertThat(removal.path("status").asText()).isEqualTo("held");
        assertThat(inboxIds(POLICE)).doesNotContain(removal.path("id").asText());
    }

    @Test
    void deliversARemovalObjectiveOnceTheReflectionPeriodOfTheDecisionHasEnded() throws Exception {
        String request =
                submit(ASSOCIATION, "reflection.period.request", person("Ileana", "Vasquez", "1988-02-02", "CO"));
        String prefectureCopy = inboxIds(PREFECTURE).stream()
                .filter(request::equals)
                .findFirst()
                .orElseThrow();
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        ObjectNode decision = document("reflection.period.decision", person("Ileana", "Vasquez", "1988-02-02", "CO"));
        decision.put("requestReferralId", prefectureCopy);
        decision.putObject("receipt")
                .put("number", "EX-REC-0001")
                .put("handedOverOn", today.toString())
                .put("endsOn", today.plusDays(29).toString());
        String decided = submit(PREFECTURE, decision);
        assertThat(inboxIds(ASSOCIATION))
                .as("the decision goes to the partner that made the request")
                .contains(decided);
        assertThat(inboxIds(POLICE)).doesNotContain(decided);

        assertThat(submitRemoval(person("Ileana", "Vasquez", "1988-02-02", "CO"), r -> {})
                        .path("status")
                        .asText())
                .isEqualTo("held");

        clock.advance(Duration.ofDays(24));
        assertThat(gw.gateway.reminders().run()).isGreaterThanOrEqualTo(1);
        JsonNode reminder = gw.open(ASSOCIATION, notice(ASSOCIATION, decided, "reflection-period-ending"));
        assertThat(reminder.path("until").asText()).isEqualTo(today.plusDays(29).toString());

        clock.advance(Duration.ofDays(6));
        JsonNode after = submitRemoval(person("Ileana", "Vasquez", "1988-02-02", "CO"), r -> {});
        assertThat(after.path("status").asText()).isEqualTo("routed");
        assertThat(inboxIds(POLICE)).contains(after.path("id").asText());
    }

    @Test
    void holdsForAPermitUntilItIsRefusedAndForAnExitPathwayAuthorisation() throws Exception {
        String support = submit(POLICE, "residence.permit.support", person("Teodora", "Lindqvist", "1992-05-05", "BG"));
        assertThat(submitRemoval(person("Teodora", "Lindqvist", "1992-05-05", "BG"), r -> {})
                        .path("hold")
                        .path("reason")
                        .asText())
                .isEqualTo("protected:permit");

        permitDecision(support, person("Teodora", "Lindqvist", "1992-05-05", "BG"), "refused", null);
        assertThat(submitRemoval(person("Teodora", "Lindqvist", "1992-05-05", "BG"), r -> {})
                        .path("status")
                        .asText())
                .isEqualTo("routed");

        String other = submit(POLICE, "residence.permit.support", person("Mariam", "Okonkwo", "1995-09-09", "NG"));
        permitDecision(other, person("Mariam", "Okonkwo", "1995-09-09", "NG"), "issued", "aps-l425-4");
        assertThat(submitRemoval(person("Mariam", "Okonkwo", "1995-09-09", "NG"), r -> {})
                        .path("hold")
                        .path("reason")
                        .asText())
                .isEqualTo("protected:exit-pathway");
    }

    @Test
    void chainsAnExitPathwayFromApplicationToRenewalAndRefusesWhatBreaksItsRules() throws Exception {
        ObjectNode person = person("Aurelia", "Mbemba-Tsiry", "1993-04-04", "CM");
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        String application = submit(ASSOCIATION, "exit.pathway.application", person);

        JsonNode full = gw.open(SECRETARIAT, copy(SECRETARIAT, application));
        JsonNode minimal = gw.open(PREFECTURE, copy(PREFECTURE, application));
        String opinion = submit(SECRETARIAT, answer("exit.pathway.opinion", application, person));
        String tooLong = refusal(SECRETARIAT, decision(application, person, "granted", today, today.plusMonths(7)));
        LocalDate firstEnd = today.plusMonths(6).minusDays(1);
        String granted = submit(SECRETARIAT, decision(application, person, "granted", today, firstEnd));
        String twice = refusal(SECRETARIAT, decision(application, person, "granted", today, firstEnd));

        assertThat(full.path("referral").path("attachments"))
                .extracting(a -> a.path("kind").asText())
                .containsExactly("commitments", "sworn-statement");
        assertThat(minimal.path("referral").has("attachments")).isFalse();
        assertThat(minimal.path("referral").has("presentation")).isFalse();
        assertThat(minimal.path("referral").path("requests").path("aps").asBoolean())
                .isTrue();
        assertThat(inboxIds(ASSOCIATION)).contains(opinion, granted);
        assertThat(inboxIds(PREFECTURE)).doesNotContain(opinion).contains(granted);
        assertThat(inboxIds(CAF)).contains(granted);
        assertThat(gw.open(CAF, copy(CAF, granted)).path("referral").has("aps"))
                .as("the CAF learns of the AFIS, not of the APS")
                .isFalse();
        assertThat(tooLong).startsWith("exit-pathway term too long");
        assertThat(twice).startsWith("exit-pathway application already decided");
        assertThat(submitRemoval(person, r -> {}).path("hold").path("reason").asText())
                .isEqualTo("protected:exit-pathway");

        ObjectNode renewal = document("exit.pathway.application", person);
        renewal.putObject("application").put("kind", "renewal").put("renewsDecisionId", granted);
        String renewalId = submit(ASSOCIATION, renewal);
        LocalDate second = today.plusMonths(6);
        String beyond = refusal(
                SECRETARIAT, decision(renewalId, person, "renewed", today.plusMonths(21), today.plusMonths(25)));
        String overlapping =
                refusal(SECRETARIAT, decision(renewalId, person, "renewed", second.minusDays(1), second.plusMonths(5)));
        LocalDate secondEnd = second.plusMonths(6).minusDays(1);
        ObjectNode withoutAps = decision(renewalId, person, "renewed", second, secondEnd);
        withoutAps.remove("aps");
        String renewed = submit(SECRETARIAT, withoutAps);
        String renewedTwice = refusal(ASSOCIATION, renewal);

        assertThat(beyond).startsWith("exit-pathway longer than 24 months");
        assertThat(overlapping).startsWith("exit-pathway renewal overlaps");
        assertThat(inboxIds(ASSOCIATION)).contains(renewed);
        assertThat(renewedTwice).startsWith("exit-pathway term already renewed");

        assertThat(inboxIds(PREFECTURE)).as("a decision without an APS").doesNotContain(renewed);

        clock.advance(Duration.ofDays(ChronoUnit.DAYS.between(today, secondEnd) - 44));
        assertThat(gw.gateway.reminders().run()).isGreaterThanOrEqualTo(1);
        JsonNode reminder = gw.open(ASSOCIATION, notice(ASSOCIATION, renewed, "exit-pathway-ending"));
        assertThat(reminder.path("until").asText()).isEqualTo(secondEnd.toString());
        assertThat(gw.inbox(ASSOCIATION))
                .as("the renewed term's reminder was cleared by the renewal")
                .noneMatch(i -> i.path("referralId").asText().equals(granted)
                        && i.path("notice").asText().equals("exit-pathway-ending"));
    }

    @Test
    void aFinalConvictionKeepsThePermitProtectionAndOpensTheResidentCard() throws Exception {
        ObjectNode person = person("Ioana", "Marinescu", "1990-02-02", "RO");
        String support = submit(POLICE, "residence.permit.support", person);
        permitDecision(support, person, "refused", null);
        ObjectNode appeal = outcome(support, person, "convicted", false);
        ObjectNode conviction = outcome(support, person, "convicted", true);

        submit(POLICE, appeal);
        String routed = submitRemoval(person, r -> {}).path("status").asText();
        String outcome = submit(POLICE, conviction);
        JsonNode held = submitRemoval(person, r -> {});

        assertThat(routed).as("a conviction under appeal opens nothing").isEqualTo("routed");
        assertThat(held.path("hold").path("reason").asText()).isEqualTo("protected:permit");
        assertThat(inboxIds(PREFECTURE)).contains(outcome);
        assertThat(auditDetail(outcome, "protection.card-open"))
                .contains("\"card\": \"resident-l425-3\"", "\"support\": \"" + support + "\"");
    }

    @Test
    void refusesAProceedingOutcomeThatNamesNoPermitSupport() throws Exception {
        ObjectNode stray = outcome(
                UUID.randomUUID().toString(), person("Ioana", "Marinescu", "1990-02-02", "RO"), "convicted", true);

        PartnerClient.Reply reply = gw.client(POLICE)
                .post("/v1/referrals", Json.MAPPER.writeValueAsBytes(stray), "application/json", Map.of());

        assertThat(reply.status()).as(reply.text()).isEqualTo(422);
        assertThat(Json.MAPPER.readTree(reply.body()).path("detail").asText())
                .isEqualTo("supportReferralId does not name a residence.permit.support that the gateway carried: a"
                        + " proceeding.outcome relates to the permit support of the person (give its id as the"
                        + " gateway answered it to its sender)");
    }

    @Test
    void holdsARemovalObjectiveAboutAPersonAnOrientationShowedMinor() throws Exception {
        ObjectNode orientation = document("victim.orientation", person("Lenka", "Sorova", "2011-04-04", "SK"));
        ((ObjectNode) orientation.path("subject")).put("minor", true);
        submit(POLICE, orientation);

        ObjectNode subject = person("Lenka", "Sorova", null, "SK");
        JsonNode removal = submitRemoval(subject, r -> {});

        assertThat(removal.path("hold").path("reason").asText()).isEqualTo("protected:minor");
    }

    @Test
    void anAdministratorReleasesWithAJustificationAndTheCopyReachesThePolice() throws Exception {
        submit(ASSOCIATION, "reflection.period.request", person("Nadia", "Ferrant", "1985-01-20", "MA"));
        String id = submitRemoval(person("Nadia", "Ferrant", "1985-01-20", "MA"), r -> {})
                .path("id")
                .asText();
        PartnerClient admin = gw.adminClient();

        PartnerClient.Reply refused = admin.post(
                "/admin/v1/referrals/" + id + "/release",
                "{\"justification\": \"because\", \"comment\": \"x\"}".getBytes(StandardCharsets.UTF_8),
                "application/json",
                Map.of());
        PartnerClient.Reply undated = admin.post(
                "/admin/v1/referrals/" + id + "/release",
                "{\"justification\": \"period-ended-early\", \"comment\": \"x\"}".getBytes(StandardCharsets.UTF_8),
                "application/json",
                Map.of());
        PartnerClient.Reply released = admin.post(
                "/admin/v1/referrals/" + id + "/release",
                "{\"justification\": \"period-ended-early\", \"decidedOn\": \"2026-11-30\", \"comment\": \"arrêté du préfet reçu\"}"
                        .getBytes(StandardCharsets.UTF_8),
                "application/json",
                Map.of());
        PartnerClient.Reply again = admin.post(
                "/admin/v1/referrals/" + id + "/release",
                "{\"justification\": \"period-ended-early\", \"decidedOn\": \"2026-11-30\", \"comment\": \"x\"}"
                        .getBytes(StandardCharsets.UTF_8),
                "application/json",
                Map.of());

        assertThat(refused.status()).as(refused.text()).isEqualTo(400);
        assertThat(refused.text()).contains("justification 'because' is unknown");
        assertThat(undated.status()).as(undated.text()).isEqualTo(400);
        assertThat(undated.text()).contains("decidedOn");
        assertThat(released.status()).as(released.text()).isEqualTo(200);
        assertThat(again.status()).as(again.text()).isEqualTo(409);
        assertThat(inboxIds(POLICE)).contains(id);
        assertThat(gw.open(PREFECTURE, notice(PREFECTURE, id, "released"))
                        .path("justification")
                        .asText())
                .isEqualTo("period-ended-early");
        assertThat(gw.auditActions(id)).containsSubsequence("referral.held", "referral.released");
        assertThat(auditDetail(id, "referral.released"))
                .contains("\"justification\": \"period-ended-early\"")
                .contains("\"decidedOn\": \"2026-11-30\"")
                .doesNotContain("arrêté");
    }

    @Test
    void aCancelledHoldNeverReachesAnyone() throws Exception {
        submit(ASSOCIATION, "reflection.period.request", person("Oksana", "Demir", "1993-06-06", "TR"));
        String id = submitRemoval(person("Oksana", "Demir", "1993-06-06", "TR"), r -> {})
                .path("id")
                .asText();

        PartnerClient.Reply cancel = gw.adminClient()
                .post("/admin/v1/referrals/" + id + "/cancel", new byte[0], "application/json", Map.of());

        assertThat(cancel.status()).as(cancel.text()).isEqualTo(200);
        assertThat(inboxIds(POLICE)).doesNotContain(id);
        try (Connection c = gw.gateway.database().dataSource().getConnection();
                PreparedStatement select = c.prepareStatement("SELECT count(*) FROM held_copy WHERE referral_id = ?")) {
            select.setObject(1, UUID.fromString(id));
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                assertThat(rs.getLong(1)).isZero();
            }
        }
    }

    @Test
    void matchingSurvivesARotationOfTheRegisterKey() throws Exception {
        submit(ASSOCIATION, "reflection.period.request", person("Irina", "Kowalczyk", "1991-11-11", "PL"));
        RegisterKeys keys = RegisterKeys.open(
                RegisterKeys.beside(gw.gateway.deployment().settings().masterKeys()), Clock.systemUTC());

        String rotated = keys.rotate(Clock.systemUTC());

        assertThat(keys.ids()).hasSizeGreaterThan(1).endsWith(rotated);
        assertThat(submitRemoval(person("Irina", "Kowalczyk", "1991-11-11", "PL"), r -> {})
                        .path("status")
                        .asText())
                .isEqualTo("held");
        submit(ASSOCIATION, "reflection.period.request", person("Vera", "Lindholm", "1989-08-08", "FI"));
        assertThat(submitRemoval(person("Vera", "Lindholm", "1989-08-08", "FI"), r -> {})
                        .path("status")
                        .asText())
                .as("a protection recorded under the new key")
                .isEqualTo("held");
    }

    @Test
    void theDatabaseAndTheRegisterKeepNoNameInClear() throws Exception {
        submit(ASSOCIATION, "reflection.period.request", person("Zuzanna", "Quellbrunn", "1987-12-12", "CZ"));
        submitRemoval(person("Zuzanna", "Quellbrunn", "1987-12-12", "CZ"), r -> {});

        DatabaseDump dump = DatabaseDump.of(gw.gateway.database().dataSource());

        assertThat(dump.holding(Map.of(
                        "given name",
                        "Zuzanna",
                        "family name",
                        "Quellbrunn",
                        "family name in capitals",
                        "QUELLBRUNN",
                        "birth date",
                        "1987-12-12")))
                .isEmpty();
        Path registerKeys =
                RegisterKeys.beside(gw.gateway.deployment().settings().masterKeys());
        assertThat(Files.readString(registerKeys)).doesNotContain("Quellbrunn");
    }

    // -- helpers ------------------------------------------------------------------------------------------------

    private static ObjectNode person(String given, String family, String birthDate, String nationality) {
        ObjectNode subject = Json.MAPPER.createObjectNode();
        subject.put("givenName", given);
        subject.put("familyName", family);
        if (birthDate != null) {
            subject.put("birthDate", birthDate);
        }
        subject.put("minor", false);
        subject.put("nationality", nationality);
        return subject;
    }

    private static ObjectNode document(String type, ObjectNode subject) throws IOException {
        ObjectNode document = (ObjectNode) Json.MAPPER.readTree(gw.sample(type));
        ObjectNode merged = (ObjectNode) document.path("subject");
        if (merged.isMissingNode()) {
            document.set("subject", subject);
        } else {
            merged.remove(List.of("givenName", "familyName", "alias", "birthDate", "estimatedAge", "nationality"));
            merged.setAll(subject);
        }
        return document;
    }

    private static String submit(String partner, String type, ObjectNode subject) throws IOException {
        return submit(partner, document(type, subject));
    }

    private static String submit(String partner, ObjectNode document) throws IOException {
        PartnerClient.Reply reply = gw.client(partner)
                .post("/v1/referrals", Json.MAPPER.writeValueAsBytes(document), "application/json", Map.of());
        assertThat(reply.status()).as(reply.text()).isEqualTo(202);
        return Json.MAPPER.readTree(reply.body()).path("id").asText();
    }

    private static JsonNode submitRemoval(ObjectNode subject, Consumer<ObjectNode> edit) throws IOException {
        ObjectNode removal = document("removal.objective", subject);
        // The shipped sample is La Réunion's; the prefecture here is Paris's.
        removal.put("department", "75");
        edit.accept(removal);
        PartnerClient.Reply reply = gw.client(PREFECTURE)
                .post("/v1/referrals", Json.MAPPER.writeValueAsBytes(removal), "application/json", Map.of());
        assertThat(reply.status()).as(reply.text()).isEqualTo(202);
        return Json.MAPPER.readTree(reply.body());
    }

    private static void permitDecision(String support, ObjectNode subject, String outcome, String kind)
            throws IOException {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        ObjectNode decision = document("residence.permit.decision", subject);
        decision.put("requestReferralId", support);
        decision.putObject("decision").put("outcome", outcome).put("decidedOn", today.toString());
        if (kind == null) {
            decision.remove("card");
        } else {
            decision.putObject("card")
                    .put("kind", kind)
                    .put("validFrom", today.toString())
                    .put("validUntil", today.plusMonths(6).toString());
        }
        submit(PREFECTURE, decision);
    }

    /** An opinion or a decision of the commission's secretariat on {@code application}. */
    private static ObjectNode answer(String type, String application, ObjectNode subject) throws IOException {
        ObjectNode answer = document(type, subject);
        answer.put("requestReferralId", application);
        return answer;
    }

    private static ObjectNode decision(
            String application, ObjectNode subject, String outcome, LocalDate from, LocalDate until)
            throws IOException {
        ObjectNode decision = answer("exit.pathway.decision", application, subject);
        decision.putObject("term").put("from", from.toString()).put("until", until.toString());
        decision.putObject("aps")
                .put("action", outcome.equals("granted") ? "issue" : "renew")
                .put("validUntil", until.toString());
        ((ObjectNode) decision.path("decision")).put("outcome", outcome);
        return decision;
    }

    /** The message of a submission refused with 422 rule_violation. */
    private static String refusal(String partner, ObjectNode document) throws IOException {
        PartnerClient.Reply reply = gw.client(partner)
                .post("/v1/referrals", Json.MAPPER.writeValueAsBytes(document), "application/json", Map.of());
        assertThat(reply.status()).as(reply.text()).isEqualTo(422);
        JsonNode problem = Json.MAPPER.readTree(reply.body());
        assertThat(problem.path("code").asText()).isEqualTo("rule_violation");
        return problem.path("detail").asText();
    }

    private static JsonNode copy(String partner, String referralId) throws IOException {
        return gw.inbox(partner).stream()
                .filter(i -> i.path("referralId").asText().equals(referralId) && !i.has("notice"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(partner + " got no copy of " + referralId));
    }

    private static ObjectNode outcome(String support, ObjectNode subject, String outcome, boolean isFinal)
            throws IOException {
        ObjectNode document = document("proceeding.outcome", subject);
        document.put("supportReferralId", support);
        ((ObjectNode) document.path("judgment")).put("outcome", outcome).put("final", isFinal);
        return document;
    }

    private static List<String> inboxIds(String partner) throws IOException {
        return gw.inbox(partner).stream()
                .filter(i -> !i.has("notice"))
                .map(i -> i.path("referralId").asText())
                .toList();
    }

    private static JsonNode notice(String partner, String referralId, String kind) throws IOException {
        return gw.inbox(partner).stream()
                .filter(i -> i.path("referralId").asText().equals(referralId))
                .filter(i -> i.path("notice").asText().equals(kind))
                .findFirst()
                .orElseThrow(() -> new AssertionError(partner + " got no '" + kind + "' notice about " + referralId));
    }

    private static String auditDetail(String referralId, String action) throws SQLException {
        try (Connection c = gw.gateway.database().dataSource().getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT detail::text FROM audit_queue WHERE referral_id = ? AND action = ?")) {
            select.setObject(1, UUID.fromString(referralId));
            select.setString(2, action);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        }
    }
}
