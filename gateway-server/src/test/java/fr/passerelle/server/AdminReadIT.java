package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.EndpointTable;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The read side of the admin API over real mutual TLS with the development admin certificate: dry run, statistics
 * and the OpenAPI document, which must describe every /admin/v1 operation the gateway serves and no other.
 */
class AdminReadIT {
    private static final String POLICE = "police-75-brp";
    static TestGateway gw;
    static PartnerClient admin;

    @BeforeAll
    static void start() throws IOException {
        gw = TestGateway.start(Map.of());
        admin = gw.adminClient();
    }

    @AfterAll
    static void stop() throws IOException {
        gw.close();
    }

    @Test
    void dryRunOfATypeNamesRoutesRecipientsFieldsAdapterAndTransport() throws IOException {
        JsonNode result = dryRun("{\"sender\": \"police-75-brp\", \"type\": \"victim.orientation\", \"department\":"
                + " \"75\", \"urgency\": \"urgent\"}");

        assertThat(result.path("accepted").asBoolean()).isTrue();
        assertThat(result.path("routes").get(0).path("id").asText()).isEqualTo("orientation-75-exit-pathway");
        JsonNode recipient = result.path("recipients").get(0);
        assertThat(recipient.path("partner").asText()).isEqualTo("association-75-amarante");
        assertThat(recipient.path("fields").toString()).contains("\"subject.languages\"", "\"consent\"");
        assertThat(recipient.path("adapter").asText()).isNotBlank();
        assertThat(recipient.path("transport").asText()).isNotBlank();
        // Without a document there is no consent to limit them: the SIAO's route counts too (docs/CONSENT.md).
        assertThat(result.path("recipients"))
                .extracting(r -> r.path("partner").asText())
                .containsExactly("association-75-amarante", "siao-75");
    }

    @Test
    void dryRunOfAReferralListsTheKeptAndRemovedPathsButNoValue() throws IOException {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("sender", POLICE);
        body.set("referral", Json.MAPPER.readTree(gw.sample("victim.orientation")));

        JsonNode result = dryRun(body.toString());

        JsonNode recipient = result.path("recipients").get(0);
        assertThat(recipient.path("kept").toString()).contains("\"subject.languages\"");
        assertThat(recipient.path("removed").toString()).contains("\"subject.familyName\"", "\"subject.birthDate\"");
        assertThat(result.toString()).doesNotContain("FICTIF", "2000-01-01");
    }

    @Test
    void dryRunSaysWhyASubmissionWouldBeRefused() throws IOException {
        JsonNode result =
                dryRun("{\"sender\": \"police-75-brp\", \"type\": \"removal.objective\", \"department\":" + " \"75\"}");

        assertThat(result.path("accepted").asBoolean()).isFalse();
        assertThat(result.path("refusals").get(0).path("code").asText()).isEqualTo("type_not_allowed");
        assertThat(result.path("refusals").get(1).path("message").asText())
                .isEqualTo("no route for"
                        + " removal.objective from a police (police-75-brp) in department 75 (routes for removal.objective:"
                        + " removal-objective-police from prefecture in every department)");
    }

    @Test
    void statisticsHideASmallGroup() throws IOException {
        PartnerClient.Reply submitted = gw.client(POLICE)
                .post(
                        "/v1/referrals",
                        gw.sample("victim.orientation"),
                        "application/json",
                        Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
        String today = LocalDate.now(ZoneOffset.UTC).toString();

        PartnerClient.Reply reply =
                admin.get("/admin/v1/stats?from=" + today + "&to=" + today + "&department=75&type=victim.orientation");

        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        JsonNode stats = Json.MAPPER.readTree(reply.body());
        assertThat(stats.path("minGroup").asInt()).isEqualTo(5);
        assertThat(stats.path("groups").get(0).path("referrals").asText()).isEqualTo("<5");
        assertThat(stats.path("total").asText()).isEqualTo("<5");
        assertThat(stats.path("acknowledgment").path("suppressed").asBoolean()).isTrue();
    }

    @Test
    void statisticsRefuseADateThatIsNoDate() throws IOException {
        PartnerClient.Reply reply = admin.get("/admin/v1/stats?from=01/09/2025");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(Json.MAPPER.readTree(reply.body()).path("detail").asText())
                .isEqualTo("'from' is not a date" + " (expected: YYYY-MM-DD, such as 2025-09-01)");
    }

    @Test
    void openApiDocumentsEveryAdminOperationAndNoOther() throws IOException {
        PartnerClient.Reply reply = admin.get("/admin/v1/openapi.json");
        assertThat(reply.status()).isEqualTo(200);
        JsonNode document = Json.MAPPER.readTree(reply.body());

        Set<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths =
                        document.path("paths").fields();
                paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue()
                    .fieldNames()
                    .forEachRemaining(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + path.getKey()));
        }
        Set<String> served = new TreeSet<>();
        for (EndpointTable.Entry entry : gw.gateway.endpoints().entries()) {
            if (entry.pattern().startsWith("/admin/v1/")) {
                served.add(entry.method().name() + " " + entry.pattern());
                String access = document.path("paths")
                        .path(entry.pattern())
                        .path(entry.method().name().toLowerCase(Locale.ROOT))
                        .path("x-access")
                        .asText();
                assertThat(access)
                        .as("x-access of %s %s", entry.method(), entry.pattern())
                        .isEqualTo(entry.access().name().toLowerCase(Locale.ROOT));
            }
        }
        assertThat(documented)
                .as("document the new operation in gateway-server/src/main/resources/openapi/" + "admin-v1.json")
                .isEqualTo(served);
        assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
    }

    @Test
    void keepsDryRunStatisticsAndTheDocumentFromPartners() {
        PartnerClient partner = gw.client("monitoring-centre-de-veille");

        assertThat(partner.get("/admin/v1/stats").status()).isEqualTo(403);
        assertThat(partner.get("/admin/v1/openapi.json").status()).isEqualTo(403);
        assertThat(partner.post(
                                "/admin/v1/dry-run",
                                "{}".getBytes(StandardCharsets.UTF_8),
                                "application/json",
                                Map.of())
                        .status())
                .isEqualTo(403);
    }

    private static JsonNode dryRun(String body) throws IOException {
        PartnerClient.Reply reply =
                admin.post("/admin/v1/dry-run", body.getBytes(StandardCharsets.UTF_8), "application/json", Map.of());
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        return Json.MAPPER.readTree(reply.body());
    }
}
