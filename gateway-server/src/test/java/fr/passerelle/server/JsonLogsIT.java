package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.core.testkit.TestDatabase;
import fr.passerelle.devkit.DevelopmentDeployment;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gateway serve} with {@code GATEWAY_LOG_FORMAT=json}, in a process of its own as a container runs it: every
 * line it logs is one JSON object with an ISO-8601 UTC timestamp, the level, the logger and the thread, and a
 * request's lines name its partner and referral in fields of their own — identifiers only.
 */
class JsonLogsIT {
    @TempDir
    Path work;

    @Test
    void writesEveryLineAsJsonWithTheRequestsIdentifiers() throws Exception {
        DevelopmentDeployment.Workspace workspace =
                DevelopmentDeployment.prepare(work, TestDatabase.fresh().env(), config -> {});
        Map<String, String> env = new HashMap<>(workspace.env());
        env.put("GATEWAY_LOG_FORMAT", "json");
        String unknown = UUID.randomUUID().toString();
        Path output = work.resolve("gateway.log");
        try (GatewayProcess gateway =
                GatewayProcess.start(workspace.gatewayYaml(), env, output, Duration.ofMinutes(2))) {
            PartnerClient police = PartnerClient.forPartner("police-75-brp", workspace.pki(), gateway.base());
            byte[] sample = Files.readAllBytes(workspace.config().resolve("samples/victim.orientation.json"));
            assertThat(police.post("/v1/referrals", sample, "application/json", Map.of())
                            .status())
                    .isEqualTo(202);
            assertThat(police.get("/v1/referrals/" + unknown).status()).isEqualTo(404);
            gateway.terminate();
            assertThat(gateway.awaitExit(Duration.ofSeconds(60))).isPresent();
        }

        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(output)) {
            if (line.startsWith("Passerelle is listening on")) {
                continue; // serve's own announcement on standard output, not a log line
            }
            lines.add(Json.MAPPER.readTree(line));
        }
        assertThat(lines).hasSizeGreaterThan(3);
        for (JsonNode line : lines) {
            String timestamp = line.path("@timestamp").asText();
            assertThat(timestamp).as(line.toString()).endsWith("Z");
            assertThat(Instant.parse(timestamp)).isBefore(Instant.now());
            assertThat(line.path("level").asText()).isIn("ERROR", "WARN", "INFO", "DEBUG", "TRACE");
            assertThat(line.path("logger_name").asText()).isNotEmpty();
            assertThat(line.path("thread_name").asText()).isNotEmpty();
        }
        assertThat(lines).anySatisfy(line -> {
            assertThat(line.path("partner").asText()).isEqualTo("police-75-brp");
            assertThat(line.path("referral").asText()).isEqualTo(unknown);
            assertThat(line.path("message").asText()).startsWith("Refused");
        });
        String all = Files.readString(output);
        assertThat(TestGateway.SAMPLE_CONTENT).noneMatch(all::contains);
    }
}
