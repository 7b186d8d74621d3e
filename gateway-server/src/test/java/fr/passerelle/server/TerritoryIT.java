package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The rule prefecture-serves-department on a real gateway (TLS, PostgreSQL, the shipped configuration): La
 * Réunion's prefecture, in its own XML, may not send a removal objective for Paris, nor Paris's prefecture a
 * closure for La Réunion, nor La Réunion's prefect's cabinet (security) a closure for Paris; each is refused with the
 * rule named, nothing stored or delivered, and the refusal logged with ids and codes only. The same referral for the prefecture's own department passes. The admin API's dry run
 * shows the same refusal.
 */
class TerritoryIT {
    private static final String REUNION = "prefecture-974";
    private static final String PARIS = "prefecture-75";
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
    void refusesARemovalObjectiveFromAPrefectureThatDoesNotServeItsDepartment() throws IOException {
        long before = gw.countReferrals();
        ListAppender<ILoggingEvent> logged = capture();

        PartnerClient.Reply reply;
        try {
            reply = postXml(REUNION, removalObjectiveXml("75"));
        } finally {
            release(logged);
        }

        assertThat(reply.status()).as(reply.text()).isEqualTo(403);
        JsonNode problem = Json.MAPPER.readTree(reply.body());
        assertThat(problem.path("code").asText()).isEqualTo("department_not_served");
        assertThat(problem.path("detail").asText())
                .isEqualTo("prefecture-974 serves 974 only: a removal.objective for 75 must come from a prefecture"
                        + " serving 75 (rule prefecture-serves-department); send it through that prefecture, or, if"
                        + " prefecture-974 does serve 75, ask the gateway's administrator to add \"75\" to"
                        + " departments: in its registry entry (partners/prefecture-974.yaml)");
        assertThat(gw.countReferrals()).as("nothing stored").isEqualTo(before);
        List<String> lines =
                logged.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(lines).contains("Refused POST /v1/referrals from prefecture-974: department_not_served");
        for (String personal : TestGateway.SAMPLE_CONTENT) {
            assertThat(String.join("\n", lines)).doesNotContain(personal);
        }
    }

    @Test
    void acceptsARemovalObjectiveFromThePrefectureOfItsDepartment() throws IOException {
        PartnerClient.Reply reply = postXml(REUNION, removalObjectiveXml("974"));

        assertThat(reply.status()).as(reply.text()).isEqualTo(202);
        JsonNode accepted = Json.MAPPER.readTree(reply.body());
        assertThat(accepted.path("recipients"))
                .extracting(r -> r.path("partner").asText())
                .contains("police-974-sdpj")
                .noneMatch(partner -> partner.contains("-75-"));
    }

    @Test
    void refusesAClosureFromAPrefectureThatDoesNotServeItsDepartmentAndAcceptsItForItsOwn() throws IOException {
        long before = gw.countReferrals();

        PartnerClient.Reply refused = postJson(PARIS, closure("974"));

        assertThat(refused.status()).as(refused.text()).isEqualTo(403);
        JsonNode problem = Json.MAPPER.readTree(refused.body());
        assertThat(problem.path("code").asText()).isEqualTo("department_not_served");
        assertThat(problem.path("detail").asText())
                .startsWith("prefecture-75 serves 75 only: an administrative.closure for 974 must come from a"
                        + " prefect's service (security or prefecture) serving 974 (rule"
                        + " prefecture-serves-department)");
        assertThat(gw.countReferrals()).as("nothing stored").isEqualTo(before);
        PartnerClient.Reply accepted = postJson(PARIS, closure("75"));
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
    }

    @Test
    void refusesAClosureFromAPrefectsCabinetThatDoesNotServeItsDepartmentAndAcceptsItForItsOwn() throws IOException {
        long before = gw.countReferrals();

        PartnerClient.Reply refused = postJson("security-974", closure("75"));
        PartnerClient.Reply accepted = postJson("security-974", reunionClosure());

        assertThat(refused.status()).as(refused.text()).isEqualTo(403);
        assertThat(Json.MAPPER.readTree(refused.body()).path("detail").asText())
                .startsWith("security-974 serves 974 only: an administrative.closure for 75 must come from a"
                        + " prefect's service (security or prefecture) serving 75 (rule"
                        + " prefecture-serves-department)");
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
        assertThat(gw.countReferrals()).as("only the accepted one stored").isEqualTo(before + 1);
        assertThat(Json.MAPPER.readTree(accepted.body()).path("recipients"))
                .extracting(r -> r.path("partner").asText())
                .contains("police-974-sdpj", "labour-974-deets", "urssaf-974-cgss", "caf-974", "prosecutor-974-parquet")
                .doesNotContain("prosecutor-974-mineurs")
                .noneMatch(partner -> partner.contains("-75"));
        // The services the closure lists that La Réunion has no partner for are named, never silently dropped.
        assertThat(Json.MAPPER.readTree(accepted.body()).path("unreached"))
                .extracting(u ->
                        u.path("participant").asText() + ":" + u.path("kind").asText())
                .containsExactly("tax:tax", "customs:customs", "cpam:cpam", "france-travail:employment");
    }

    @Test
    void theDryRunShowsTheSameRefusalForTheSenderAndDepartment() throws IOException {
        JsonNode refused = dryRun(
                "{\"sender\": \"prefecture-974\", \"type\": \"removal.objective\"," + " \"department\": \"75\"}");
        JsonNode accepted = dryRun(
                "{\"sender\": \"prefecture-974\", \"type\": \"removal.objective\"," + " \"department\": \"974\"}");

        assertThat(refused.path("accepted").asBoolean()).isFalse();
        assertThat(refused.path("refusals")).hasSize(1);
        assertThat(refused.path("refusals").get(0).path("code").asText()).isEqualTo("department_not_served");
        assertThat(refused.path("refusals").get(0).path("message").asText())
                .startsWith("prefecture-974 serves 974 only: a removal.objective for 75 must come from a prefecture"
                        + " serving 75 (rule prefecture-serves-department)");
        assertThat(accepted.path("accepted").asBoolean())
                .as(accepted.toString())
                .isTrue();
        assertThat(accepted.path("refusals")).isEmpty();
    }

    private static String removalObjectiveXml(String department) throws IOException {
        return Files.readString(gw.config.resolve("samples/prefecture-xml/removal.objective.xml"))
                .replace("<departement>974</departement>", "<departement>" + department + "</departement>");
    }

    /** The sample closure in La Réunion: the commune's INSEE code follows the department. */
    private static byte[] reunionClosure() throws IOException {
        ObjectNode closure = (ObjectNode) Json.MAPPER.readTree(gw.sample("administrative.closure"));
        closure.put("department", "974");
        ((ObjectNode) closure.get("establishment"))
                .put("commune", "Saint-Denis")
                .put("inseeCode", "97411");
        return Json.MAPPER.writeValueAsBytes(closure);
    }

    private static byte[] closure(String department) throws IOException {
        ObjectNode closure = (ObjectNode) Json.MAPPER.readTree(gw.sample("administrative.closure"));
        closure.put("department", department);
        return Json.MAPPER.writeValueAsBytes(closure);
    }

    private static PartnerClient.Reply postXml(String sender, String xml) {
        return gw.client(sender)
                .post(
                        "/v1/referrals",
                        xml.getBytes(StandardCharsets.UTF_8),
                        "application/xml",
                        Map.of("Idempotency-Key", UUID.randomUUID().toString()));
    }

    private static PartnerClient.Reply postJson(String sender, byte[] json) {
        return gw.client(sender)
                .post(
                        "/v1/referrals",
                        json,
                        "application/json",
                        Map.of("Idempotency-Key", UUID.randomUUID().toString()));
    }

    private static JsonNode dryRun(String body) throws IOException {
        PartnerClient.Reply reply = gw.adminClient()
                .post("/admin/v1/dry-run", body.getBytes(StandardCharsets.UTF_8), "application/json", Map.of());
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        return Json.MAPPER.readTree(reply.body());
    }

    /** The gateway's level as it was before {@link #capture()}: a command line run earlier in the JVM lowers it. */
    private static ch.qos.logback.classic.Level levelBefore;

    private static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        Logger ours = (Logger) LoggerFactory.getLogger("fr.passerelle");
        levelBefore = ours.getLevel();
        ours.setLevel(ch.qos.logback.classic.Level.INFO);
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(captured);
        return captured;
    }

    private static void release(ListAppender<ILoggingEvent> captured) {
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(captured);
        ((Logger) LoggerFactory.getLogger("fr.passerelle")).setLevel(levelBefore);
    }
}
