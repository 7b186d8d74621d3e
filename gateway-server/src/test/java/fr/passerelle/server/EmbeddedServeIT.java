package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.devkit.DevelopmentDeployment;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gateway serve} on the embedded database, as a new user starts it: it warns once that production belongs on
 * a managed PostgreSQL, a local client without the password is refused, the CLI works beside it on the same
 * server, and SIGTERM stops that server with the gateway.
 */
class EmbeddedServeIT {
    private static final String WARNING = "a production deployment should use a managed PostgreSQL";

    @TempDir
    Path work;

    @Test
    void servesOnALockedDownEmbeddedDatabaseThatTheCliReaches() throws Exception {
        DevelopmentDeployment.Workspace workspace = DevelopmentDeployment.prepare(work, Map.of(), config -> {});
        Path data = work.resolve("data");
        String gatewayYaml = workspace.gatewayYaml().toString();
        long postmaster;
        try (GatewayProcess serve = GatewayProcess.start(
                workspace.gatewayYaml(), workspace.env(), work.resolve("serve.log"), Duration.ofMinutes(3))) {
            Properties running = properties(data.resolve("postgres.running"));
            postmaster = Long.parseLong(running.getProperty("pid"));
            String url = "jdbc:postgresql://127.0.0.1:" + running.getProperty("port") + "/passerelle";

            CliRun versions = CliRun.run(workspace.env(), "config", "versions", "--config", gatewayYaml);
            CliRun keys = CliRun.run(workspace.env(), "keys", "status", "--config", gatewayYaml);

            assertThat(occurrences(serve.output(), WARNING)).as(serve.tail()).isEqualTo(1);
            assertThat(serve.output()).contains("GATEWAY_DATABASE_URL", "docs/DATABASE.md");
            assertThatThrownBy(() ->
                            DriverManager.getConnection(url, "postgres", null).close())
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() ->
                            DriverManager.getConnection(url, "passerelle", "").close())
                    .isInstanceOf(SQLException.class);
            assertThat(versions.code()).as(versions.err()).isZero();
            assertThat(versions.out()).containsPattern("(?m)^\\* 1 ");
            assertThat(keys.code()).as(keys.err()).isZero();
            assertThat(keys.out()).contains("stored payloads").doesNotContain("in use by a running gateway");
            assertThat(ProcessHandle.of(postmaster).filter(ProcessHandle::isAlive))
                    .isPresent();

            serve.terminate();
            assertThat(serve.awaitExit(Duration.ofMinutes(2))).as(serve.tail()).isPresent();
        }
        assertThat(data.resolve("postgres.running")).doesNotExist();
        // pg_ctl returns once postmaster.pid is gone, a moment before the process itself ends.
        Optional<ProcessHandle> server = ProcessHandle.of(postmaster);
        if (server.isPresent()) {
            server.get().onExit().get(30, TimeUnit.SECONDS);
        }
    }

    private static Properties properties(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            p.load(reader);
        }
        return p;
    }

    private static int occurrences(String text, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
