package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.core.crypto.ClientTls;
import fr.passerelle.core.crypto.DevelopmentPki;
import fr.passerelle.core.crypto.Fingerprints;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An administrator limited to the victim-support domain ({@code domains: [victim-support]} in its admins/ file), on
 * a real gateway (TLS, PostgreSQL): it acts on and sees the referrals of its domain only, a police-justice referral
 * being answered exactly as one that does not exist, and it may not change the deployment-wide configuration. And a
 * prefect's statistics reader ({@code role: statistics}, {@code departments: ["75"]}): the figures of Paris only,
 * nothing else.
 */
class AdminDomainsIT {
    private static final byte[] ERASURE = "{\"justification\": \"erasure-request\"}".getBytes(StandardCharsets.UTF_8);
    static TestGateway gw;
    static PartnerClient support;
    static SSLContext supportTls;
    static PartnerClient prefect;

    @BeforeAll
    static void start() throws Exception {
        gw = TestGateway.withConfig(Map.of(), config -> {});
        Path pem = DevelopmentPki.issueClient(gw.pki, gw.pki.resolve("admins"), "support", Clock.systemUTC());
        String fingerprint = Fingerprints.sha256(PemFiles.readCertificates(pem).get(0));
        gw.gateway
                .config()
                .orElseThrow()
                .versioned()
                .change(
                        files -> files.with(
                                "admins/support.yaml",
                                "id: support\nname: Astreinte aide aux victimes\nrole: admin\ndomains: [victim-support]\n"
                                        + "certificate:\n  sha256: \"" + fingerprint + "\"\n"),
                        "admin:admin",
                        "support",
                        Map.of());
        supportTls = ClientTls.sslContext(pem, gw.pki.resolve("admins/support-key.pem"), gw.pki.resolve("ca.pem"));
        support = new PartnerClient("support", supportTls, gw.base);
        prefect = gw.pinAdmin("prefet-75", "role: statistics\ndepartments: [\"75\"]\n");
    }

    @AfterAll
    static void stop() throws IOException {
        gw.close();
    }

    @Test
    void cancelsAndErasesAnOrientationButFindsNoRemovalObjective() throws IOException {
        String orientation = submit("police-75-brp", "victim.orientation");
        String removal = submit("prefecture-75", "removal.objective");
        PartnerClient.Reply unknown = post("/admin/v1/referrals/" + UUID.randomUUID() + "/cancel", new byte[0]);

        PartnerClient.Reply cancelled = post("/admin/v1/referrals/" + orientation + "/cancel", new byte[0]);
        PartnerClient.Reply erased = post("/admin/v1/referrals/" + orientation + "/erase", ERASURE);
        PartnerClient.Reply cancel = post("/admin/v1/referrals/" + removal + "/cancel", new byte[0]);
        PartnerClient.Reply erase = post("/admin/v1/referrals/" + removal + "/erase", ERASURE);
        PartnerClient.Reply release = post(
                "/admin/v1/referrals/" + removal + "/release",
                ("{\"justification\":" + " \"not-the-same-person\", \"comment\": \"homonyme\"}")
                        .getBytes(StandardCharsets.UTF_8));

        assertThat(cancelled.status()).as(cancelled.text()).isEqualTo(200);
        assertThat(erased.status()).as(erased.text()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(erased.body()).path("erased").asBoolean())
                .isTrue();
        assertThat(gw.auditActions(orientation)).contains("referral.cancelled", "referral.erased");
        assertThat(unknown.status()).isEqualTo(404);
        for (PartnerClient.Reply refused : List.of(cancel, erase, release)) {
            assertThat(refused.status()).as(refused.text()).isEqualTo(404);
            JsonNode problem = Json.MAPPER.readTree(refused.body());
            assertThat(problem.path("code").asText()).isEqualTo("referral_not_found");
            assertThat(problem.path("detail").asText()).isEqualTo("no referral " + removal + " that you are party to");
        }
        assertThat(gw.auditActions(removal))
                .doesNotContain("referral.cancelled", "referral.erased", "referral.released");
    }

    @Test
    void listsOnlyTheDeliveriesOfItsDomain() throws IOException {
        String removal = submit("prefecture-75", "removal.objective");
        String orientation = submit("police-75-brp", "victim.orientation");

        List<JsonNode> seen = deliveries(support);
        List<JsonNode> all = deliveries(gw.adminClient());

        assertThat(seen)
                .extracting(row -> row.path("referralId").asText())
                .contains(orientation)
                .doesNotContain(removal);
        assertThat(seen)
                .extracting(row -> row.path("type").asText())
                .doesNotContain("removal.objective", "administrative.closure", "exploitation.report");
        assertThat(all).extracting(row -> row.path("referralId").asText()).contains(orientation, removal);
    }

    @Test
    void countsOnlyTheReferralsOfItsDomain() throws IOException {
        submit("prefecture-75", "removal.objective");
        submit("police-75-brp", "victim.orientation");

        PartnerClient.Reply stats = support.get("/admin/v1/stats");
        PartnerClient.Reply police = support.get("/admin/v1/stats?type=removal.objective");

        assertThat(stats.status()).as(stats.text()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(stats.body()).path("groups"))
                .extracting(g -> g.path("type").asText())
                .contains("victim.orientation")
                .doesNotContain("removal.objective");
        assertThat(police.status()).isEqualTo(403);
        assertThat(Json.MAPPER.readTree(police.body()).path("detail").asText())
                .isEqualTo("type removal.objective"
                        + " is a police-justice flow, and administrator support covers victim-support only (expected: a type"
                        + " of its domains, or no type)");
    }

    @Test
    void showsAPrefectsReaderTheFiguresOfItsDepartmentsOnly() throws IOException {
        submit("police-75-brp", "victim.orientation");
        submit("association-974-kaz-lespwa", "shelter.request", "974");

        PartnerClient.Reply mine = prefect.get("/admin/v1/stats");
        PartnerClient.Reply other = prefect.get("/admin/v1/stats?department=974");
        PartnerClient.Reply all = gw.adminClient().get("/admin/v1/stats");

        assertThat(mine.status()).as(mine.text()).isEqualTo(200);
        JsonNode figures = Json.MAPPER.readTree(mine.body());
        assertThat(figures.path("groups"))
                .extracting(g -> g.path("department").asText())
                .containsOnly("75");
        assertThat(figures.path("communes"))
                .extracting(g -> g.path("department").asText())
                .containsOnly("75");
        assertThat(figures.has("minors")).isTrue();
        assertThat(Json.MAPPER.readTree(all.body()).path("groups"))
                .extracting(g -> g.path("department").asText())
                .contains("75", "974");
        assertThat(other.status()).isEqualTo(403);
        assertThat(Json.MAPPER.readTree(other.body()).path("detail").asText())
                .isEqualTo("department 974 is not one of administrator prefet-75's (75): ask for one of its"
                        + " departments, or leave department out for all of them; another department's figures are"
                        + " for its prefect's reader, the DGCS or the MIPROF");
    }

    @Test
    void givesAStatisticsReaderTheStatisticsPageAndNothingElse() throws IOException {
        PartnerClient.Reply page = prefect.get("/console/statistiques");
        PartnerClient.Reply foreign = prefect.get("/console/statistiques?department=974");
        PartnerClient.Reply dashboard = prefect.get("/console/");
        PartnerClient.Reply deliveries = prefect.get("/admin/v1/deliveries");

        assertThat(page.status()).as(page.text()).isEqualTo(200);
        assertThat(page.text()).contains("<h1>Statistiques</h1>").doesNotContain("<th scope=\"row\">974</th>");
        assertThat(foreign.text()).contains("Saisir un de vos départements (75)");
        assertThat(dashboard.status()).isEqualTo(403);
        assertThat(dashboard.text()).contains("Un lecteur des statistiques (role: statistics)");
        assertThat(deliveries.status()).isEqualTo(403);
        assertThat(Json.MAPPER.readTree(deliveries.body()).path("detail").asText())
                .isEqualTo("administrator prefet-75 has role statistics, which may read the statistics only"
                        + " (GET /admin/v1/stats, the console's /console/statistiques); this operation needs role"
                        + " auditor or admin");
    }

    @Test
    void mayNotChangeTheDeploymentWideConfiguration() throws Exception {
        HttpResponse<byte[]> put = send("PUT", "/admin/v1/routes/whatever", "{}");
        HttpResponse<byte[]> rollback = send("POST", "/admin/v1/versions/1/rollback", "");
        PartnerClient.Reply read = support.get("/admin/v1/routes");

        assertThat(read.status()).as(read.text()).isEqualTo(200);
        for (HttpResponse<byte[]> refused : List.of(put, rollback)) {
            assertThat(refused.statusCode()).isEqualTo(403);
            JsonNode problem = Json.MAPPER.readTree(refused.body());
            assertThat(problem.path("code").asText()).isEqualTo("not_permitted");
            assertThat(problem.path("detail").asText())
                    .isEqualTo("administrator support covers victim-support only,"
                            + " and configuration is deployment-wide: ask an administrator of every domain");
        }
    }

    private static String submit(String partner, String type) throws IOException {
        return submit(partner, type, "75");
    }

    /** The shipped sample, moved to {@code department} (the removal objective's is La Réunion's). */
    private static String submit(String partner, String type, String department) throws IOException {
        byte[] sample = gw.sampleIn(type, department);
        PartnerClient.Reply reply = gw.client(partner).post("/v1/referrals", sample, "application/json", Map.of());
        assertThat(reply.status()).as(reply.text()).isEqualTo(202);
        return Json.MAPPER.readTree(reply.body()).path("id").asText();
    }

    private static PartnerClient.Reply post(String path, byte[] body) {
        return support.post(path, body, "application/json", Map.of());
    }

    private static List<JsonNode> deliveries(PartnerClient client) throws IOException {
        PartnerClient.Reply reply = client.get("/admin/v1/deliveries?limit=200");
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        List<JsonNode> rows = new ArrayList<>();
        Json.MAPPER.readTree(reply.body()).path("deliveries").forEach(rows::add);
        return rows;
    }

    private static HttpResponse<byte[]> send(String method, String path, String body) throws Exception {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(supportTls)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(gw.base + path))
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }
}
