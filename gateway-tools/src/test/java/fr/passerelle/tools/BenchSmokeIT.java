package fr.passerelle.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.devkit.DevelopmentDeployment;
import fr.passerelle.server.Gateway;
import fr.passerelle.server.http.Json;
import fr.passerelle.tools.bench.Bench;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps scripts/bench working in both modes: short runs, checking the report's shape, not its speed. */
class BenchSmokeIT {
    private static final Map<String, String> ENV = System.getenv("GATEWAY_TEST_DB_URL") == null
            ? Map.of()
            : Map.of("GATEWAY_DATABASE_URL", System.getenv("GATEWAY_TEST_DB_URL"));

    @Test
    void startsTheGatewayInItsOwnProcessAndReportsItsCpuBesideEveryCeiling(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("bench.json");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        Bench.run(
                new Bench.Options(1, 1, 2, 2, 1, Optional.of(out), ENV, Optional.empty()),
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        JsonNode result = Json.MAPPER.readTree(out.toFile());
        assertThat(result.path("mode").asText()).isEqualTo("gateway_process");
        JsonNode run = result.path("runs").path(0);
        assertThat(run.path("accepted_per_s").asDouble()).isPositive();
        assertThat(run.path("delivered_per_s").asDouble()).isPositive();
        assertThat(run.path("errors").asLong()).isZero();
        assertThat(run.path("cpu_ms_per_referral").path("gateway_process").asDouble())
                .isPositive();
        assertThat(run.path("cpu_ms_per_referral").has("load_process")).isTrue();
        for (String key : new String[] {"p50", "p90", "p99", "max"}) {
            assertThat(run.path("submit_latency_ms").has(key)).as(key).isTrue();
        }
        for (String key :
                new String[] {"database_store_per_s", "database_physical_per_s", "crypto_per_s", "transport_per_s"}) {
            assertThat(run.path("ceilings").path(key).asDouble()).as(key).isPositive();
        }
        assertThat(run.has("ratio")).isTrue();
        assertThat(result.path("settings").path("recipients").asInt()).isEqualTo(2);
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("CPU/referral: gateway process")
                .contains("ceiling: database, physical")
                .contains("ratio");
    }

    @Test
    void loadsARunningGatewayAndGivesEachFigureItsRangeOverTheRuns(@TempDir Path dir) throws Exception {
        DevelopmentDeployment.Workspace workspace =
                DevelopmentDeployment.prepare(dir.resolve("work"), ENV, BenchSmokeIT::withRoomForTheLoad);
        Path out = dir.resolve("bench.json");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        URI base;

        try (Gateway gateway = Gateway.start(workspace.gatewayYaml(), workspace.env())) {
            base = URI.create("https://localhost:" + gateway.port());
            Bench.run(
                    new Bench.Options(
                            1,
                            0,
                            2,
                            1,
                            2,
                            Optional.of(out),
                            ENV,
                            Optional.of(new Bench.Remote(
                                    base, workspace.gatewayYaml(), workspace.pki(), OptionalLong.empty()))),
                    new PrintStream(printed, true, StandardCharsets.UTF_8));
        }

        JsonNode result = Json.MAPPER.readTree(out.toFile());
        assertThat(result.path("mode").asText()).isEqualTo("load_only");
        assertThat(result.path("runs")).hasSize(2);
        assertThat(result.path("runs").path(1).path("accepted_per_s").asDouble())
                .isPositive();
        assertThat(result.path("runs").path(1).path("delivered_per_s").asDouble())
                .isPositive();
        assertThat(result.path("runs").path(0).has("ceilings")).isFalse();
        assertThat(result.path("range").path("accepted_per_s").path("min").asDouble())
                .isPositive();
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("2 runs")
                .contains("not measured with --load-only");
        Bench.Remote gone = new Bench.Remote(base, workspace.gatewayYaml(), workspace.pki(), OptionalLong.empty());
        assertThatThrownBy(() -> Bench.run(
                        new Bench.Options(1, 0, 1, 1, 1, Optional.empty(), ENV, Optional.of(gone)),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .isInstanceOf(GatewayException.class)
                .hasMessage("cannot reach the gateway at " + base
                        + " (expected: a gateway listening there, such as `./scripts/gateway serve`)");
    }

    /** The shipped quotas (20 submissions a second) would answer the load with 429. */
    private static void withRoomForTheLoad(Path config) {
        Path file = config.resolve("gateway.yaml");
        try {
            Files.writeString(
                    file,
                    Files.readString(file)
                            .replaceAll("(?m)^(  submissions_per_second:) .*$", "$1 100000")
                            .replaceAll("(?m)^(  submission_burst:) .*$", "$1 1000000"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
