package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.core.testkit.FakeClock;
import fr.passerelle.core.testkit.PartnerEndpoint;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.devkit.PartnerHttpsServer;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deadlines of the shipped routes.yaml on a gateway whose clock the test moves: an immediate shelter request
 * that the SIAO leaves unacknowledged is escalated to the State's housing service on duty (the DRIHL, which has
 * authority over the 115) and to the sender, through their own
 * transports (pull inbox, HTTPS push), once; so is one the SIAO declines for lack of places, at once; one acknowledged
 * in time, or declined for another reason, is not; one that nobody accepts expires, and
 * the sender and the SIAO holding it are told; a cancellation tells those who hold a copy. Every notice is opened
 * with the partner's key, as the partner would.
 */
class DeadlinesIT {
    private static final String POLICE = "police-75-brp";
    private static final String SIAO = "siao-75";
    private static final String HOUSING = "housing-75-drihl";
    private static final String ASSOCIATION_974 = "association-974-kaz-lespwa";
    private static final FakeClock clock = new FakeClock(Instant.now());
    static PartnerEndpoint siao974;
    static TestGateway gw;

    @BeforeAll
    static void start() throws IOException {
        siao974 = PartnerEndpoint.reserve(port ->
                PartnerHttpsServer.bind(gw.pki, gw.pki.resolveSibling("partner-endpoint"), "siao-974-endpoint", port));
        gw = TestGateway.withClock(
                Map.of(),
                clock,
                config -> TestGateway.edit(
                        config.resolve("partners/siao-974.yaml"),
                        yaml -> yaml.replace(
                                "url: https://siao-974.example.invalid/passerelle/demandes",
                                "url: " + siao974.url("/in"))));
        siao974.up();
    }

    @AfterAll
    static void stop() throws IOException {
        siao974.close();
        gw.close();
    }

    @Test
    void escalatesAnUnacknowledgedImmediateShelterRequestToTheHousingServiceAndTheSenderOnce() throws Exception {
        String id = submit(POLICE, "75");

        clock.advance(Duration.ofMinutes(29));
        gw.gateway.deadlines().run();
        assertThat(notices(HOUSING, id)).isEmpty();

        clock.advance(Duration.ofMinutes(2));
        gw.gateway.deadlines().run();
        gw.gateway.deadlines().run();

        JsonNode notice = escalatedOnce(id);
        assertThat(notice.path("referralId").asText()).isEqualTo(id);
        assertThat(notice.path("type").asText()).isEqualTo("shelter.request");
        assertThat(notice.path("urgency").asText()).isEqualTo("immediate");
        assertThat(notice.path("deadline").asText()).isEqualTo("PT30M");
        assertThat(notice.path("cause").asText()).isEqualTo("unacknowledged");
        assertThat(notice.path("recipients").toString()).isEqualTo("[{\"partner\":\"siao-75\",\"state\":\"pending\"}]");
        assertThat(notice.has("referral"))
                .as("a notice carries no content of the referral")
                .isFalse();
        assertThat(status(POLICE, id).path("status").asText()).isEqualTo("routed");
    }

    @Test
    void escalatesARequestTheSiaoDeclinesForLackOfPlacesAtOnceAndOnce() throws Exception {
        String id = submit(POLICE, "75");
        gw.inbox(SIAO);
        assertThat(declined(SIAO, id, "no-capacity")).isEqualTo(200);

        gw.gateway.deadlines().run();
        gw.gateway.deadlines().run();
        clock.advance(Duration.ofMinutes(31));
        gw.gateway.deadlines().run();

        JsonNode notice = escalatedOnce(id);
        assertThat(notice.path("cause").asText()).isEqualTo("no-capacity");
        assertThat(notice.has("deadline")).as("no deadline ran out").isFalse();
        assertThat(notice.path("recipients").toString())
                .isEqualTo("[{\"partner\":\"siao-75\",\"state\":\"declined\"}]");
        assertThat(status(POLICE, id).path("status").asText()).isEqualTo("declined");
    }

    @Test
    void endsARequestDeclinedForAnotherReasonWithoutEscalation() throws Exception {
        String id = submit(POLICE, "75");
        gw.inbox(SIAO);
        assertThat(declined(SIAO, id, "duplicate")).isEqualTo(200);

        clock.advance(Duration.ofHours(1));
        gw.gateway.deadlines().run();

        assertThat(notices(HOUSING, id)).isEmpty();
        assertThat(gw.auditActions(id)).doesNotContain("referral.escalated");
    }

    @Test
    void leavesARequestThatTheSiaoAcknowledgedInTime() throws Exception {
        String id = submit(POLICE, "75");
        gw.inbox(SIAO);
        assertThat(receipt(SIAO, id, "received")).isEqualTo(200);

        clock.advance(Duration.ofHours(1));
        gw.gateway.deadlines().run();

        assertThat(notices(HOUSING, id)).isEmpty();
        assertThat(gw.auditActions(id)).doesNotContain("referral.escalated");
    }

    @Test
    void expiresARequestNobodyAcceptedAndTellsTheSenderAndTheSiaoThatHoldsIt() throws Exception {
        String id = submit(POLICE, "75");
        gw.inbox(SIAO);
        assertThat(receipt(SIAO, id, "received")).isEqualTo(200);

        clock.advance(Duration.ofHours(24).plusMinutes(1));
        gw.gateway.deadlines().run();

        assertThat(status(POLICE, id).path("status").asText()).isEqualTo("expired");
        assertThat(status(POLICE, id).path("deliveries").get(0).path("state").asText())
                .isEqualTo("expired");
        assertThat(receipt(SIAO, id, "accepted"))
                .as("an expired copy takes no answer")
                .isEqualTo(422);
        List<JsonNode> toSiao = notices(SIAO, id);
        assertThat(toSiao).hasSize(1);
        JsonNode siaoNotice = gw.open(SIAO, toSiao.get(0));
        assertThat(siaoNotice.path("notice").asText()).isEqualTo("expired");
        assertThat(siaoNotice.path("deadline").asText()).isEqualTo("PT24H");
        assertThat(siaoNotice.has("recipients"))
                .as("a recipient learns nothing of the other copies")
                .isFalse();
        JsonNode policeNotice = gw.open(
                POLICE,
                notices(POLICE, id).stream()
                        .filter(n -> n.path("notice").asText().equals("expired"))
                        .findFirst()
                        .orElseThrow());
        assertThat(policeNotice.path("recipients").toString())
                .isEqualTo("[{\"partner\":\"siao-75\",\"state\":\"received\"}]");
        assertThat(gw.auditActions(id)).containsOnlyOnce("referral.expired");
    }

    @Test
    void pushesTheNoticeToAPartnerThatIsDeliveredByHttps() throws Exception {
        siao974.reset();
        String id = submit(ASSOCIATION_974, "974");
        List<PartnerEndpoint.Received> copy = siao974.await(1, Duration.ofSeconds(20));
        assertThat(copy).hasSize(1);
        assertThat(copy.get(0).notice()).isEmpty();
        awaitState(ASSOCIATION_974, id, "delivered");

        clock.advance(Duration.ofHours(24).plusMinutes(1));
        gw.gateway.deadlines().run();

        List<PartnerEndpoint.Received> received = siao974.await(2, Duration.ofSeconds(20));
        assertThat(received).hasSize(2);
        PartnerEndpoint.Received notice = received.get(1);
        assertThat(notice.referralId()).isEqualTo(id);
        assertThat(notice.notice()).isEqualTo("expired");
        assertThat(notice.deliveryId()).isNotEqualTo(copy.get(0).deliveryId());
        assertThat(gw.open("siao-974", notice.body()).path("notice").asText()).isEqualTo("expired");
    }

    @Test
    void aCancellationTellsTheRecipientThatHoldsACopyAndTheSender() throws Exception {
        PartnerClient admin = gw.adminClient();
        String id = submit(POLICE, "75");
        gw.inbox(SIAO);

        PartnerClient.Reply cancel =
                admin.post("/admin/v1/referrals/" + id + "/cancel", new byte[0], "application/json", Map.of());

        assertThat(cancel.status()).as(cancel.text()).isEqualTo(200);
        List<JsonNode> toSiao = notices(SIAO, id);
        assertThat(toSiao).hasSize(1);
        assertThat(gw.open(SIAO, toSiao.get(0)).path("notice").asText()).isEqualTo("cancelled");
        assertThat(notices(POLICE, id))
                .extracting(n -> n.path("notice").asText())
                .contains("cancelled");
        assertThat(notices(HOUSING, id)).isEmpty();
        assertThat(status(POLICE, id).path("status").asText())
                .as("pulling a notice does not undo the end")
                .isEqualTo("cancelled");
    }

    /**
     * Asserts that the housing service on duty and the sender each got one {@code escalated} notice about the
     * referral, with one audit entry, and returns the duty partner's, opened.
     */
    private static JsonNode escalatedOnce(String id) throws IOException {
        List<JsonNode> duty = notices(HOUSING, id);
        assertThat(duty).hasSize(1);
        assertThat(duty.get(0).path("notice").asText()).isEqualTo("escalated");
        List<JsonNode> sender = notices(POLICE, id);
        assertThat(sender).hasSize(1);
        JsonNode toSender = gw.open(POLICE, sender.get(0));
        assertThat(toSender.path("notice").asText()).isEqualTo("escalated");
        assertThat(gw.auditActions(id)).containsOnlyOnce("referral.escalated");
        JsonNode notice = gw.open(HOUSING, duty.get(0));
        assertThat(notice.path("notice").asText()).isEqualTo("escalated");
        assertThat(toSender.path("cause")).isEqualTo(notice.path("cause"));
        return notice;
    }

    private static String submit(String sender, String department) throws IOException {
        String sample = new String(gw.sample("shelter.request"), StandardCharsets.UTF_8)
                .replace("\"department\": \"75\"", "\"department\": \"" + department + "\"");
        PartnerClient.Reply reply = gw.client(sender)
                .post("/v1/referrals", sample.getBytes(StandardCharsets.UTF_8), "application/json", Map.of());
        assertThat(reply.status()).as(reply.text()).isEqualTo(202);
        return Json.MAPPER.readTree(reply.body()).path("id").asText();
    }

    /** The notices about one referral in a partner's inbox. */
    private static List<JsonNode> notices(String partner, String referralId) throws IOException {
        return gw.inbox(partner).stream()
                .filter(i -> i.path("referralId").asText().equals(referralId))
                .filter(i -> i.has("notice"))
                .toList();
    }

    private static int receipt(String partner, String id, String status) {
        return gw.client(partner)
                .post(
                        "/v1/referrals/" + id + "/receipts",
                        ("{\"status\": \"" + status + "\"}").getBytes(StandardCharsets.UTF_8),
                        "application/json",
                        Map.of())
                .status();
    }

    private static int declined(String partner, String id, String reason) {
        return gw.client(partner)
                .post(
                        "/v1/referrals/" + id + "/receipts",
                        ("{\"status\": \"declined\", \"reason\": \"" + reason + "\"}").getBytes(StandardCharsets.UTF_8),
                        "application/json",
                        Map.of())
                .status();
    }

    /** Waits until the first copy of the referral is in {@code state}, as its sender sees it. */
    private static void awaitState(String sender, String id, String state) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(status(sender, id)
                                .path("deliveries")
                                .get(0)
                                .path("state")
                                .asText())
                        .as("the state of the copy of " + id)
                        .isEqualTo(state));
    }

    private static JsonNode status(String partner, String id) throws IOException {
        return Json.MAPPER.readTree(
                gw.client(partner).get("/v1/referrals/" + id).body());
    }
}
