package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import fr.passerelle.core.testkit.Commands;
import fr.passerelle.core.testkit.PartnerEndpoint;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.devkit.PartnerHttpsServer;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the Prometheus alerts of deploy/ read metrics that a real gateway publishes: every
 * metric they name is in a scrape of the management listener after a submission has been pushed to its partner;
 * every alert has its severity and summary; and {@code promtool check rules} accepts the file (when Debian's
 * prometheus package is installed, as .ci/run does).
 */
class MonitoringRulesIT {
    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final Path ALERTS = DEPLOY.resolve("prometheus/passerelle-alerts.yaml");
    private static final Path DASHBOARD = DEPLOY.resolve("grafana/passerelle.json");
    private static final Pattern METRIC = Pattern.compile("\\b((?:passerelle|jvm|hikaricp|process)_[a-z0-9_]+)\\b");
    private static final String SIAO = "siao-974";

    private static PartnerEndpoint endpoint;
    private static TestGateway gw;

    @BeforeAll
    static void start() throws IOException {
        endpoint = PartnerEndpoint.reserve(port ->
                PartnerHttpsServer.bind(gw.pki, gw.pki.resolveSibling("partner-endpoint"), "siao-974-endpoint", port));
        gw = TestGateway.withConfig(
                Map.of(),
                config -> TestGateway.edit(
                        config.resolve("partners/" + SIAO + ".yaml"),
                        text -> text.replace(
                                "url: https://siao-974.example.invalid/passerelle/demandes",
                                "url: " + endpoint.url("/passerelle/demandes"))));
        endpoint.up();
    }

    @AfterAll
    static void stop() throws IOException {
        if (endpoint != null) {
            endpoint.close();
        }
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void theDashboardAndTheAlertsReadMetricsThatTheGatewayPublishes() throws Exception {
        pushOneShelterRequest();
        Set<String> published = await("the delivery's metrics")
                .atMost(Duration.ofSeconds(30))
                .until(
                        MonitoringRulesIT::scrapedNames,
                        names -> names.contains("passerelle_delivery_latency_seconds_count"));

        Set<String> named = new TreeSet<>();
        named.addAll(metrics(Files.readString(ALERTS)));
        named.addAll(metrics(Files.readString(DASHBOARD)));

        assertThat(named).contains("passerelle_outbox_dead_letters", "passerelle_certificate_expiry_seconds");
        assertThat(named)
                .allSatisfy(
                        name -> assertThat(published).as("published metrics").contains(name));
    }

    @Test
    void everyAlertSaysHowSevereItIsAndWhatHappened() throws IOException {
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(ALERTS.toFile());

        List<JsonNode> alerts = new ArrayList<>();
        rules.path("groups").forEach(group -> group.path("rules").forEach(alerts::add));

        assertThat(alerts)
                .extracting(a -> a.path("alert").asText())
                .contains(
                        "PasserelleInstanceDown",
                        "PasserelleDeadLetters",
                        "PasserelleOutboxTooOld",
                        "PasserelleBreakerOpen",
                        "PasserelleCertificateExpiringSoon",
                        "PasserelleTreeHeadNotSigned");
        assertThat(alerts).allSatisfy(alert -> {
            assertThat(alert.path("expr").asText()).isNotBlank();
            assertThat(alert.path("labels").path("severity").asText()).isIn("critical", "warning", "info");
            assertThat(alert.path("annotations").path("summary").asText()).isNotBlank();
        });
        JsonNode dashboard = Json.MAPPER.readTree(DASHBOARD.toFile());
        assertThat(dashboard.path("uid").asText()).isEqualTo("passerelle");
        assertThat(dashboard.path("panels").findValuesAsText("expr")).isNotEmpty();
    }

    @Test
    void promtoolAcceptsTheAlertRules() throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Files.isExecutable(promtool), "no promtool: install Debian's prometheus package to run this test");

        Commands.Result check = Commands.run(promtool.toString(), "check", "rules", ALERTS.toString());

        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS");
    }

    private static void pushOneShelterRequest() throws IOException {
        String body = new String(gw.sample("shelter.request"), StandardCharsets.UTF_8)
                .replace("\"department\": \"75\"", "\"department\": \"974\"");
        PartnerClient.Reply reply = gw.client("association-974-kaz-lespwa")
                .post("/v1/referrals", body.getBytes(StandardCharsets.UTF_8), "application/json", Map.of());
        assertThat(reply.status()).as(reply.text()).isEqualTo(202);
    }

    /** The metric names of a scrape of the management listener, without their labels. */
    private static Set<String> scrapedNames() throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + gw.gateway.managementPort().orElseThrow() + "/metrics");
        HttpResponse<String> scrape = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        return scrape.body()
                .lines()
                .filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.split("[{ ]", 2)[0])
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The metric names an expression file mentions (label names and values excluded by their prefixes). */
    private static Set<String> metrics(String text) {
        Set<String> names = new TreeSet<>();
        Matcher matcher = METRIC.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
