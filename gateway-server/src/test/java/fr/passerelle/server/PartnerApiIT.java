package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.crypto.ClientTls;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The partner API over real mutual TLS, against a real PostgreSQL. */
class PartnerApiIT {
    static final String POLICE = "police-75-brp";
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
    void acceptsASubmissionThatTheRecipientPullsAndAnswers() throws IOException {
        JsonNode accepted = submit(POLICE, gw.sample("victim.orientation"), key());
        String id = accepted.path("id").asText();
        String association = accepted.path("recipients").get(0).path("partner").asText();

        JsonNode item = findInInbox(association, id);
        PartnerClient.Reply received = receipt(association, id, "{\"status\":\"received\"}");
        PartnerClient.Reply accept = receipt(association, id, "{\"status\":\"accepted\"}");
        JsonNode status = json(gw.client(POLICE).get("/v1/referrals/" + id));

        assertThat(accepted.path("status").asText()).isEqualTo("routed");
        assertThat(association).startsWith("association-75-");
        assertThat(item.path("type").asText()).isEqualTo("victim.orientation");
        assertThat(item.path("sender").asText()).isEqualTo(POLICE);
        assertThat(item.path("mediaType").asText()).isEqualTo("application/pkcs7-mime; smime-type=authEnveloped-data");
        assertThat(gw.open(association, item)
                        .path("referral")
                        .path("consent")
                        .path("given")
                        .asBoolean())
                .isTrue();
        assertThat(received.status()).isEqualTo(200);
        assertThat(accept.status()).isEqualTo(200);
        assertThat(json(accept).path("referralStatus").asText()).isEqualTo("accepted");
        assertThat(status.path("status").asText()).isEqualTo("accepted");
        assertThat(status.path("deliveries").get(0).path("state").asText()).isEqualTo("accepted");
        assertThat(status.path("history").findValuesAsText("action"))
                .contains("referral.submitted", "referral.routed", "delivery.pulled", "receipt.recorded");
    }

    @Test
    void dropsFieldsThatTheRouteDoesNotListBeforeTheRecipientSeesThem() throws IOException {
        ObjectNode shelter = (ObjectNode) Json.MAPPER.readTree(gw.sample("shelter.request"));
        String sender = gw.gateway.deployment().sortedPartners().stream()
                .filter(p -> p.maySend().stream().anyMatch(t -> t.code().equals("shelter.request")))
                .filter(p -> p.departments()
                        .contains(fr.passerelle.core.referral.Department.of(
                                shelter.path("department").asText())))
                .findFirst()
                .orElseThrow()
                .id()
                .value();
        JsonNode accepted = submit(sender, Json.MAPPER.writeValueAsBytes(shelter), key());
        String siao = accepted.path("recipients").get(0).path("partner").asText();

        JsonNode content =
                gw.open(siao, findInInbox(siao, accepted.path("id").asText())).path("referral");

        assertThat(siao).startsWith("siao-");
        assertThat(content.has("household")).isTrue();
        assertThat(content.has("offence")).isFalse();
    }

    @Test
    void returnsTheSameReferralForTheSameIdempotencyKey() throws IOException {
        String key = key();
        JsonNode first = submit(POLICE, gw.sample("victim.orientation"), key);
        long before = countReferrals();

        JsonNode second = submit(POLICE, gw.sample("victim.orientation"), key);

        assertThat(second.path("id").asText()).isEqualTo(first.path("id").asText());
        assertThat(second.path("replayed").asBoolean()).isTrue();
        assertThat(countReferrals()).isEqualTo(before);
    }

    @Test
    void refusesTheSameIdempotencyKeyForADifferentBody() throws IOException {
        String key = key();
        submit(POLICE, gw.sample("victim.orientation"), key);

        PartnerClient.Reply reply = post(POLICE, gw.sample("shelter.request"), key);

        assertProblem(reply, 409, "idempotency_conflict");
        assertThat(json(reply).path("detail").asText())
                .contains("Idempotency-Key '" + key + "' was already used by " + POLICE);
    }

    @Test
    void pagesTheInboxWithACursor() throws IOException {
        String association = submit(POLICE, gw.sample("victim.orientation"), key())
                .path("recipients")
                .get(0)
                .path("partner")
                .asText();
        String cursor = drain(association);
        String first = submit(POLICE, gw.sample("victim.orientation"), key())
                .path("id")
                .asText();
        String second = submit(POLICE, gw.sample("victim.orientation"), key())
                .path("id")
                .asText();

        JsonNode page1 = json(gw.client(association).get("/v1/inbox?after=" + cursor + "&limit=1"));
        JsonNode page2 = json(gw.client(association)
                .get("/v1/inbox?after=" + page1.path("next").asText() + "&limit=1"));
        JsonNode page3 = json(gw.client(association)
                .get("/v1/inbox?after=" + page2.path("next").asText() + "&limit=1"));

        assertThat(page1.path("items").size()).isEqualTo(1);
        assertThat(page2.path("items").size()).isEqualTo(1);
        assertThat(page1.path("items").get(0).path("referralId").asText()).isEqualTo(first);
        assertThat(page2.path("items").get(0).path("referralId").asText()).isEqualTo(second);
        assertThat(page3.path("items").size()).isZero();
        assertThat(page3.path("next").asText()).isEqualTo(page2.path("next").asText());
        assertProblem(gw.client(association).get("/v1/inbox?limit=1000"), 400, "request_invalid");
    }

    @Test
    void refusesAReceiptThatSkipsAStepOrLacksAReason() throws IOException {
        JsonNode accepted = submit(POLICE, gw.sample("victim.orientation"), key());
        String id = accepted.path("id").asText();
        String association = accepted.path("recipients").get(0).path("partner").asText();

        PartnerClient.Reply completed = receipt(association, id, "{\"status\":\"completed\"}");
        PartnerClient.Reply noReason = receipt(association, id, "{\"status\":\"declined\"}");
        PartnerClient.Reply declined = receipt(association, id, "{\"status\":\"declined\",\"reason\":\"no-capacity\"}");

        assertProblem(completed, 422, "receipt_invalid");
        assertThat(json(completed).path("detail").asText()).contains("cannot record 'completed'");
        assertProblem(noReason, 422, "receipt_invalid");
        assertThat(declined.status()).isEqualTo(200);
        assertThat(json(declined).path("state").asText()).isEqualTo("declined");
    }

    @Test
    void hidesAReferralFromAPartnerThatIsNotPartyToIt() throws IOException {
        String id = submit(POLICE, gw.sample("victim.orientation"), key())
                .path("id")
                .asText();
        String stranger = "siao-75";

        PartnerClient.Reply foreign = gw.client(stranger).get("/v1/referrals/" + id);
        String missingId = UUID.randomUUID().toString();
        PartnerClient.Reply missing = gw.client(stranger).get("/v1/referrals/" + missingId);
        PartnerClient.Reply foreignReceipt = receipt(stranger, id, "{\"status\":\"received\"}");

        assertProblem(foreign, 404, "referral_not_found");
        assertProblem(missing, 404, "referral_not_found");
        assertThat(json(foreign).path("detail").asText().replace(id, "X"))
                .isEqualTo(json(missing).path("detail").asText().replace(missingId, "X"));
        assertProblem(foreignReceipt, 404, "referral_not_found");
    }

    @Test
    void refusesAClientWithoutACertificateDuringTheHandshake() {
        PartnerClient anonymous =
                new PartnerClient("anonymous", ClientTls.trustOnly(gw.pki.resolve("ca.pem")), gw.base);

        assertThatThrownBy(() -> anonymous.get("/v1/health"))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.getMessage())
                        .startsWith("anonymous could not reach the gateway"));
    }

    @Test
    void refusesACertificateThatNoPartnerEntryPins() throws IOException {
        PartnerClient admin = gw.adminClient();
        long before = countReferrals();

        PartnerClient.Reply reply =
                admin.post("/v1/referrals", gw.sample("victim.orientation"), "application/json", Map.of());

        assertProblem(reply, 403, "partner_unknown");
        assertThat(json(reply).path("detail").asText()).startsWith("no partner with certificate fingerprint ");
        assertThat(countReferrals()).isEqualTo(before);
    }

    @Test
    void refusesMalformedJsonAndStoresNothing() throws IOException {
        long before = countReferrals();

        PartnerClient.Reply reply =
                post(POLICE, "{\"type\": \"victim.orientation\",".getBytes(StandardCharsets.UTF_8), key());

        assertProblem(reply, 400, "json_malformed");
        assertThat(json(reply).path("detail").asText()).startsWith("the request body is not valid JSON");
        assertThat(countReferrals()).isEqualTo(before);
    }

    @Test
    void refusesAnUnknownTypeNamingTheKnownOnes() throws IOException {
        ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(gw.sample("victim.orientation"));
        doc.put("type", "victim.orientatoin");

        PartnerClient.Reply reply = post(POLICE, Json.MAPPER.writeValueAsBytes(doc), key());

        assertProblem(reply, 422, "type_unknown");
        assertThat(json(reply).path("detail").asText())
                .contains("victim.orientatoin")
                .contains("victim.orientation");
    }

    @Test
    void refusesAnOversizeBodyWithAProblemDocument() throws IOException {
        byte[] huge = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) ' ');

        PartnerClient.Reply reply = post(POLICE, huge, key());

        assertProblem(reply, 413, "body_too_large");
    }

    @Test
    void explainsSchemaViolationsWithOneErrorPerProblemAndStoresNothing() throws IOException {
        ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(gw.sample("victim.orientation"));
        doc.remove("needs");
        doc.put("unexpected", "x");
        long before = countReferrals();

        PartnerClient.Reply reply = post(POLICE, Json.MAPPER.writeValueAsBytes(doc), key());

        assertProblem(reply, 422, "schema_violation");
        assertThat(json(reply).path("errors").size()).isGreaterThanOrEqualTo(2);
        assertThat(json(reply).path("errors").toString()).contains("needs").contains("unexpected");
        assertThat(countReferrals()).isEqualTo(before);
    }

    @Test
    void refusesAnOrientationWithoutRecordedConsent() throws IOException {
        ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(gw.sample("victim.orientation"));
        ((ObjectNode) doc.path("consent")).put("given", false);

        PartnerClient.Reply reply = post(POLICE, Json.MAPPER.writeValueAsBytes(doc), key());

        assertProblem(reply, 422, "rule_violation");
        assertThat(json(reply).path("detail").asText()).contains("consent");
    }

    @Test
    void refusesAReferralThatNoRouteDeliversAndStoresNothing() throws IOException {
        ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(gw.sample("victim.orientation"));
        doc.put("department", "2A");
        long before = countReferrals();

        PartnerClient.Reply reply = post(POLICE, Json.MAPPER.writeValueAsBytes(doc), key());

        assertProblem(reply, 422, "route_not_found");
        assertThat(json(reply).path("detail").asText())
                .contains("victim.orientation")
                .contains("2A");
        assertThat(countReferrals()).isEqualTo(before);
    }

    @Test
    void refusesATypeThatThePartnerMayNotSend() throws IOException {
        PartnerClient.Reply reply = post(POLICE, gw.sample("removal.objective"), key());

        assertProblem(reply, 403, "type_not_allowed");
        assertThat(json(reply).path("detail").asText()).startsWith(POLICE + " may not send removal.objective");
    }

    @Test
    void answersHealthToAnyClientAndMetricsToMonitoringOnlyWithoutPersonalData() throws IOException {
        submit(POLICE, gw.sample("victim.orientation"), key());

        PartnerClient.Reply health = gw.client(POLICE).get("/v1/health");
        PartnerClient.Reply metrics = gw.client("monitoring-centre-de-veille").get("/metrics");
        PartnerClient.Reply refused = gw.client(POLICE).get("/metrics");

        assertThat(health.status()).isEqualTo(200);
        assertThat(json(health).path("status").asText()).isEqualTo("up");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.text()).contains("passerelle_submissions_total").contains("type=\"victim.orientation\"");
        assertThat(metrics.text()).doesNotContain("Exemple").doesNotContain("FICTIF");
        assertProblem(refused, 403, "not_permitted");
    }

    @Test
    void answersUnknownPathsAndMethodsWithProblems() {
        assertProblem(gw.client(POLICE).get("/v2/nothing"), 404, "not_found");
        assertProblem(gw.client(POLICE).get("/v1/referrals"), 405, "method_not_allowed");
    }

    // --- helpers

    /** Pulls everything waiting; returns the cursor after the last item. */
    private static String drain(String partner) throws IOException {
        String after = "0";
        while (true) {
            JsonNode page = json(gw.client(partner).get("/v1/inbox?after=" + after + "&limit=100"));
            after = page.path("next").asText();
            if (page.path("items").isEmpty()) {
                return after;
            }
        }
    }

    @Test
    void routesAPermitRequestToThePrefectureOfThePersonsResidenceAndCountsItInItsDepartment() throws IOException {
        ObjectNode doc = (ObjectNode) Json.MAPPER.readTree(gw.sample("residence.permit.support"));
        ((ObjectNode) doc.path("subject")).put("residenceDepartment", "974");
        ObjectNode overseasCollectivity = doc.deepCopy();
        ((ObjectNode) overseasCollectivity.path("subject")).put("residenceDepartment", "975");
        long before = countReferrals();

        JsonNode answer = submit(POLICE, Json.MAPPER.writeValueAsBytes(doc), key());
        PartnerClient.Reply refused = post(POLICE, Json.MAPPER.writeValueAsBytes(overseasCollectivity), key());

        assertThat(answer.path("recipients").findValuesAsText("partner")).containsExactly("prefecture-974");
        assertThat(json(gw.client(POLICE)
                                .get("/v1/referrals/" + answer.path("id").asText()))
                        .path("department")
                        .asText())
                .as("the referral keeps the department its sender names")
                .isEqualTo("75");
        assertProblem(refused, 422, "department_invalid");
        assertThat(json(refused).path("detail").asText())
                .startsWith(
                        "subject.residenceDepartment: department '975' is not valid (975 is an overseas collectivity");
        assertThat(countReferrals()).isEqualTo(before + 1);
    }

    private static JsonNode findInInbox(String partner, String referralId) throws IOException {
        return gw.inbox(partner).stream()
                .filter(item -> item.path("referralId").asText().equals(referralId))
                .findFirst()
                .orElseThrow(() -> new AssertionError("referral " + referralId + " not in the inbox of " + partner));
    }

    private static long countReferrals() {
        return gw.countReferrals();
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }

    private static JsonNode submit(String partner, byte[] body, String key) throws IOException {
        PartnerClient.Reply reply = post(partner, body, key);
        assertThat(reply.status())
                .as("submission answered %s", json(reply).path("detail").asText())
                .isEqualTo(202);
        return json(reply);
    }

    private static PartnerClient.Reply post(String partner, byte[] body, String key) {
        return gw.client(partner).post("/v1/referrals", body, "application/json", Map.of("Idempotency-Key", key));
    }

    private static PartnerClient.Reply receipt(String partner, String id, String body) {
        return gw.client(partner)
                .post(
                        "/v1/referrals/" + id + "/receipts",
                        body.getBytes(StandardCharsets.UTF_8),
                        "application/json",
                        Map.of());
    }

    private static JsonNode json(PartnerClient.Reply reply) throws IOException {
        return Json.MAPPER.readTree(reply.body());
    }

    private static void assertProblem(PartnerClient.Reply reply, int status, String code) {
        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
        try {
            JsonNode body = json(reply);
            assertThat(body.path("code").asText()).isEqualTo(code);
            assertThat(body.path("status").asInt()).isEqualTo(status);
            assertThat(body.path("type").asText()).isEqualTo("https://passerelle.example/problems/" + code);
            assertThat(body.path("detail").asText()).isNotBlank();
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + reply.text(), e);
        }
    }
}
