package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.core.testkit.PartnerEndpoint;
import fr.passerelle.core.testkit.PartnerEndpoint.Answer;
import fr.passerelle.core.testkit.PartnerEndpoint.Received;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.devkit.PartnerHttpsServer;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pushed delivery through a real gateway, a real PostgreSQL and a real HTTPS partner endpoint with mutual TLS
 * (the SIAO of La Réunion's), on a short retry curve: one sender, so that the endpoint sees the deliveries in the
 * order the gateway chose them. One gateway for the class; each test leaves nothing waiting for the SIAO.
 */
class DeliveryResilienceIT {
    private static final String SIAO = "siao-974";
    private static final String ASSOCIATION = "association-974-kaz-lespwa";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private static PartnerEndpoint endpoint;
    private static TestGateway gw;

    @BeforeAll
    static void start() throws IOException {
        endpoint = PartnerEndpoint.reserve(port ->
                PartnerHttpsServer.bind(gw.pki, gw.pki.resolveSibling("partner-endpoint"), "siao-974-endpoint", port));
        gw = TestGateway.withConfig(Map.of(), config -> {
            TestGateway.edit(
                    config.resolve("partners/" + SIAO + ".yaml"),
                    text -> replace(
                            text,
                            "url: https://siao-974.example.invalid/passerelle/demandes",
                            "url: " + endpoint.url("/passerelle/demandes")));
            TestGateway.edit(
                    config.resolve("gateway.yaml"),
                    text -> replace(
                            replace(
                                    replace(
                                            replace(
                                                    replace(
                                                            replace(
                                                                    replace(
                                                                            replace(
                                                                                    text,
                                                                                    "  senders: 4",
                                                                                    "  senders: 1"),
                                                                            "  poll_millis: 1000",
                                                                            "  poll_millis: 100"),
                                                                    "  lease_seconds: 360",
                                                                    "  lease_seconds: 10"),
                                                            "  first_retry_seconds: 5",
                                                            "  first_retry_seconds: 1"),
                                                    "  max_retry_seconds: 3600",
                                                    "  max_retry_seconds: 2"),
                                            "  breaker_failures: 5",
                                            "  breaker_failures: 3"),
                                    "  breaker_pause_seconds: 60",
                                    "  breaker_pause_seconds: 2"),
                            "    request_timeout_seconds: 30",
                            "    request_timeout_seconds: 1"));
        });
    }

    @AfterAll
    static void stop() throws IOException {
        endpoint.close();
        gw.close();
    }

    /** Lets the endpoint take whatever a test left waiting, then forgets what it received. */
    @AfterEach
    void deliverWhatIsLeft() throws Exception {
        endpoint.reset();
        endpoint.up();
        eventually("nothing waits for " + SIAO, DeliveryResilienceIT::pendingForSiao, count -> count == 0);
        endpoint.reset();
    }

    @Test
    void deliversEverythingOnceThePartnerIsBackImmediateRequestsFirst() throws Exception {
        endpoint.down();

        String routine1 = submit("routine");
        String routine2 = submit("routine");
        String urgent = submit("urgent");
        String immediate = submit("immediate");
        eventually(
                "the breaker of " + SIAO + " opens",
                () -> metric("passerelle_delivery_breaker_open", SIAO),
                value -> value == 1.0);

        endpoint.up();
        List<Received> received = endpoint.await(4, WAIT);

        assertThat(received).extracting(Received::referralId).hasSize(4);
        assertThat(received).extracting(Received::answer).containsOnly(Answer.OK);
        assertThat(received.subList(0, 2)).extracting(Received::referralId).containsExactly(immediate, urgent);
        assertThat(received.subList(2, 4))
                .extracting(Received::referralId)
                .containsExactlyInAnyOrder(routine1, routine2);
        for (String id : List.of(routine1, routine2, urgent, immediate)) {
            awaitState(id, "delivered");
        }
        eventually(
                "the breaker of " + SIAO + " closes",
                () -> metric("passerelle_delivery_breaker_open", SIAO),
                value -> value == 0.0);
    }

    @Test
    void deliversOnTheSecondAttemptAfterAServerError() throws Exception {
        endpoint.answer(Answer.ERROR).up();

        String id = submit("routine");

        assertDeliveredOnTheSecondAttempt(awaitState(id, "delivered"), Answer.ERROR, "HTTP-500");
    }

    @Test
    void givesUpAtOnceWhenThePartnerRefusesForGood() throws Exception {
        endpoint.answer(Answer.NOT_FOUND).up();

        String id = submit("urgent");

        JsonNode status = awaitState(id, "failed");
        assertThat(status.path("status").asText()).isEqualTo("failed");
        assertThat(deliveryActions(status)).containsExactly("delivery.failed");
        assertThat(historyEntry(status, "delivery.failed").path("outcome").asText())
                .isEqualTo("permanent");
        assertThat(endpoint.received()).extracting(Received::answer).containsExactly(Answer.NOT_FOUND);
        assertThat(deliveryRow(id)).isEqualTo("failed, 1 attempt, last error: HTTP 404");
    }

    @Test
    void triesAgainWhenThePartnerDoesNotAnswerInTime() throws Exception {
        endpoint.answer(Answer.HANG).up();

        String id = submit("immediate");

        assertDeliveredOnTheSecondAttempt(awaitState(id, "delivered"), Answer.HANG, "no-answer-within-1-s");
    }

    @Test
    void showsTheQueueTheDeadLettersAndTheLatencyOfAPartnerInTheMetrics() throws Exception {
        endpoint.answer(Answer.OK, Answer.NOT_FOUND).up();
        String delivered = submit("routine");
        awaitState(delivered, "delivered");
        String dead = submit("routine");
        awaitState(dead, "failed");
        long deadLetters = deadLettersForSiao();
        endpoint.down();

        submit("urgent");
        submit("routine");

        assertThat(pendingForSiao()).isEqualTo(2);
        eventually(
                "the metrics show two deliveries waiting for " + SIAO,
                () -> metric("passerelle_outbox_pending", SIAO),
                value -> value == 2.0);
        assertThat(metric("passerelle_outbox_dead_letters", SIAO)).isEqualTo((double) deadLetters);
        eventually(
                "the metrics show the age of the oldest",
                () -> metric("passerelle_outbox_oldest_age_seconds", SIAO),
                value -> value > 0);
        String text = scrape();
        assertThat(text).contains("passerelle_delivery_latency_seconds_bucket{transport=\"https\",le=");
        assertThat(text).contains("passerelle_deliveries_total{outcome=\"permanent\",transport=\"https\"}");
        assertThat(text)
                .doesNotContain(dead)
                .doesNotContain(delivered)
                .doesNotContain("Exemple")
                .doesNotContain("FICTIF");
    }

    // --- helpers

    /** A shelter request from the association of La Réunion, which routes to the SIAO of La Réunion alone. */
    private static String submit(String urgency) throws IOException {
        String body = new String(gw.sample("shelter.request"), StandardCharsets.UTF_8)
                .replace("\"department\": \"75\"", "\"department\": \"974\"")
                .replace("\"urgency\": \"immediate\"", "\"urgency\": \"" + urgency + "\"");
        PartnerClient.Reply reply = gw.client(ASSOCIATION)
                .post(
                        "/v1/referrals",
                        body.getBytes(StandardCharsets.UTF_8),
                        "application/json",
                        Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        JsonNode accepted = Json.MAPPER.readTree(reply.body());
        assertThat(reply.status())
                .as("submission answered %s", accepted.path("detail").asText())
                .isEqualTo(202);
        assertThat(accepted.path("recipients").findValuesAsText("partner")).containsExactly(SIAO);
        return accepted.path("id").asText();
    }

    /** The same delivery twice: the first attempt failed with {@code first}, the second one took it. */
    private static void assertDeliveredOnTheSecondAttempt(JsonNode status, Answer first, String reason) {
        List<Received> received = endpoint.received();
        assertThat(received).extracting(Received::answer).containsExactly(first, Answer.OK);
        assertThat(received).extracting(Received::attempt).containsExactly(1, 2);
        assertThat(received.get(1).deliveryId()).isEqualTo(received.get(0).deliveryId());
        assertThat(deliveryActions(status)).containsExactly("delivery.retry", "delivery.pushed");
        assertThat(historyEntry(status, "delivery.retry").path("reason").asText())
                .isEqualTo(reason);
    }

    /** The referral's status once its one recipient's copy is in {@code state}. */
    private static JsonNode awaitState(String id, String state) throws InterruptedException {
        return eventually(
                "referral " + id + " is " + state + " for " + SIAO, () -> status(id), status -> recipientState(status)
                        .equals(state));
    }

    private static JsonNode status(String id) {
        try {
            return Json.MAPPER.readTree(
                    gw.client(ASSOCIATION).get("/v1/referrals/" + id).body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String recipientState(JsonNode status) {
        return status.path("deliveries").get(0).path("state").asText();
    }

    private static List<String> deliveryActions(JsonNode status) {
        return status.path("history").findValuesAsText("action").stream()
                .filter(a -> a.startsWith("delivery."))
                .toList();
    }

    private static JsonNode historyEntry(JsonNode status, String action) {
        for (JsonNode entry : status.path("history")) {
            if (entry.path("action").asText().equals(action)) {
                return entry.path("detail");
            }
        }
        throw new AssertionError("no " + action + " in the history");
    }

    private static String deliveryRow(String referralId) throws SQLException {
        try (Connection c = gw.gateway.database().dataSource().getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT state, attempts, last_error FROM delivery WHERE referral_id = ?::uuid")) {
            select.setString(1, referralId);
            try (ResultSet rs = select.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1) + ", " + rs.getInt(2) + " attempt" + (rs.getInt(2) == 1 ? "" : "s")
                        + ", last error: " + rs.getString(3);
            }
        }
    }

    private static long pendingForSiao() {
        return count("state = 'pending'");
    }

    private static long deadLettersForSiao() {
        return count("state = 'failed'");
    }

    private static long count(String condition) {
        try (Connection c = gw.gateway.database().dataSource().getConnection();
                PreparedStatement select =
                        c.prepareStatement("SELECT count(*) FROM delivery WHERE recipient = ? AND " + condition)) {
            select.setString(1, SIAO);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new AssertionError("cannot count the deliveries to " + SIAO, e);
        }
    }

    private static String scrape() {
        PartnerClient.Reply reply = gw.client("monitoring-centre-de-veille").get("/metrics");
        assertThat(reply.status()).isEqualTo(200);
        return reply.text();
    }

    /** The value of a gauge with the label partner="{@code partner}", or -1 when it is not shown. */
    private static double metric(String name, String partner) {
        Matcher m = Pattern.compile(
                        "(?m)^" + Pattern.quote(name) + "\\{partner=\"" + Pattern.quote(partner) + "\"} (\\S+)$")
                .matcher(scrape());
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    /** Polls until {@code done} holds, failing with {@code what} and the last value read after {@link #WAIT}. */
    private static <T> T eventually(String what, Callable<T> read, Predicate<T> done) {
        return await(what).atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(read, done);
    }

    private static String replace(String text, String from, String to) {
        if (!text.contains(from)) {
            throw new AssertionError("the shipped configuration no longer holds '" + from + "'");
        }
        return text.replace(from, to);
    }
}
