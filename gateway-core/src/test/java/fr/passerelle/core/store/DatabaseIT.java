package fr.passerelle.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.GatewaySettings.DatabaseSettings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseIT {

    @TempDir
    Path dataDir;

    @Test
    void keepsItsDataInTheDataFolderAcrossRestarts() {
        NewReferral referral = Referrals.toSiaoAndAssociation();
        try (Database database = Database.open(DatabaseSettings.embedded(), dataDir)) {
            store(database).submit(referral);
        }

        try (Database reopened = Database.open(DatabaseSettings.embedded(), dataDir)) {
            JdbcReferralStore store = store(reopened);

            assertThat(store.countReferrals()).isEqualTo(1);
            assertThat(store.document(referral.id()))
                    .hasValueSatisfying(document -> assertThat(document).isEqualTo(referral.document()));
            assertThat(reopened.description())
                    .matches("embedded PostgreSQL 17\\.\\d+ in "
                            + Pattern.quote(dataDir.resolve("postgres").toString()));
        }
    }

    @Test
    void refusesASecondDatabaseOnTheSameDataFolderAndLeavesTheFirstRunning() {
        try (Database first = Database.open(DatabaseSettings.embedded(), dataDir)) {

            assertThatThrownBy(() -> Database.open(DatabaseSettings.embedded(), dataDir))
                    .isInstanceOfSatisfying(GatewayException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.STORE_FAILED);
                        assertThat(e.getMessage()).isEqualTo(inUse(dataDir.resolve("postgres")));
                    });
            assertThat(store(first).countReferrals()).isZero();
        }
    }

    @Test
    void refusesASecondProcessOnTheSameDataFolderAndLeavesTheFirstRunning() throws Exception {
        try (Database first = Database.open(DatabaseSettings.embedded(), dataDir)) {

            Process second = openInAnotherProcess(dataDir, false);
            String result = result(second);
            finish(second);

            assertThat(second.exitValue()).isEqualTo(1);
            assertThat(result).isEqualTo("store_failed: " + inUse(dataDir.resolve("postgres")));
            assertThat(store(first).countReferrals()).isZero();
        }
    }

    @Test
    void resumesAfterAKilledGatewayLeftItsPostgresRunning() throws Exception {
        Path folder = dataDir.resolve("postgres");
        try (Database database = Database.open(DatabaseSettings.embedded(), dataDir)) {
            store(database).submit(Referrals.toSiaoAndAssociation());
        }
        Process killed = openInAnotherProcess(dataDir, true);
        assertThat(result(killed)).isEqualTo("opened, 1 referrals");
        killed.destroyForcibly().waitFor(1, TimeUnit.MINUTES);
        long orphan = postmasterPid(folder);
        assertThat(ProcessHandle.of(orphan))
                .hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

        String reopened;
        try {
            Process next = openInAnotherProcess(dataDir, false);
            reopened = result(next);
            finish(next);
        } finally {
            stop(orphan);
        }

        assertThat(reopened).isEqualTo("opened, 1 referrals");
        assertThat(ProcessHandle.of(orphan).filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void refusesALocalClientWithoutThePasswordAndListensOnNoSocket() throws Exception {
        try (Database database = Database.open(DatabaseSettings.embedded(), dataDir)) {
            String url = "jdbc:postgresql://127.0.0.1:" + runningPort() + "/passerelle";

            for (String user : List.of("postgres", "passerelle")) {
                assertThatThrownBy(() ->
                                DriverManager.getConnection(url, user, null).close())
                        .as(user + " without a password")
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("password");
                assertThatThrownBy(() ->
                                DriverManager.getConnection(url, user, "guess").close())
                        .as(user + " with a wrong password")
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("password authentication failed");
            }
            assertThat(Files.readString(dataDir.resolve("postgres/pg_hba.conf")))
                    .doesNotContain("trust")
                    .contains("scram-sha-256");
            try (Stream<Path> files = Files.walk(dataDir)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".s.PGSQL"));
            }
            assertThat(Path.of("/tmp/.s.PGSQL." + runningPort())).doesNotExist();
            assertThat(Files.readString(dataDir.resolve("postgres/passerelle.conf")))
                    .contains("listen_addresses = '127.0.0.1'", "unix_socket_directories = ''");
        }
    }

    @Test
    void connectsAsAnOwnerRoleThatCannotRunPrograms() throws Exception {
        Path marker = dataDir.resolve("ran");
        try (Database database = Database.open(DatabaseSettings.embedded(), dataDir)) {

            assertThatThrownBy(() -> query(database, "COPY (SELECT 1) TO PROGRAM 'touch " + marker + "'"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied to COPY to or from an external program");
            assertThatThrownBy(() -> query(database, "SELECT pg_read_file('postgresql.conf')"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
            assertThat(query(
                            database,
                            "SELECT current_user || ' ' || rolsuper || ' ' || rolcreaterole || ' '"
                                    + " || rolcreatedb FROM pg_roles WHERE rolname = current_user"))
                    .isEqualTo("passerelle false false false");
            assertThat(query(
                            database,
                            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
                                    + " AND tableowner <> current_user"))
                    .isEqualTo("0");
            assertThat(query(database, "SHOW fsync")).isEqualTo("on");
            assertThat(query(database, "SHOW synchronous_commit")).isEqualTo("on");
        }
        assertThat(marker).doesNotExist();
    }

    @Test
    void keepsItsSecretsAndProgramsToTheOwnerOfTheDataFolder() throws Exception {
        try (Database database = Database.open(DatabaseSettings.embedded(), dataDir)) {
            assertThat(mode(dataDir.resolve("postgres.secret"))).isEqualTo("rw-------");
            assertThat(mode(dataDir.resolve("postgres.running"))).isEqualTo("rw-------");
            assertThat(mode(dataDir.resolve("postgres-binaries"))).isEqualTo("rwx------");
            assertThat(mode(dataDir.resolve("postgres"))).isEqualTo("rwx------");
            assertThat(dataDir.resolve("postgres-binaries/bin/postgres")).isRegularFile();
            assertThat(Files.readString(dataDir.resolve("postgres.secret")))
                    .contains("user=passerelle", "database=passerelle")
                    .containsPattern("password=[A-Za-z0-9_-]{43}");
        }
        assertThat(dataDir.resolve("postgres.running")).doesNotExist();
    }

    @Test
    void letsAToolBesideTheGatewayUseTheSameServer() {
        try (Database gateway = Database.open(DatabaseSettings.embedded(), dataDir)) {
            store(gateway).submit(Referrals.toSiaoAndAssociation());

            try (Database tool = Database.openShared(DatabaseSettings.embedded(), dataDir)) {
                assertThat(store(tool).countReferrals()).isEqualTo(1);
                assertThat(tool.description()).contains("started by the running gateway");
            }

            assertThat(store(gateway).countReferrals()).isEqualTo(1);
        }
        try (Database alone = Database.openShared(DatabaseSettings.embedded(), dataDir)) {
            assertThat(store(alone).countReferrals()).isEqualTo(1);
            assertThat(alone.description()).doesNotContain("running gateway");
        }
    }

    @Test
    void keepsItsDataWhenTheSecretFileIsLost() throws Exception {
        try (Database database = Database.open(DatabaseSettings.embedded(), dataDir)) {
            store(database).submit(Referrals.toSiaoAndAssociation());
        }
        Files.delete(dataDir.resolve("postgres.secret"));

        try (Database reopened = Database.open(DatabaseSettings.embedded(), dataDir)) {
            assertThat(store(reopened).countReferrals()).isEqualTo(1);
            assertThat(Files.readString(dataDir.resolve("postgres.secret"))).contains("database=passerelle");
        }
    }

    @Test
    void convertsAFolderThatAnEarlierReleaseInitialisedWithoutPasswords() throws Exception {
        NewReferral referral = Referrals.toSiaoAndAssociation();
        // What releases before this one did: zonky's defaults, trust for every local client, superuser tables.
        try (EmbeddedPostgres earlier = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir.resolve("postgres"))
                .setCleanDataDirectory(false)
                .start()) {
            DataSource superuser = earlier.getPostgresDatabase();
            Flyway.configure()
                    .dataSource(superuser)
                    .locations("classpath:db/migration")
                    .load()
                    .migrate();
            new JdbcReferralStore(superuser, Clock.systemUTC(), TestKeys.cipher()).submit(referral);
        }

        try (Database database = Database.open(DatabaseSettings.embedded(), dataDir)) {
            JdbcReferralStore store = store(database);
            store.submit(Referrals.toSiaoAndAssociation());

            assertThat(store.countReferrals()).isEqualTo(2);
            assertThat(store.document(referral.id())).hasValue(referral.document());
            assertThat(query(database, "SELECT current_user || '@' || current_database()"))
                    .isEqualTo("passerelle@postgres");
            assertThat(query(database, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user"))
                    .isEqualTo("false");
            assertThat(Files.readString(dataDir.resolve("postgres/pg_hba.conf")))
                    .doesNotContain("trust");
            String url = "jdbc:postgresql://127.0.0.1:" + runningPort() + "/postgres";
            assertThatThrownBy(() ->
                            DriverManager.getConnection(url, "postgres", null).close())
                    .isInstanceOf(SQLException.class);
        }
    }

    @Test
    void reportsAnUnreachableServerWithoutThePasswordAndStartsNoEmbeddedOne() {
        DatabaseSettings settings = new DatabaseSettings(
                Optional.of("jdbc:postgresql://127.0.0.1:1/passerelle?password=s3cret-in-url"),
                Optional.of("gateway"),
                Optional.of("s3cret-setting"),
                4);

        assertThatThrownBy(() -> Database.open(settings, dataDir)).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.STORE_FAILED);
            assertThat(e.getMessage())
                    .isEqualTo("cannot reach PostgreSQL at"
                            + " jdbc:postgresql://127.0.0.1:1/passerelle?password=<masked>: Connection to 127.0.0.1:1"
                            + " refused. Check that the hostname and port are correct and that the postmaster is"
                            + " accepting TCP/IP connections. (check database.url / GATEWAY_DATABASE_URL, user and"
                            + " password)");
        });
        assertThat(dataDir.resolve("postgres")).doesNotExist();
    }

    private int runningPort() throws IOException {
        Properties running = new Properties();
        try (var reader = Files.newBufferedReader(dataDir.resolve("postgres.running"))) {
            running.load(reader);
        }
        return Integer.parseInt(running.getProperty("port"));
    }

    private static String query(Database database, String sql) throws SQLException {
        try (Connection c = database.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    private static String inUse(Path folder) {
        return "cannot start the embedded PostgreSQL in " + folder + ": another gateway is using this data folder"
                + " (its PostgreSQL is process " + postmasterPid(folder) + "); expected one gateway per data folder:"
                + " stop the other gateway, give this one its own data folder, or set database.url";
    }

    private static long postmasterPid(Path folder) {
        try {
            return Long.parseLong(
                    Files.readAllLines(folder.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException e) {
            throw new AssertionError("no readable postmaster.pid in " + folder, e);
        }
    }

    private static Process openInAnotherProcess(Path dataDir, boolean hold) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                OpenDatabaseProcess.class.getName(),
                dataDir.toString()));
        if (hold) {
            command.add("hold");
        }
        return new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    /** What the other process reports, without waiting for it to exit. */
    private static String result(Process process) throws IOException {
        BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.startsWith(OpenDatabaseProcess.RESULT)) {
                return line.substring(OpenDatabaseProcess.RESULT.length());
            }
        }
        return "no result";
    }

    /** Reads the rest of the output, so that the process never blocks on a full pipe, and waits for its end. */
    private static void finish(Process process) throws IOException, InterruptedException {
        process.getInputStream().transferTo(OutputStream.nullOutputStream());
        process.waitFor(2, TimeUnit.MINUTES);
    }

    private static void stop(long pid) throws Exception {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isPresent()) {
            process.get().destroy();
            process.get().onExit().get(1, TimeUnit.MINUTES);
        }
    }

    private static JdbcReferralStore store(Database database) {
        return new JdbcReferralStore(database.dataSource(), Clock.systemUTC(), TestKeys.cipher());
    }
}
