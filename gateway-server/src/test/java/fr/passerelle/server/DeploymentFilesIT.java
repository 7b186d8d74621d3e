package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.core.config.ConfigLoader;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.testkit.Commands;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What deploy/ gives an operator holds: the compose example runs each instance as a non-root user on a read-only
 * file system with every capability dropped, the gateway accepts each instance's environment as its settings, and
 * Docker Compose renders it (when Debian's docker-compose is installed; no daemon needed); the systemd unit passes {@code systemd-analyze verify} and its sandboxing scores "OK" in
 * {@code systemd-analyze security} (when systemd's tools are installed).
 */
class DeploymentFilesIT {
    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final Path SHIPPED_GATEWAY_YAML = Path.of("..", "config", "gateway.yaml");
    private static final Path UNIT = DEPLOY.resolve("systemd/passerelle.service");
    private static final Path SYSTEMD_ANALYZE = Path.of("/usr/bin/systemd-analyze");
    private static final Path DOCKER_COMPOSE = Path.of("/usr/bin/docker-compose");

    @TempDir
    Path work;

    @Test
    void runsEachComposeInstanceUnprivilegedOnSettingsTheGatewayAccepts() throws IOException {
        // SnakeYAML applies the merge keys (<<: *passerelle) that Jackson's YAML parser leaves as they are.
        JsonNode compose = Json.MAPPER.valueToTree(
                new org.yaml.snakeyaml.Yaml().load(Files.readString(DEPLOY.resolve("compose.yaml"))));
        List<String> instances = List.of("passerelle-1", "passerelle-2");

        for (String name : instances) {
            JsonNode service = compose.path("services").path(name);
            assertThat(service.path("user").asText()).as(name).matches("[1-9][0-9]*:[1-9][0-9]*");
            assertThat(service.path("read_only").asBoolean()).as(name).isTrue();
            assertThat(service.path("cap_drop").toString()).as(name).isEqualTo("[\"ALL\"]");
            assertThat(service.path("command").toString()).as(name).contains("/opt/passerelle/passerelle.jar", "serve");
            assertThat(service.path("volumes").toString())
                    .as(name)
                    .contains("./passerelle/passerelle.jar:/opt/passerelle/passerelle.jar:ro", "/etc/passerelle:ro");
            Map<String, String> env = new LinkedHashMap<>();
            service.path("environment")
                    .fields()
                    .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            env.put("GATEWAY_DATABASE_PASSWORD", "from-database.env");

            GatewaySettings settings = ConfigLoader.settings(SHIPPED_GATEWAY_YAML, env);

            assertThat(settings.host()).isEqualTo("0.0.0.0");
            assertThat(settings.port()).isEqualTo(8443);
            assertThat(settings.database().url()).contains("jdbc:postgresql://postgres:5432/passerelle");
            assertThat(settings.pkiDir()).isEqualTo(Path.of("/etc/passerelle-pki"));
            assertThat(settings.masterKeys()).isEqualTo(Path.of("/var/lib/passerelle/keys/master.keys"));
            assertThat(settings.logging().format()).isEqualTo(GatewaySettings.LogSettings.Format.JSON);
            assertThat(settings.management().orElseThrow().host()).isEqualTo("0.0.0.0");
            assertThat(settings.transports().get("mail")).containsEntry("host", "mail-relay");
            assertThat(settings.receiptLinks().orElseThrow().publicUrl())
                    .contains("https://passerelle.example.fr:8445");
        }
        assertThat(compose.path("services").path("postgres").path("image").asText())
                .startsWith("postgres:");
    }

    @Test
    void dockerComposeRendersTheExampleWithEachInstancesSecret() throws Exception {
        assumeTrue(Files.isExecutable(DOCKER_COMPOSE), "no docker-compose: install Debian's docker-compose");
        // The files that the example's comment asks for, as an operator lays them out beside it.
        Files.copy(DEPLOY.resolve("compose.yaml"), work.resolve("compose.yaml"));
        Path site = Files.createDirectories(work.resolve("passerelle"));
        Files.writeString(site.resolve("database.env"), "GATEWAY_DATABASE_PASSWORD=from-database-env\n");
        Files.writeString(site.resolve("postgres.env"), "POSTGRES_PASSWORD=from-database-env\n");

        Commands.Result rendered = Commands.run(
                DOCKER_COMPOSE.toString(),
                "--project-directory",
                work.toString(),
                "-f",
                work.resolve("compose.yaml").toString(),
                "config");

        assertThat(rendered.exitCode()).as(rendered.output()).isZero();
        JsonNode compose = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(rendered.output());
        for (String name : List.of("passerelle-1", "passerelle-2")) {
            JsonNode service = compose.path("services").path(name);
            assertThat(service.at("/environment/GATEWAY_DATABASE_PASSWORD").asText())
                    .as(name)
                    .isEqualTo("from-database-env");
            assertThat(service.path("read_only").asBoolean()).as(name).isTrue();
            assertThat(service.at("/depends_on/postgres/condition").asText()).isEqualTo("service_healthy");
        }
    }

    @Test
    void theSystemdUnitVerifiesAndIsSandboxed() throws Exception {
        assumeTrue(Files.isExecutable(SYSTEMD_ANALYZE), "no systemd-analyze: install systemd to run this test");

        Commands.Result verify = Commands.run(
                SYSTEMD_ANALYZE.toString(), "verify", UNIT.toAbsolutePath().toString());
        Commands.Result security = Commands.run(
                SYSTEMD_ANALYZE.toString(),
                "security",
                "--offline=true",
                UNIT.toAbsolutePath().toString());

        assertThat(verify.exitCode()).as(verify.output()).isZero();
        Matcher exposure = Pattern.compile("Overall exposure level for passerelle.service: ([0-9.]+) (\\w+)")
                .matcher(security.output());
        assertThat(exposure.find()).as(security.output()).isTrue();
        assertThat(Double.parseDouble(exposure.group(1))).isLessThanOrEqualTo(2.0);
        assertThat(exposure.group(2)).isEqualTo("OK");
    }
}
