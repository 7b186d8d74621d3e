package fr.passerelle.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.config.model.GatewaySettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The caps on open connections, {@code limits.max_connections} and {@code limits.max_connections_per_address}. */
class ConnectionCapsConfigTest {
    private static final ConfigChecks CHECKS =
            new ConfigChecks(id -> true, id -> true, type -> Set.of(), id -> Optional.empty());

    @TempDir
    Path temp;

    private TestConfig config;

    @BeforeEach
    void writeValidConfiguration() {
        config = TestConfig.valid(temp);
    }

    private ConfigReport check() {
        return config.check(Map.of(), CHECKS);
    }

    private List<String> shown(ConfigReport report) {
        return report.problems().stream().map(config::shown).toList();
    }

    @Test
    void capsConnectionsByDefault() {
        GatewaySettings.ConnectionCaps caps =
                check().deployment().orElseThrow().settings().limits().connections();

        assertThat(caps).isEqualTo(new GatewaySettings.ConnectionCaps(2048, 64));
    }

    @Test
    void readsTheCapsFromTheLimitsSection() {
        config.replace(
                "gateway.yaml",
                "data_dir: ../data",
                "data_dir: ../data\nlimits:\n  max_connections: 100\n" + "  max_connections_per_address: 5");

        GatewaySettings.ConnectionCaps caps =
                check().deployment().orElseThrow().settings().limits().connections();

        assertThat(caps).isEqualTo(new GatewaySettings.ConnectionCaps(100, 5));
    }

    @Test
    void refusesAPerAddressCapAboveTheTotal() {
        config.replace(
                "gateway.yaml",
                "data_dir: ../data",
                "data_dir: ../data\nlimits:\n  max_connections: 10\n" + "  max_connections_per_address: 20");

        ConfigReport report = check();

        assertThat(report.deployment()).isEmpty();
        assertThat(shown(report))
                .singleElement()
                .asString()
                .endsWith("error: 'limits.max_connections_per_address' (20) is above 'limits.max_connections' (10)"
                        + " (fix: make max_connections_per_address at most max_connections)");
    }

    @Test
    void refusesAZeroCapNamingTheKey() {
        config.replace("gateway.yaml", "data_dir: ../data", "data_dir: ../data\nlimits:\n  max_connections: 0");

        ConfigReport report = check();

        assertThat(report.deployment()).isEmpty();
        assertThat(shown(report))
                .singleElement()
                .asString()
                .contains("max_connections")
                .contains("0");
    }
}
