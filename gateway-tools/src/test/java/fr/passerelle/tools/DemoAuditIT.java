package fr.passerelle.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.store.Database;
import fr.passerelle.server.cli.GatewayCommand;
import fr.passerelle.tools.demo.Demo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tamper-evident audit log as an administrator meets it: the CLI on what the demo left. */
class DemoAuditIT {

    @Test
    void verifiesTheDemosLogThenNamesTheEntryThatASuperuserChanged(@TempDir Path dir) throws Exception {
        assumeThat(System.getenv("GATEWAY_TEST_DB_URL"))
                .as("the demo's own embedded database")
                .isNull();
        Path keep = dir.resolve("kept");
        assertThat(Demo.run(
                        Optional.of(keep),
                        Map.of(),
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .isZero();
        Map<String, String> env =
                Map.of("GATEWAY_CONFIG", keep.resolve("config/gateway.yaml").toString());
        Path export = dir.resolve("audit.jsonl");

        String verified = cli(env, 0, "audit", "verify");
        String exported = cli(env, 0, "audit", "export", "--out", export.toString());
        String offline = cli(
                Map.of(),
                0,
                "audit",
                "verify",
                "--file",
                export.toString(),
                "--cert",
                keep.resolve("pki/gateway-signing.pem").toString());
        tamper(keep.resolve("data"), "UPDATE audit_entry SET actor = 'police-974-sdpj' WHERE seq = 3");
        String refused = cli(env, 1, "audit", "verify");

        // The demo now runs past the heads' 100-entry mark and its time trigger: one head or more, all verified.
        assertThat(verified).startsWith("audit log verified: ").containsPattern("[1-9][0-9]* signed tree heads?");
        assertThat(exported).startsWith("audit export: ");
        assertThat(offline).startsWith("audit log verified: ");
        assertThat(refused).startsWith("audit log does NOT verify: entry 3: ");
    }

    private static void tamper(Path dataDir, String sql) throws Exception {
        try (Database database = Database.open(GatewaySettings.DatabaseSettings.embedded(), dataDir);
                Connection c = database.dataSource().getConnection();
                Statement statement = c.createStatement()) {
            c.setAutoCommit(false);
            statement.execute("ALTER TABLE audit_entry DISABLE TRIGGER ALL");
            statement.execute(sql);
            statement.execute("ALTER TABLE audit_entry ENABLE TRIGGER ALL");
            c.commit();
        }
    }

    private static String cli(Map<String, String> env, int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = GatewayCommand.execute(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
        assertThat(exit).as(String.join(" ", args) + "\n" + out + err).isEqualTo(expectedExit);
        return out.toString();
    }
}
