package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.core.config.DevelopmentPins;
import fr.passerelle.core.config.versions.FileSet;
import fr.passerelle.core.crypto.DevelopmentPki;
import fr.passerelle.core.testkit.TestDatabase;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The acceptance of issue 7 from the command line: on a running gateway (on a PostgreSQL server that the CLI
 * reaches too), an administrator adds an association and a route to config/, runs {@code config apply}, and the
 * next orientation reaches the association, with no restart; {@code config rollback} takes it back.
 */
class ConfigVersionsCliIT {
    private static final String NEW = "association-976-mahoraise";

    @Test
    void appliesDiffsExportsAndRollsBackOnARunningGateway() throws IOException {
        TestDatabase.Fresh database = TestDatabase.fresh();
        try (TestGateway gw = TestGateway.start(database.env())) {
            Map<String, String> env = new HashMap<>(database.env());
            env.put("GATEWAY_PKI_DIR", gw.pki.toString());
            env.put("USER", "exploitation");
            String gatewayYaml = gw.config.resolve("gateway.yaml").toString();
            DevelopmentPki.issueClient(gw.pki, gw.pki.resolve("partners"), NEW, Clock.systemUTC());
            Files.copy(gw.pki.resolve("partners/" + NEW + ".pem"), gw.config.resolve("partners/" + NEW + ".pem"));
            Files.writeString(
                    gw.config.resolve("partners/" + NEW + ".yaml"),
                    "id: " + NEW + "\nname: Association"
                            + " mahoraise\ndepartments: [\"976\"]\nmay_send: [difficulty.report]\ninbound: canonical-json\n"
                            + "outbound: canonical-json\n");
            // The route goes at the end of the routes: list, before the deadlines: that close routes.yaml.
            TestGateway.edit(
                    gw.config.resolve("routes.yaml"),
                    yaml -> yaml.replace(
                            "\ndeadlines:",
                            "\n  - id: orientation-976\n    type: victim.orientation\n    from: [police]\n"
                                    + "    departments: [\"976\"]\n    subject: adult\n    to: [{partner: " + NEW
                                    + "}]\n"
                                    + "    fields: [subject.languages, needs]\n\ndeadlines:"));

            CliRun diff = CliRun.run(env, "config", "diff", "--config", gatewayYaml);
            CliRun apply = CliRun.run(env, "config", "apply", "--config", gatewayYaml, "--comment", "Mayotte");
            awaitVersion(gw, 2);
            PartnerClient.Reply submitted = submitOrientationIn976(gw);
            JsonNode inbox =
                    Json.MAPPER.readTree(gw.client(NEW).get("/v1/inbox").body());
            CliRun same = CliRun.run(env, "config", "diff", "--config", gatewayYaml);
            Path export = gw.work.resolve("export");
            CliRun exported = CliRun.run(env, "config", "export", "--config", gatewayYaml, "--out", export.toString());
            CliRun refused = CliRun.run(env, "config", "export", "--config", gatewayYaml, "--out", export.toString());
            CliRun rollback = CliRun.run(env, "config", "rollback", "--config", gatewayYaml, "--to", "1");
            awaitVersion(gw, 3);
            PartnerClient.Reply afterRollback = submitOrientationIn976(gw);
            CliRun versions = CliRun.run(env, "config", "versions", "--config", gatewayYaml);

            assertThat(diff.code()).as(diff.err()).isEqualTo(3);
            assertThat(diff.out())
                    .contains(
                            "+++ config/partners/" + NEW + ".yaml",
                            "+  - id: orientation-976",
                            "config diff: from version 1 to config/: partners +1 (" + NEW + "), -0, ~0; routes +1"
                                    + " (orientation-976), -0, ~0; administrators +0, -0, ~0");
            assertThat(apply.code()).as(apply.err()).isZero();
            assertThat(apply.out()).contains("config apply: version 2 is current (was 1): partners +1 (" + NEW + ")");
            assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
            assertThat(inbox.path("items")).hasSize(1);
            assertThat(same.code()).isZero();
            assertThat(same.out()).contains("config diff: no change (config/ is version 2)");
            assertThat(exported.code()).as(exported.err()).isZero();
            // A version holds config/ as the gateway reads it: with the pins of `pki init` (pki/pins.yaml).
            assertThat(FileSet.read(export)).isEqualTo(FileSet.read(gw.config, DevelopmentPins.read(gw.pki)));
            assertThat(refused.code()).isEqualTo(1);
            assertThat(refused.err()).contains("is not empty: choose an empty folder, or add --force");
            assertThat(rollback.code()).as(rollback.err()).isZero();
            assertThat(rollback.out())
                    .contains("config rollback: version 3 is current (was 2), with the files of"
                            + " version 1: partners +0, -1 (" + NEW + ")");
            assertThat(afterRollback.status()).isEqualTo(422);
            assertThat(versions.out())
                    .contains(
                            "* 3  ",
                            "cli:exploitation  (files of version 1)",
                            "cli:exploitation  Mayotte",
                            "gateway  first start: config/ applied");
        }
    }

    @Test
    void refusesToApplyAFolderThatDoesNotCheckAndStoresNothing() throws IOException {
        TestDatabase.Fresh database = TestDatabase.fresh();
        try (TestGateway gw = TestGateway.start(database.env())) {
            Map<String, String> env = new HashMap<>(database.env());
            env.put("GATEWAY_PKI_DIR", gw.pki.toString());
            TestGateway.edit(
                    gw.config.resolve("routes.yaml"),
                    text -> text.replace("type: removal.objective", "type: removal.objectiv"));

            CliRun apply = CliRun.run(
                    env,
                    "config",
                    "apply",
                    "--config",
                    gw.config.resolve("gateway.yaml").toString());

            assertThat(apply.code()).isEqualTo(1);
            assertThat(apply.err())
                    .startsWith("error: config_refused: 1 problem in the configuration: the change is"
                            + " refused and nothing was stored")
                    .contains(gw.config.resolve("routes.yaml") + ":");
            assertThat(gw.gateway.configVersion()).isEqualTo(1);
        }
    }

    private static PartnerClient.Reply submitOrientationIn976(TestGateway gw) throws IOException {
        String orientation = new String(gw.sample("victim.orientation"), StandardCharsets.UTF_8)
                .replace("\"department\": \"75\"", "\"department\": \"976\"");
        return gw.client("police-75-brp")
                .post("/v1/referrals", orientation.getBytes(StandardCharsets.UTF_8), "application/json", Map.of());
    }

    /** The running gateway follows the database within its poll interval (2 s by default). */
    private static void awaitVersion(TestGateway gw, int version) {
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(gw.gateway.configVersion()).isEqualTo(version));
    }
}
