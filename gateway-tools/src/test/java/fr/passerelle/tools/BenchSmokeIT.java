package fr.passerelle.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.server.http.Json;
import fr.passerelle.tools.bench.Bench;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps scripts/bench working: one short run, checking the report's shape, not its speed. */
class BenchSmokeIT {

    @Test
    void runsBrieflyAndWritesEveryFigureWithoutError(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("bench.json");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Map<String, String> env = System.getenv("GATEWAY_TEST_DB_URL") == null
                ? Map.of()
                : Map.of("GATEWAY_DATABASE_URL", System.getenv("GATEWAY_TEST_DB_URL"));

        Bench.run(
                new Bench.Options(1, 2, 2, Optional.of(out), env),
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        JsonNode result = Json.MAPPER.readTree(out.toFile());
        assertThat(result.path("accepted_per_s").asDouble()).isPositive();
        assertThat(result.path("errors").asLong()).isZero();
        for (String key : new String[] {"p50", "p90", "p99", "max"}) {
            assertThat(result.path("submit_latency_ms").has(key)).as(key).isTrue();
        }
        for (String key : new String[] {"database_per_s", "crypto_per_s", "transport_per_s"}) {
            assertThat(result.path("ceilings").path(key).asDouble()).as(key).isPositive();
        }
        assertThat(result.has("ratio")).isTrue();
        assertThat(result.path("settings").path("recipients").asInt()).isEqualTo(2);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("ratio").contains("ceiling: database");
    }
}
