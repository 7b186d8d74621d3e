package fr.passerelle.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.core.config.model.Administrator;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.config.model.GatewaySettings.AuditSettings;
import fr.passerelle.core.config.model.GatewaySettings.DeliverySettings;
import fr.passerelle.core.config.model.GatewaySettings.Limits;
import fr.passerelle.core.crypto.EnvelopeFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How a schema's findings reach the administrator: at the YAML line, in the readers' form, with the fix. */
class ConfigSchemaTest {
    @TempDir
    Path temp;

    private TestConfig config;

    @BeforeEach
    void writeValidConfiguration() {
        config = TestConfig.valid(temp);
    }

    private List<String> problems() {
        return config.check().problems().stream().map(config::shown).toList();
    }

    @Test
    void reportsAnUnknownKeyOfANestedSectionAtItsLineWithTheAllowedKeys() {
        config.replace(
                "gateway.yaml",
                "data_dir: ../data",
                "data_dir: ../data\ndelivery:\n  senders: 2\n" + "  max_attempt: 5");

        assertThat(problems())
                .containsExactly("gateway.yaml:8: error: unknown key 'max_attempt' in 'delivery'"
                        + " (expected one of: senders, poll_millis, lease_seconds, first_retry_seconds, max_retry_seconds,"
                        + " max_attempts, max_age_hours, breaker_failures, breaker_pause_seconds) (fix: did you mean"
                        + " 'max_attempts'?)");
    }

    @Test
    void reportsAnUnknownTopLevelKeyWithEveryAllowedKey() {
        config.replace("gateway.yaml", "data_dir: ../data", "data_dir: ../data\nlimit: {max_connections: 10}");

        assertThat(problems())
                .containsExactly("gateway.yaml:6: error: unknown key 'limit' in the file (expected one"
                        + " of: server, management, pki, tls, revocation, signing, pkcs11, keys, database, data_dir,"
                        + " retention, audit, transports,"
                        + " receipt_links, delivery, stats, logging, versions, limits) (fix: did you mean 'limits'?)");
    }

    @Test
    void reportsANumberOutOfRangeWithTheRangeOnce() {
        config.replace("gateway.yaml", "data_dir: ../data", "data_dir: ../data\nstats:\n  min_group: 1");

        assertThat(problems())
                .containsExactly("gateway.yaml:7: error: 'stats.min_group' is 1 (expected: 2-1000)"
                        + " (fix: write a number from 2 to 1000)");
    }

    @Test
    void reportsAWrongTypeWithTheDefaultAsExample() {
        config.replace(
                "gateway.yaml", "data_dir: ../data", "data_dir: ../data\naudit:\n" + "  max_merge_delay_ms: 1500.5");

        assertThat(problems())
                .containsExactly("gateway.yaml:7: error: 'audit.max_merge_delay_ms' must be a"
                        + " whole number, found the number '1500.5' (fix: write a number such as 1000)");
    }

    @Test
    void reportsASectionThatIsNotAMapping() {
        config.replace("gateway.yaml", "data_dir: ../data", "data_dir: ../data\nversions: [2000]");

        assertThat(problems())
                .containsExactly("gateway.yaml:6: error: 'versions' must be a mapping of keys, found a"
                        + " list (fix: write it as an indented block of keys)");
    }

    @Test
    void reportsAMissingRequiredKeyOfASectionWithItsExample() {
        config.replace("gateway.yaml", "  dir: ../pki", "  folder: ../pki");

        assertThat(problems())
                .containsExactly(
                        "gateway.yaml:3: error: missing required key 'pki.dir' (fix: add dir: ../pki)",
                        "gateway.yaml:4: error: unknown key 'folder' in 'pki' (expected one of: dir) (fix: remove it or"
                                + " correct its name)");
    }

    @Test
    void namesTheFormOfADatabaseUrlWithoutShowingIt() {
        config.replace(
                "gateway.yaml",
                "data_dir: ../data",
                "data_dir: ../data\ndatabase:\n" + "  url: mysql://db/passerelle?password=s3cret");

        assertThat(problems())
                .containsExactly("gateway.yaml:7: error: 'database.url' is not a PostgreSQL JDBC URL"
                        + " (expected: jdbc:postgresql://host:5432/database) (fix: write a value such as"
                        + " jdbc:postgresql://host:5432/database, or leave it empty)");
    }

    @Test
    void takesAKeyWithoutValueAsLeftOut() {
        config.replace("gateway.yaml", "data_dir: ../data", "data_dir: ../data\ndelivery:\n  senders: ~");

        assertThat(problems()).isEmpty();
        assertThat(config.check()
                        .deployment()
                        .orElseThrow()
                        .settings()
                        .delivery()
                        .senders())
                .isEqualTo(4);
    }

    @Test
    void declaresTheDefaultsThatTheSettingsRecordsUse() {
        ConfigSchema schema = ConfigSchema.named("gateway");
        GatewaySettings settings = config.check().deployment().orElseThrow().settings();

        assertThat(settings.delivery()).isEqualTo(DeliverySettings.defaults());
        assertThat(settings.audit()).isEqualTo(AuditSettings.defaults());
        assertThat(settings.limits().maxBodyBytes()).isEqualTo(Limits.defaults().maxBodyBytes());
        assertThat(settings.limits().idleTimeout()).isEqualTo(Limits.defaults().idleTimeout());
        assertThat(settings.limits().workers()).isEqualTo(Limits.defaults().workers());
        assertThat(settings.limits().quotas()).isEqualTo(GatewaySettings.Quotas.defaults());
        assertThat(settings.limits().connections()).isEqualTo(GatewaySettings.ConnectionCaps.defaults());
        assertThat(settings.stats()).isEqualTo(GatewaySettings.StatsSettings.defaults());
        assertThat(settings.versionPoll()).isEqualTo(GatewaySettings.VERSION_POLL);
        assertThat(settings.logging()).isEqualTo(GatewaySettings.LogSettings.defaults());
        assertThat(settings.revocation()).isEqualTo(GatewaySettings.RevocationSettings.off());
        // Without a management: section, the listener the documentation promises: loopback, port 9090.
        assertThat(settings.management()).contains(new GatewaySettings.ManagementSettings("127.0.0.1", 9090));
        assertThat(settings.database().maxPoolSize())
                .isEqualTo(schema.defaultOf("database.max_pool_size").asInt());
    }

    @Test
    void readsTheRevocationSection() {
        config.replace(
                "gateway.yaml",
                "data_dir: ../data",
                "data_dir: ../data\nrevocation:\n  mode: hard-fail\n  cache_seconds: 60\n  timeout_seconds: 2");

        GatewaySettings settings = config.check().deployment().orElseThrow().settings();

        assertThat(settings.revocation())
                .isEqualTo(new GatewaySettings.RevocationSettings(
                        GatewaySettings.RevocationSettings.Mode.HARD_FAIL,
                        java.time.Duration.ofSeconds(60),
                        java.time.Duration.ofSeconds(2)));
    }

    @Test
    void reportsAnUnknownRevocationModeWithTheModes() {
        config.replace("gateway.yaml", "data_dir: ../data", "data_dir: ../data\nrevocation:\n  mode: soft");

        assertThat(problems())
                .containsExactly("gateway.yaml:7: error: 'revocation.mode' is 'soft' (expected one of: off, soft-fail,"
                        + " hard-fail) (fix: did you mean 'soft-fail'?)");
    }

    @Test
    void turnsTheManagementListenerOffWhenNotEnabled() {
        config.replace("gateway.yaml", "data_dir: ../data", "data_dir: ../data\nmanagement: {enabled: false}");

        GatewaySettings settings = config.check().deployment().orElseThrow().settings();

        assertThat(settings.management()).isEmpty();
    }

    @Test
    void readsANumberWrittenForATextAsItsText() {
        config.replace("gateway.yaml", "data_dir: ../data", "data_dir: ../data\ndatabase:\n  password: 0123");

        assertThat(problems()).isEmpty();
    }

    @Test
    void reportsAListWhereOneValueIsExpected() {
        config.replace("gateway.yaml", "  port: 8443", "  port: 8443\n  host: [a, b]");

        assertThat(problems())
                .containsExactly("gateway.yaml:3: error: 'server.host' must be a single value, found a"
                        + " list (fix: write one value on the line)");
    }

    @Test
    void acceptsEveryShippedGatewaySetting() {
        assertMatches("gateway", ShippedConfig.GATEWAY);
    }

    /** The shipped file matches its schema with no problem at all. */
    private static void assertMatches(String schema, Path file) {
        Problems found = new Problems();
        YamlNode root = YamlNode.root(YamlFile.read(file, found).orElseThrow(), found);

        assertThat(ConfigSchema.named(schema).validate(root))
                .as(file.toString())
                .isEmpty();
        assertThat(found.sorted()).as(file.toString()).isEmpty();
    }

    @Test
    void reportsAnUnknownKeyOfAPartnerWithItsAllowedKeys() {
        config.replace("partners/siao-75.yaml", "enabled: true", "enabled: true\nenvelop: aes-256-gcm");

        assertThat(problems())
                .containsExactly(
                        "partners/siao-75.yaml:10: error: unknown key 'envelop' in the file"
                                + " (expected one of: id, name, departments, may_send, receives, inbound, outbound, certificate,"
                                + " approvals, enabled, signed_submissions, envelope, delivery, limits) (fix: did you mean 'envelope'?)");
    }

    @Test
    void reportsAPartnersDeliveryAttemptsOutOfRange() {
        config.replace(
                "partners/siao-75.yaml",
                "enabled: true",
                "enabled: true\ndelivery: {transport: inbox," + " max_attempts: 101}");

        assertThat(problems())
                .containsExactly("partners/siao-75.yaml:10: error: 'delivery.max_attempts' is 101"
                        + " (expected: 1-100) (fix: write a number from 1 to 100)");
    }

    @Test
    void reportsAMissingRequiredKeyOfAPartnerOnce() {
        config.replace("partners/siao-75.yaml", "inbound: canonical-json\n", "");

        assertThat(problems())
                .containsExactly("partners/siao-75.yaml:1: error: missing required key 'inbound' (fix:"
                        + " add inbound: canonical-json)");
    }

    @Test
    void offersTheEnvelopeFormatsThatTheGatewayHas() {
        JsonNode envelope = ConfigSchema.named("partner").defaultOf("envelope");

        assertThat(envelope.asText()).isEqualTo(EnvelopeFormat.AES_256_GCM.code());
        assertThat(ConfigSchema.named("partner").enumOf("envelope"))
                .containsExactlyElementsOf(java.util.stream.Stream.concat(
                                Arrays.stream(EnvelopeFormat.values()).map(EnvelopeFormat::code),
                                java.util.stream.Stream.of(EnvelopeFormat.MODERN))
                        .toList());
    }

    @Test
    void acceptsEveryShippedPartnerFile() throws IOException {
        try (Stream<Path> files = Files.list(ShippedConfig.GATEWAY.resolveSibling("partners"))) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                assertMatches("partner", file);
            }
        }
    }

    @Test
    void offersTheRolesThatAnAdministratorMayHave() {
        assertThat(ConfigSchema.named("admin").enumOf("role"))
                .containsExactlyElementsOf(Arrays.stream(Administrator.Role.values())
                        .map(Administrator.Role::code)
                        .toList());
    }

    @Test
    void acceptsTheShippedAdministrator() {
        assertMatches("admin", ShippedConfig.GATEWAY.resolveSibling("admins").resolve("admin.yaml"));
    }

    @Test
    void reportsAnUnknownKeyOfARouteAndStillChecksTheRestOfIt() {
        config.replace(
                "routes.yaml",
                "from: [police]\n    departments",
                "from: [polic]\n    colour: blue\n" + "    departments");

        assertThat(problems())
                .containsExactly(
                        "routes.yaml:4: error: unknown partner kind 'polic' (expected one of: police, gendarmerie, association, social, siao, prefecture,"
                                + " security, cohesion, housing, crip, prosecutor, labour, urssaf, health, caf, cpam, tax,"
                                + " customs, employment, funder, monitoring, dgcs, miprof) (fix: did you mean 'police'?)",
                        "routes.yaml:5: error: unknown key 'colour' in 'routes[0]' (expected one of: id, type, from,"
                                + " departments, to, fields, subject, legal_obligation, when) (fix: remove it or correct its name)");
    }

    @Test
    void acceptsTheShippedRoutes() {
        assertMatches("routes", ShippedConfig.GATEWAY.resolveSibling("routes.yaml"));
    }
}
