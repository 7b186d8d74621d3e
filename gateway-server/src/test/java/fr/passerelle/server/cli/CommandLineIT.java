package fr.passerelle.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.config.ConfigLoader;
import fr.passerelle.core.keys.MasterKeys;
import fr.passerelle.core.testkit.TestDatabase;
import fr.passerelle.devkit.DevelopmentDeployment;
import fr.passerelle.devkit.ShippedConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands of the CLI that read or rewrite the database, on a fresh one of the test kit's PostgreSQL. */
class CommandLineIT {
    private static final Map<String, String> DATABASE = TestDatabase.fresh().env();

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private Path config;

    /** A copy of the shipped configuration with its development PKI, as {@code pki init} leaves it. */
    @BeforeEach
    void deploy(@TempDir Path dir) {
        config = dir.resolve("config");
        ShippedConfig.copyTo(config);
        DevelopmentDeployment.install(config.resolve("gateway.yaml"), dir.resolve("pki"), List.of(), false);
    }

    @Test
    void printsStatisticsOfThePeriodFromTheConfiguredDatabase() {
        int exit = run("stats", "--from", "2025-09-01", "--to", "2025-09-30", "--json");

        assertThat(exit).as(out.toString() + err).isZero();
        assertThat(out.toString().replaceAll("\\s", ""))
                .contains(
                        "\"from\":\"2025-09-01\"",
                        "\"to\":\"2025-09-30\"",
                        "\"minGroup\":5",
                        "\"groups\":[]",
                        "\"total\":0");
    }

    @Test
    void createsRotatesRetiresAndListsTheMasterKeysOfEachFamily() {
        Path support =
                ConfigLoader.settings(config.resolve("gateway.yaml"), Map.of()).masterKeys();
        Path police = support.resolveSibling("master-police-justice.keys");

        int init = run("keys", "init");
        String supportKey = MasterKeys.load(support).currentId();
        String policeFirst = MasterKeys.load(police).currentId();
        int rotate = run("keys", "rotate", "--domain", "police-justice");
        String policeNow = MasterKeys.load(police).currentId();
        int retire = run("keys", "retire", policeFirst);
        String before = out.toString();
        out.getBuffer().setLength(0);
        int status = run("keys", "status");

        assertThat(List.of(init, rotate, retire, status)).as(before + out + err).containsOnly(0);
        assertThat(before)
                .contains(
                        "keys init: created " + support + " (victim-support) with key " + supportKey,
                        "keys init: created " + police + " (police-justice) with key " + policeFirst,
                        "keys rotate: new current key " + policeNow + " in " + police + " (police-justice)",
                        "every stored payload is under the current key of its family (victim-support " + supportKey
                                + ", police-justice " + policeNow + ")",
                        "keys retire: removed " + policeFirst + " from " + police + " (police-justice)");
        assertThat(MasterKeys.load(support).ids()).containsExactly(supportKey);
        assertThat(MasterKeys.load(police).ids()).containsExactly(policeNow);
        assertThat(out.toString())
                .contains("victim-support master keys in " + support + ":\n  " + supportKey
                        + " (current): 0 stored payloads\npolice-justice master keys in " + police + ":\n  " + policeNow
                        + " (current): 0 stored payloads\n");
    }

    private int run(String... args) {
        Map<String, String> env = new HashMap<>(DATABASE);
        env.put("GATEWAY_CONFIG", config.resolve("gateway.yaml").toString());
        return GatewayCommand.execute(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
    }
}
