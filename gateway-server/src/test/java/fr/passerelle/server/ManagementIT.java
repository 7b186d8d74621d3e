package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.GatewayException;
import fr.passerelle.core.crypto.ClientTls;
import fr.passerelle.devkit.PartnerClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The management listener of a real gateway: probes and metrics in plain HTTP, without client certificate. */
class ManagementIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestGateway gw;

    @BeforeAll
    static void start() throws IOException {
        gw = TestGateway.start(Map.of());
    }

    @AfterAll
    static void stop() throws IOException {
        gw.close();
    }

    @Test
    void answersLiveWhileTheEventLoopsAnswer() throws Exception {
        HttpResponse<String> live = get(gw, "/livez");

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).isEqualTo("ok\n");
        assertThat(live.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");
    }

    @Test
    void answersReadyWithTheDatabaseTheCurrentConfigurationAndTheKeys() throws Exception {
        HttpResponse<String> ready = get(gw, "/readyz");

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ok\n");
    }

    @Test
    void servesTheProcessPoolNettyAndGatewayMetricsWithoutClientCertificate() throws Exception {
        HttpResponse<String> metrics = get(gw, "/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(metrics.body())
                .contains(
                        "jvm_memory_used_bytes{",
                        "jvm_gc_",
                        "jvm_threads_live_threads ",
                        "jvm_classes_loaded_classes ",
                        "process_cpu_usage ",
                        "process_uptime_seconds ",
                        "process_files_open_files ",
                        "hikaricp_connections{pool=\"passerelle\"}",
                        "hikaricp_connections_active{",
                        "netty_eventexecutor_tasks_pending{listener=\"api\"",
                        "netty_eventexecutor_tasks_pending{listener=\"receipt-links\"",
                        "netty_allocator_memory_used{",
                        "passerelle_purge_overdue ",
                        "passerelle_connections_open ")
                .doesNotContain("jvm_info", "jdbc:", "localhost", gw.work.toString());
    }

    @Test
    void keepsThePartnersMetricsWithoutTheProcessFigures() throws Exception {
        PartnerClient.Reply partners = gw.client("monitoring-centre-de-veille").get("/metrics");

        assertThat(partners.status()).isEqualTo(200);
        assertThat(partners.text()).contains("passerelle_purge_overdue ").doesNotContain("jvm_", "hikaricp_", "netty_");
    }

    @Test
    void answersNotFoundForEveryOtherPath() throws Exception {
        for (String path : new String[] {"/", "/v1/health", "/metrics/jvm", "/livez/", "/admin/v1/versions"}) {
            HttpResponse<String> answer = get(gw, path);

            assertThat(answer.statusCode()).as(path).isEqualTo(404);
            assertThat(answer.body()).as(path).isEqualTo("not found\n");
        }
    }

    @Test
    void refusesEveryMethodButGet() throws Exception {
        HttpResponse<String> posted = HTTP.send(
                HttpRequest.newBuilder(management(gw, "/readyz"))
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(posted.statusCode()).isEqualTo(405);
        assertThat(posted.headers().firstValue("Allow")).contains("GET");
        assertThat(posted.body()).isEqualTo("method not allowed\n");
    }

    @Test
    void leavesThePartnerApiClosedToAClientWithoutCertificate() {
        PartnerClient anonymous =
                new PartnerClient("anonymous", ClientTls.trustOnly(gw.pki.resolve("ca.pem")), gw.base);

        assertThatThrownBy(() -> anonymous.get("/v1/health"))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.getMessage())
                        .startsWith("anonymous could not reach the gateway"));
    }

    @Test
    void answersNotReadyNamingTheDatabaseWhenItCannotBeReachedAndStaysLive() throws Exception {
        try (TestGateway cut = TestGateway.start(Map.of())) {
            // The pool closed under the running gateway: every connection is refused, as with a database down.
            cut.gateway.database().close();

            HttpResponse<String> ready = get(cut, "/readyz");
            HttpResponse<String> live = get(cut, "/livez");

            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).isEqualTo("not ready: database\n");
            assertThat(live.statusCode()).isEqualTo(200);
        }
    }

    private static HttpResponse<String> get(TestGateway gateway, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(management(gateway, path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI management(TestGateway gateway, String path) {
        return URI.create("http://127.0.0.1:" + gateway.gateway.managementPort().orElseThrow() + path);
    }
}
