package fr.passerelle.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.GatewaySettings.DatabaseSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
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
            assertThat(store.document(referral.id())).hasValueSatisfying(
                    document -> assertThat(document).isEqualTo(referral.document()));
            assertThat(reopened.description()).matches(
                    "embedded PostgreSQL 17\\.\\d+ in " + Pattern.quote(dataDir.resolve("postgres").toString()));
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
        assertThat(ProcessHandle.of(orphan)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

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
    void reportsAnUnreachableServerWithoutThePasswordAndStartsNoEmbeddedOne() {
        DatabaseSettings settings = new DatabaseSettings(
                Optional.of("jdbc:postgresql://127.0.0.1:1/passerelle?password=s3cret-in-url"),
                Optional.of("gateway"), Optional.of("s3cret-setting"), 4);

        assertThatThrownBy(() -> Database.open(settings, dataDir))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.STORE_FAILED);
                    assertThat(e.getMessage()).isEqualTo("cannot reach PostgreSQL at"
                            + " jdbc:postgresql://127.0.0.1:1/passerelle?password=<masked>: Connection to 127.0.0.1:1"
                            + " refused. Check that the hostname and port are correct and that the postmaster is"
                            + " accepting TCP/IP connections. (check database.url / GATEWAY_DATABASE_URL, user and"
                            + " password)");
                });
        assertThat(dataDir.resolve("postgres")).doesNotExist();
    }

    @Test
    void refusesAUrlThatIsNotPostgres() {
        DatabaseSettings settings = new DatabaseSettings(Optional.of("jdbc:mysql://db/passerelle?password=s3cret"),
                Optional.empty(), Optional.empty(), 4);

        assertThatThrownBy(() -> Database.open(settings, dataDir))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage()).isEqualTo("database.url 'jdbc:mysql://db/passerelle?password=<masked>'"
                            + " is not a PostgreSQL JDBC url (expected: jdbc:postgresql://host:port/database)");
                });
    }

    private static String inUse(Path folder) {
        return "cannot start the embedded PostgreSQL in " + folder + ": another gateway is using this data folder"
                + " (its PostgreSQL is process " + postmasterPid(folder) + "); expected one gateway per data folder:"
                + " stop the other gateway, give this one its own data folder, or set database.url";
    }

    private static long postmasterPid(Path folder) {
        try {
            return Long.parseLong(Files.readAllLines(folder.resolve("postmaster.pid")).get(0).trim());
        } catch (IOException e) {
            throw new AssertionError("no readable postmaster.pid in " + folder, e);
        }
    }

    private static Process openInAnotherProcess(Path dataDir, boolean hold) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OpenDatabaseProcess.class.getName(),
                dataDir.toString()));
        if (hold) {
            command.add("hold");
        }
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** What the other process reports, without waiting for it to exit. */
    private static String result(Process process) throws IOException {
        BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
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
