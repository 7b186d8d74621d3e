package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin API over real mutual TLS with the development admin certificate (pinned in config/admins/admin.yaml
 * by the workspace's PKI): a dead letter listed with its last error, replayed, and a referral cancelled.
 */
class AdminDeliveriesIT {
    private static final String SENDER = "association-974-kaz-lespwa";
    static TestGateway gw;
    static PartnerClient admin;

    @BeforeAll
    static void start() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        int port = closed;
        // The SIAO's endpoint refuses connections, and one failed attempt makes a dead letter.
        gw = TestGateway.withConfig(
                Map.of(),
                config -> TestGateway.edit(
                        config.resolve("partners/siao-974.yaml"),
                        yaml -> yaml.replace(
                                "url: https://siao-974.example.invalid/passerelle/demandes",
                                "url: https://127.0.0.1:" + port + "/demandes\n  max_attempts: 1")));
        admin = gw.adminClient();
    }

    @AfterAll
    static void stop() throws IOException {
        gw.close();
    }

    @Test
    void listsADeadLetterWithItsErrorReplaysItAndCancelsItsReferral() throws IOException {
        String id = submitShelterRequestToTheSiao();
        JsonNode dead = awaitDeadLetter(id);

        assertThat(dead.path("transport").asText()).isEqualTo("https");
        assertThat(dead.path("attempts").asInt()).isEqualTo(1);
        assertThat(dead.path("lastError").asText()).isEqualTo("connection refused");

        PartnerClient.Reply replay = admin.post(
                "/admin/v1/partners/siao-974/dead-letters/" + dead.path("id").asLong() + "/replay",
                new byte[0],
                "application/json",
                Map.of());
        assertThat(replay.status()).as(replay.text()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(replay.body()).path("replayed").asInt()).isEqualTo(1);

        PartnerClient.Reply cancel =
                admin.post("/admin/v1/referrals/" + id + "/cancel", new byte[0], "application/json", Map.of());
        assertThat(cancel.status()).as(cancel.text()).isEqualTo(200);
        JsonNode status = Json.MAPPER.readTree(
                gw.client(SENDER).get("/v1/referrals/" + id).body());
        assertThat(status.path("status").asText()).isEqualTo("cancelled");
        assertThat(status.path("history").toString())
                .contains(
                        "\"actor\":\"admin:admin\"",
                        "\"action\":\"delivery.replayed\"",
                        "\"action\":\"referral.cancelled\"");

        PartnerClient.Reply again =
                admin.post("/admin/v1/referrals/" + id + "/cancel", new byte[0], "application/json", Map.of());
        assertThat(again.status()).isEqualTo(409);
        assertThat(Json.MAPPER.readTree(again.body()).path("code").asText()).isEqualTo("state_conflict");
    }

    @Test
    void keepsTheAdminApiFromPartners() throws IOException {
        PartnerClient.Reply reply = gw.client("monitoring-centre-de-veille").get("/admin/v1/deliveries");

        assertThat(reply.status()).isEqualTo(403);
        assertThat(Json.MAPPER.readTree(reply.body()).path("code").asText()).isEqualTo("not_permitted");
        assertThat(Json.MAPPER.readTree(reply.body()).path("detail").asText())
                .startsWith("the admin API is for administrators; certificate ");
    }

    @Test
    void refusesAnUnknownStateWithTheListOfStates() throws IOException {
        PartnerClient.Reply reply = admin.get("/admin/v1/deliveries?state=lost");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(reply.body()).path("detail").asText())
                .isEqualTo("state 'lost' is unknown"
                        + " (expected one of: pending, delivered, received, accepted, declined, completed, failed, expired,"
                        + " cancelled)");
    }

    @Test
    void answersAMalformedPartnerIdAsTheCallersError() throws IOException {
        PartnerClient.Reply query = admin.get("/admin/v1/deliveries?partner=Siao_974");
        PartnerClient.Reply path =
                admin.post("/admin/v1/partners/SIAO/dead-letters/replay", new byte[0], "application/json", Map.of());

        assertThat(query.status()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(query.body()).path("detail").asText())
                .isEqualTo("query parameter 'partner'"
                        + " is not a partner id (expected: <kind>-<words>, lowercase letters, digits and dashes, such as"
                        + " police-75-brp)");
        assertThat(path.status()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(path.body()).path("code").asText()).isEqualTo("request_invalid");
    }

    private static String submitShelterRequestToTheSiao() throws IOException {
        String sample = new String(gw.sample("shelter.request"), StandardCharsets.UTF_8)
                .replace("\"department\": \"75\"", "\"department\": \"974\"");
        PartnerClient.Reply reply = gw.client(SENDER)
                .post("/v1/referrals", sample.getBytes(StandardCharsets.UTF_8), "application/json", Map.of());
        assertThat(reply.status()).as(reply.text()).isEqualTo(202);
        return Json.MAPPER.readTree(reply.body()).path("id").asText();
    }

    private static JsonNode awaitDeadLetter(String referralId) {
        return await("the delivery of " + referralId + " becoming a dead letter")
                .atMost(Duration.ofSeconds(30))
                .until(() -> deadLetter(referralId), Optional::isPresent)
                .orElseThrow();
    }

    private static Optional<JsonNode> deadLetter(String referralId) throws IOException {
        JsonNode page = Json.MAPPER.readTree(
                admin.get("/admin/v1/deliveries?state=failed&partner=siao-974").body());
        for (JsonNode delivery : page.path("deliveries")) {
            if (delivery.path("referralId").asText().equals(referralId)) {
                return Optional.of(delivery);
            }
        }
        return Optional.empty();
    }
}
