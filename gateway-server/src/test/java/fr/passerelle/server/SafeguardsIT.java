package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The safeguards the gateway enforces itself, on a real gateway (TLS, PostgreSQL) with the shipped deployment:
 * minority decided from the document, never an adult service for a minor, a child-protection alert to the CRIP and
 * the juvenile prosecutor; consent that limits the recipients and says so; the withdrawal of consent that reaches
 * the holders and erases the gateway's copies. Each test uses its own invented person.
 */
class SafeguardsIT {
    private static final String POLICE = "police-75-brp";
    private static final String ASSOCIATION = "association-75-amarante";
    private static final String ASSOCIATION_974 = "association-974-kaz-lespwa";
    private static final String SIAO = "siao-75";
    private static final String CRIP = "crip-75-paris";
    private static final String PROSECUTOR = "prosecutor-75-mineurs";
    private static final String PREFECTURE = "prefecture-75";
    static TestGateway gw;

    @BeforeAll
    static void start() throws IOException {
        gw = TestGateway.start(Map.of());
    }

    @AfterAll
    static void stop() throws IOException {
        gw.close();
    }

    @Test
    void aMinorsOrientationReachesTheCripAndTheJuvenileProsecutorAndNotTheAdultAssociation() throws Exception {
        ObjectNode orientation = orientation("Ilinca", "Vârlan", o -> {
            subject(o).put("birthDate", yearsAgo(16).toString()).put("minor", true);
            scope(o, "association", "siao", "crip", "prosecutor");
        });

        JsonNode answer = accepted(POLICE, orientation);

        String id = answer.path("id").asText();
        assertThat(answer.path("type").asText()).isEqualTo("child.protection.alert");
        assertThat(partners(answer.path("recipients"))).containsExactlyInAnyOrder(CRIP, PROSECUTOR);
        assertThat(withheld(answer)).containsEntry(ASSOCIATION, "subject-minor").containsEntry(SIAO, "subject-minor");
        JsonNode atCrip = gw.open(CRIP, copy(CRIP, id));
        assertThat(atCrip.path("referral").path("reasons").toString()).contains("minor-subject");
        assertThat(atCrip.path("referral").path("sourceType").asText()).isEqualTo("victim.orientation");
        assertThat(atCrip.path("referral").path("subject").path("givenName").asText())
                .isEqualTo("Ilinca");
        assertThat(gw.open(PROSECUTOR, copy(PROSECUTOR, id)).path("type").asText())
                .isEqualTo("child.protection.alert");
        assertThat(inboxIds(ASSOCIATION)).doesNotContain(id);
        assertThat(inboxIds(SIAO)).doesNotContain(id);
    }

    @Test
    void theSendersMinorFlagCannotMakeAMinorAnAdult() throws Exception {
        // Estimated 17, declared adult: the estimate wins, the doubt counts as minority.
        ObjectNode orientation = orientation("Amaru", "Quispe", o -> {
            subject(o).remove("birthDate");
            subject(o).put("estimatedAge", 17).put("minor", false);
        });

        JsonNode answer = accepted(POLICE, orientation);

        assertThat(answer.path("type").asText()).isEqualTo("child.protection.alert");
        assertThat(withheld(answer)).containsEntry(ASSOCIATION, "subject-minor");
        assertThat(inboxIds(ASSOCIATION)).doesNotContain(answer.path("id").asText());
    }

    @Test
    void aPersonEstimatedNineteenIsPresumedAMinor() throws Exception {
        ObjectNode shelter = document("shelter.request", person("Yeabsira", "Tesfaye"), o -> {
            subject(o).remove("birthDate");
            subject(o).put("estimatedAge", 19);
        });

        JsonNode answer = accepted(POLICE, shelter);

        assertThat(answer.path("type").asText()).isEqualTo("child.protection.alert");
        assertThat(withheld(answer)).containsEntry(SIAO, "subject-minor");
        JsonNode atCrip = gw.open(CRIP, copy(CRIP, answer.path("id").asText()));
        assertThat(atCrip.path("referral").path("reasons").toString()).contains("presumed-minor");
        assertThat(inboxIds(SIAO)).doesNotContain(answer.path("id").asText());
    }

    @Test
    void aMinorFlagThatContradictsTheBirthDateIsRefused() throws Exception {
        ObjectNode orientation = orientation(
                "Noor", "Haddad", o -> subject(o).put("birthDate", "1995-04-04").put("minor", true));
        long before = gw.countReferrals();

        PartnerClient.Reply reply = post(POLICE, orientation);

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.text()).contains("subject.minor contradicts subject.birthDate");
        assertThat(gw.countReferrals()).isEqualTo(before);
    }

    @Test
    void anExploitationReportWithMinorsSuspectedGoesToThePoliceAndRaisesAnAlert() throws Exception {
        ObjectNode report = (ObjectNode) Json.MAPPER.readTree(gw.sample("exploitation.report"));
        report.put("department", "974");
        report.put("minorsSuspected", true);

        JsonNode answer = accepted(ASSOCIATION_974, report);

        String id = answer.path("id").asText();
        assertThat(answer.path("type").asText()).isEqualTo("exploitation.report");
        JsonNode raised = answer.path("raised");
        assertThat(raised.path("type").asText()).isEqualTo("child.protection.alert");
        assertThat(partners(raised.path("recipients")))
                .containsExactlyInAnyOrder("crip-974-reunion", "prosecutor-974-mineurs");
        JsonNode atCrip = gw.open(
                "crip-974-reunion", copy("crip-974-reunion", raised.path("id").asText()));
        assertThat(atCrip.path("referral").path("sourceReferralId").asText()).isEqualTo(id);
        assertThat(atCrip.path("referral").path("reasons").toString()).contains("minors-suspected");
        assertThat(atCrip.path("referral").path("place").path("commune").isTextual())
                .isTrue();
        assertThat(gw.auditActions(raised.path("id").asText())).startsWith("referral.raised", "referral.routed");
    }

    @Test
    void aRecipientOutsideTheConsentsScopeIsLeftOutAndThe202SaysWhy() throws Exception {
        JsonNode answer = accepted(POLICE, orientation("Oluwaseun", "Adebayo", o -> scope(o, "association")));

        assertThat(partners(answer.path("recipients"))).containsExactly(ASSOCIATION);
        JsonNode left = answer.path("withheld").get(0);
        assertThat(left.path("partner").asText()).isEqualTo(SIAO);
        assertThat(left.path("route").asText()).isEqualTo("orientation-75-siao");
        assertThat(left.path("reason").asText()).isEqualTo("consent-scope");
        assertThat(left.path("detail").asText()).contains("consent.scope");
        assertThat(inboxIds(SIAO)).doesNotContain(answer.path("id").asText());

        JsonNode both = accepted(POLICE, orientation("Chiamaka", "Eze", o -> scope(o, "association", "siao")));
        assertThat(partners(both.path("recipients"))).containsExactlyInAnyOrder(ASSOCIATION, SIAO);
        assertThat(both.has("withheld")).isFalse();
    }

    @Test
    void aConsentThatCoversNoRecipientIsRefusedAndNothingIsStored() throws Exception {
        ObjectNode orientation = orientation("Thandiwe", "Nkosi", o -> scope(o, "police"));
        long before = gw.countReferrals();

        PartnerClient.Reply reply = post(POLICE, orientation);

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.text()).contains(ASSOCIATION).contains(SIAO).contains("consent.scope");
        assertThat(gw.countReferrals()).isEqualTo(before);
    }

    @Test
    void aLegalObligationIsNotLimitedByTheConsentsScope() throws Exception {
        ObjectNode support =
                document("residence.permit.support", person("Mariam", "Diallo"), o -> scope(o, "association"));

        JsonNode answer = accepted(POLICE, support);

        assertThat(partners(answer.path("recipients"))).containsExactly(PREFECTURE);
        assertThat(answer.has("withheld")).isFalse();
    }

    @Test
    void aWithdrawalTellsTheHoldersToDeleteTheirCopyAndTheGatewaysCopiesNoLongerOpen() throws Exception {
        JsonNode answer = accepted(POLICE, orientation("Lucía", "Benavides", o -> scope(o, "association", "siao")));
        String id = answer.path("id").asText();
        gw.open(ASSOCIATION, copy(ASSOCIATION, id)); // the association holds its copy; the SIAO never pulled its own
        assertThat(minor(id))
                .as("the gateway judged her an adult at submission, for the statistics")
                .isFalse();

        JsonNode withdrawn = accepted(POLICE, withdrawal(id));

        assertThat(withdrawn.path("id").asText()).isEqualTo(id);
        assertThat(withdrawn.path("status").asText()).isEqualTo("withdrawn");
        assertThat(partners(withdrawn.path("recipients"))).containsExactly(ASSOCIATION);
        JsonNode notice = gw.open(ASSOCIATION, notice(ASSOCIATION, id, "consent-withdrawn"));
        assertThat(notice.path("notice").asText()).isEqualTo("consent-withdrawn");
        assertThat(notice.path("withdrawnAt").asText())
                .isEqualTo(withdrawal(id).path("withdrawnAt").asText());
        assertThat(notice.has("referral"))
                .as("a notice carries nothing of the person")
                .isFalse();
        assertThat(inboxIds(ASSOCIATION)).doesNotContain(id);
        assertThat(inboxIds(SIAO)).doesNotContain(id);
        assertThat(erased(id))
                .as("document and copies erased with their keys, and the statistics' minor flag")
                .isTrue();
        JsonNode status = Json.MAPPER.readTree(
                gw.client(POLICE).get("/v1/referrals/" + id).body());
        assertThat(status.path("status").asText()).isEqualTo("withdrawn");
        assertThat(gw.auditActions(id)).contains("referral.consent-withdrawn");

        JsonNode again = accepted(POLICE, withdrawal(id));
        assertThat(again.path("replayed").asBoolean()).isTrue();
        assertThat(partners(again.path("recipients"))).containsExactly(ASSOCIATION);
    }

    @Test
    void onlyTheSenderWithdrawsAndNeverAChildProtectionAlert() throws Exception {
        JsonNode answer = accepted(POLICE, orientation("Rukhsana", "Akhtar", o -> scope(o, "association")));
        PartnerClient.Reply stranger =
                post("social-75-ssp-18", withdrawal(answer.path("id").asText()));
        assertThat(stranger.status()).isEqualTo(404);
        assertThat(inboxIds(ASSOCIATION)).contains(answer.path("id").asText());

        JsonNode alert = accepted(POLICE, orientation("Bianca", "Moldovan", o -> subject(o)
                .put("birthDate", yearsAgo(15).toString())
                .put("minor", true)));
        PartnerClient.Reply refused = post(POLICE, withdrawal(alert.path("id").asText()));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text()).contains("legal obligation");
    }

    @Test
    void theSiaosCopyNamesNoUnitNoRioAndNoVictimStatus() throws Exception {
        ObjectNode shelter = document(
                "shelter.request",
                person("Esperanza", "Quintero"),
                o -> o.put("administrativeStatus", "reflection-period"));

        JsonNode answer = accepted(POLICE, shelter);

        JsonNode atSiao = gw.open(SIAO, copy(SIAO, answer.path("id").asText())).path("referral");
        String unit = shelter.path("referrer").path("unit").asText();
        assertThat(atSiao.path("referrer").path("unit").asText()).isEqualTo("Service prescripteur");
        assertThat(atSiao.path("referrer").path("phone").asText())
                .isEqualTo(shelter.path("referrer").path("phone").asText());
        assertThat(atSiao.toString())
                .doesNotContain(unit)
                .doesNotContain("officerRio")
                .doesNotContain("0000000")
                .doesNotContain("reflection-period")
                .doesNotContain("offence");
        assertThat(atSiao.path("administrativeStatus").asText()).isEqualTo("residence-procedure");
    }

    // -- helpers ------------------------------------------------------------------------------------------------

    private static LocalDate yearsAgo(int years) {
        return LocalDate.now(ZoneId.of("Europe/Paris")).minusYears(years).minusDays(30);
    }

    private static ObjectNode person(String given, String family) {
        ObjectNode subject = Json.MAPPER.createObjectNode();
        subject.put("givenName", given);
        subject.put("familyName", family);
        subject.put("birthDate", "1996-06-06");
        subject.put("minor", false);
        return subject;
    }

    private static ObjectNode orientation(String given, String family, Consumer<ObjectNode> edit) throws IOException {
        return document("victim.orientation", person(given, family), edit);
    }

    private static ObjectNode document(String type, ObjectNode subject, Consumer<ObjectNode> edit) throws IOException {
        ObjectNode document = (ObjectNode) Json.MAPPER.readTree(gw.sample(type));
        ObjectNode merged = subject(document);
        merged.remove(List.of("givenName", "familyName", "alias", "birthDate", "estimatedAge"));
        merged.setAll(subject);
        edit.accept(document);
        return document;
    }

    private static ObjectNode subject(ObjectNode document) {
        return (ObjectNode) document.path("subject");
    }

    private static void scope(ObjectNode document, String... kinds) {
        var scope = ((ObjectNode) document.path("consent")).putArray("scope");
        for (String kind : kinds) {
            scope.add(kind);
        }
    }

    private static ObjectNode withdrawal(String id) throws IOException {
        ObjectNode withdrawal = (ObjectNode) Json.MAPPER.readTree(gw.sample("consent.withdrawn"));
        withdrawal.put("referralId", id);
        return withdrawal;
    }

    private static PartnerClient.Reply post(String partner, ObjectNode document) throws IOException {
        return gw.client(partner)
                .post("/v1/referrals", Json.MAPPER.writeValueAsBytes(document), "application/json", Map.of());
    }

    private static JsonNode accepted(String partner, ObjectNode document) throws IOException {
        PartnerClient.Reply reply = post(partner, document);
        assertThat(reply.status()).as(reply.text()).isEqualTo(202);
        return Json.MAPPER.readTree(reply.body());
    }

    private static List<String> partners(JsonNode recipients) {
        List<String> partners = new ArrayList<>();
        recipients.forEach(r -> partners.add(r.path("partner").asText()));
        return partners;
    }

    private static Map<String, String> withheld(JsonNode answer) {
        Map<String, String> withheld = new java.util.LinkedHashMap<>();
        answer.path("withheld")
                .forEach(w -> withheld.put(
                        w.path("partner").asText(), w.path("reason").asText()));
        return withheld;
    }

    private static List<String> inboxIds(String partner) throws IOException {
        return gw.inbox(partner).stream()
                .filter(i -> !i.has("notice"))
                .map(i -> i.path("referralId").asText())
                .toList();
    }

    private static JsonNode copy(String partner, String referralId) throws IOException {
        return gw.inbox(partner).stream()
                .filter(i -> i.path("referralId").asText().equals(referralId))
                .filter(i -> !i.has("notice"))
                .findFirst()
                .orElseThrow(() -> new AssertionError(partner + " has no copy of " + referralId));
    }

    private static JsonNode notice(String partner, String referralId, String kind) throws IOException {
        return gw.inbox(partner).stream()
                .filter(i -> i.path("referralId").asText().equals(referralId))
                .filter(i -> i.path("notice").asText().equals(kind))
                .findFirst()
                .orElseThrow(() -> new AssertionError(partner + " got no '" + kind + "' notice about " + referralId));
    }

    /** Whether the gateway stored the referral as about a minor (V16's referral.minor); null when it did not say. */
    private static Boolean minor(String id) throws SQLException {
        try (Connection c = gw.gateway.database().dataSource().getConnection();
                PreparedStatement select = c.prepareStatement("SELECT minor FROM referral WHERE id = ?")) {
            select.setObject(1, UUID.fromString(id));
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getObject(1, Boolean.class);
            }
        }
    }

    /** Whether the referral's document, every copy's payload and the statistics' facets are gone, keys included. */
    private static boolean erased(String id) throws SQLException {
        try (Connection c = gw.gateway.database().dataSource().getConnection();
                PreparedStatement select = c.prepareStatement("SELECT (SELECT document IS NULL AND wrapped_key IS NULL"
                        + " AND minor IS NULL AND commune IS NULL FROM referral WHERE id = ?) AND NOT EXISTS (SELECT 1 FROM delivery WHERE referral_id = ?"
                        + " AND notice IS NULL AND (payload IS NOT NULL OR wrapped_key IS NOT NULL))")) {
            select.setObject(1, UUID.fromString(id));
            select.setObject(2, UUID.fromString(id));
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }
}
