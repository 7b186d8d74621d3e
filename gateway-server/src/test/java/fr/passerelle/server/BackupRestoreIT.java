package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.config.versions.ConfigVersions;
import fr.passerelle.core.testkit.TestDatabase;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code gateway backup} and {@code gateway restore} through the command line, on a real gateway and real
 * PostgreSQL: a backup taken while the gateway serves, restored into a second, empty database, on which a gateway
 * with the same keys and PKI serves what the backup held, nothing written after it, and nothing erased after it; and
 * the refusals, each one line naming the problem and the fix.
 */
class BackupRestoreIT {
    private static final String POLICE = "police-75-brp";
    private static final String SIAO = "siao-75";

    private static TestDatabase.Fresh source;
    private static TestGateway gw;
    private static Path backup;
    private static CliRun backupRun;
    private static String delivered;
    private static String erasedAfter;
    private static int configVersion;

    @BeforeAll
    static void backUpAServingGateway() throws IOException {
        source = TestDatabase.fresh();
        gw = TestGateway.start(source.env());
        delivered = submit("Keren");
        assertThat(gw.inbox(SIAO))
                .anyMatch(i -> delivered.equals(i.path("referralId").asText()));
        erasedAfter = submit("Esther");
        gw.sequencedAudit();
        configVersion =
                new ConfigVersions(gw.gateway.database().dataSource()).current().orElseThrow();
        backup = gw.work.resolve("backups/first");

        backupRun = CliRun.run(cli(source), "backup", "--out", backup.toString());
    }

    @AfterAll
    static void stop() throws IOException {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void writesOneOwnerOnlyFilePerTableAndRemindsWhatIsNotInTheBackup() throws IOException {
        assertThat(backupRun.code()).as(backupRun.err()).isZero();
        assertThat(backupRun.out())
                .contains("  referral: 2 rows", "  config_version: 1 rows", "  audit_queue: 6 rows")
                .contains("configuration version " + configVersion)
                .contains("NOT in this backup", "PAS dans cette sauvegarde")
                .contains(gw.work.resolve("data/keys/master.keys").toString(), "register.keys", "purge.log")
                .contains(gw.pki.resolve("gateway-signing-key.pem").toString(), gw.config.toString());
        assertThat(Files.getPosixFilePermissions(backup)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        try (Stream<Path> files = Files.list(backup)) {
            assertThat(files.toList())
                    .contains(backup.resolve("manifest.json"), backup.resolve("referral.copy.gz"))
                    .allSatisfy(f -> assertThat(Files.getPosixFilePermissions(f))
                            .isEqualTo(PosixFilePermissions.fromString("rw-------")));
        }
        try (Stream<Path> left = Files.list(backup.getParent())) {
            assertThat(left.toList()).as("no partial folder left").containsExactly(backup);
        }
        assertThat(backupRun.out()).doesNotContain(TestGateway.SAMPLE_CONTENT).doesNotContain("Keren", "Esther");
    }

    @Test
    void restoresIntoAnEmptyDatabaseWhatTheBackupHeldAndErasesAgainWhatWasErasedSince() throws Exception {
        String submittedAfter = submit("Ngozi");
        PartnerClient.Reply erase = gw.adminClient()
                .post(
                        "/admin/v1/referrals/" + erasedAfter + "/erase",
                        "{\"justification\": \"erasure-request\"}".getBytes(),
                        "application/json",
                        Map.of());
        assertThat(erase.status()).as(erase.text()).isEqualTo(200);
        TestDatabase.Fresh target = TestDatabase.empty();

        CliRun restore = CliRun.run(cli(target), "restore", "--from", backup.toString());

        assertThat(restore.code()).as(restore.out() + restore.err()).isZero();
        assertThat(restore.out())
                .contains("  referral: 2 rows", "1 erased again:", "  " + erasedAfter, "audit log verified")
                .doesNotContain(TestGateway.SAMPLE_CONTENT)
                .doesNotContain("Keren", "Esther", "Ngozi");
        Map<String, String> env = new HashMap<>(target.env());
        env.put("GATEWAY_PORT", "0");
        env.put("GATEWAY_RECEIPT_LINKS_PORT", "0");
        env.put("GATEWAY_PKI_DIR", gw.pki.toString());
        try (Gateway restored = Gateway.start(gw.config.resolve("gateway.yaml"), env)) {
            CliRun verify = CliRun.run(cli(target), "audit", "verify");
            PartnerClient siao =
                    PartnerClient.forPartner(SIAO, gw.pki, URI.create("https://localhost:" + restored.port()));
            JsonNode items = Json.MAPPER
                    .readTree(siao.get("/v1/inbox?after=0&limit=100").body())
                    .path("items");
            List<JsonNode> copies = new ArrayList<>();
            items.forEach(i -> {
                if (delivered.equals(i.path("referralId").asText()) && !i.has("notice")) {
                    copies.add(i);
                }
            });
            DataSource restoredDb = target.dataSource();

            assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
            assertThat(copies).hasSize(1);
            assertThat(gw.open(SIAO, copies.get(0)).path("referralId").asText()).isEqualTo(delivered);
            assertThat(scalar(restoredDb, "SELECT count(*) FROM referral WHERE id = ?", submittedAfter))
                    .isEqualTo("0");
            assertThat(scalar(
                            restoredDb,
                            "SELECT purged_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM delivery d WHERE"
                                    + " d.referral_id = r.id AND d.payload IS NOT NULL) FROM referral r WHERE id = ?",
                            erasedAfter))
                    .isEqualTo("t");
            assertThat(scalar(
                            restoredDb,
                            "SELECT string_agg(detail->>'reason', ',') FROM audit_entry WHERE referral_id = ?"
                                    + " AND action = 'referral.purged'",
                            erasedAfter))
                    .isEqualTo("replayed");
            assertThat(new ConfigVersions(restored.database().dataSource()).current())
                    .hasValue(configVersion);
        }
    }

    @Test
    void refusesADatabaseThatAlreadyHoldsData() {
        CliRun restore = CliRun.run(cli(source), "restore", "--from", backup.toString());

        assertThat(restore.code()).isEqualTo(1);
        assertThat(restore.err())
                .startsWith("error: state_conflict: PostgreSQL ")
                .contains(" is not empty (", "referral: ")
                .contains("restore into a new, empty database")
                .doesNotContain("\tat ");
    }

    @Test
    void refusesADamagedBackupNamingTheFile() throws IOException {
        Path copy = copyOfBackup("damaged");
        Path file = copy.resolve("referral.copy.gz");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);

        CliRun restore = CliRun.run(cli(TestDatabase.empty()), "restore", "--from", copy.toString());

        assertThat(restore.code()).isEqualTo(1);
        assertThat(restore.err().strip())
                .isEqualTo("error: request_invalid: the backup is damaged: " + file
                        + " does not match its SHA-256 in manifest.json; expected: the files `gateway backup` wrote,"
                        + " unchanged: restore from another copy of this backup, or from another backup");
    }

    @Test
    void refusesABackupNewerThanThisGatewaysSchema() throws IOException {
        Path copy = copyOfBackup("newer");
        Path manifest = copy.resolve("manifest.json");
        Files.writeString(
                manifest,
                Files.readString(manifest)
                        .replaceFirst("\"schemaVersion\" : \"[0-9.]+\"", "\"schemaVersion\" : \"999\""));

        CliRun restore = CliRun.run(cli(TestDatabase.empty()), "restore", "--from", copy.toString());

        assertThat(restore.code()).isEqualTo(1);
        assertThat(restore.err())
                .startsWith("error: request_invalid: the backup's schema is at version 999, newer than this gateway's"
                        + " migrations (up to ")
                .doesNotContain("\tat ");
    }

    @Test
    void refusesAMissingFolder() {
        Path missing = gw.work.resolve("no-such-backup");

        CliRun restore = CliRun.run(cli(TestDatabase.empty()), "restore", "--from", missing.toString());

        assertThat(restore.code()).isEqualTo(1);
        assertThat(restore.err().strip())
                .isEqualTo("error: request_invalid: " + missing
                        + " is not a folder; expected: the folder that `gateway backup --out` wrote");
    }

    @Test
    void saysWhichDatabaseItCannotReach() {
        Map<String, String> env = cli(source);
        env.put("GATEWAY_DATABASE_URL", "jdbc:postgresql://127.0.0.1:1/passerelle");

        CliRun restore = CliRun.run(env, "restore", "--from", backup.toString());

        assertThat(restore.code()).isEqualTo(1);
        assertThat(restore.err())
                .startsWith("error: store_failed: cannot reach PostgreSQL at jdbc:postgresql://127.0.0.1:1/passerelle")
                .contains("(check database.url / GATEWAY_DATABASE_URL, user and password)")
                .doesNotContain("\tat ");
    }

    @Test
    void refusesToWriteIntoAFolderThatHoldsSomething() {
        CliRun again = CliRun.run(cli(source), "backup", "--out", backup.toString());

        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err().strip())
                .isEqualTo("error: state_conflict: " + backup
                        + " already exists and is not empty; expected: a new folder (or an empty one), so that no"
                        + " earlier backup is overwritten: choose another --out, or move the old one away");
    }

    // -- helpers ------------------------------------------------------------------------------------------------

    /** The command line's environment: this gateway's configuration and PKI, on {@code database}. */
    private static Map<String, String> cli(TestDatabase.Fresh database) {
        Map<String, String> env = new HashMap<>(database.env());
        env.put("GATEWAY_CONFIG", gw.config.resolve("gateway.yaml").toString());
        env.put("GATEWAY_PKI_DIR", gw.pki.toString());
        return env;
    }

    private static Path copyOfBackup(String name) throws IOException {
        Path copy = gw.work.resolve("copies/" + name);
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(backup)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        return copy;
    }

    private static String submit(String given) throws IOException {
        ObjectNode shelter = (ObjectNode) Json.MAPPER.readTree(gw.sample("shelter.request"));
        ((ObjectNode) shelter.path("subject")).put("givenName", given);
        PartnerClient.Reply reply = gw.client(POLICE)
                .post(
                        "/v1/referrals",
                        Json.MAPPER.writeValueAsBytes(shelter),
                        "application/json",
                        Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        assertThat(reply.status()).as(reply.text()).isEqualTo(202);
        return Json.MAPPER.readTree(reply.body()).path("id").asText();
    }

    private static String scalar(DataSource db, String sql, String id) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement select = c.prepareStatement(sql)) {
            select.setObject(1, UUID.fromString(id));
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
