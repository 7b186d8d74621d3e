package fr.passerelle.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.testkit.TestDatabase;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

/**
 * How long verifying a million entries takes, from the database and from an export. Prints the figures and asserts
 * only that the log verifies. Runs only with {@code -Dpasserelle.bench=true}: it writes about 400 MB.
 */
@EnabledIfSystemProperty(named = "passerelle.bench", matches = "true")
class AuditVerificationBenchIT {
    private static final int ENTRIES = 1_000_000;

    @TempDir
    Path dir;

    @AfterEach
    void emptyTables() {
        TestDatabase.reset();
    }

    @Test
    void verifiesAMillionEntries() throws Exception {
        TestDatabase.reset();
        long t0 = System.nanoTime();
        load();
        long t1 = System.nanoTime();
        // One entry through the queue: the sequencer's batch signs the head over the whole log.
        AuditFixtures.queueEntries(1);
        AuditFixtures.sequence();
        SignedTreeHead head = TreeHeads.latest(TestDatabase.dataSource()).orElseThrow();
        long t2 = System.nanoTime();
        AuditVerifier.Verdict fromDb = AuditVerifier.verify(
                TestDatabase.dataSource(), AuditFixtures.gatewaySigner().certificate());
        long t3 = System.nanoTime();
        Path export = dir.resolve("audit.jsonl");
        AuditVerifier.export(TestDatabase.dataSource(), export);
        long t4 = System.nanoTime();
        AuditVerifier.Verdict fromFile =
                AuditVerifier.verifyFile(export, AuditFixtures.gatewaySigner().certificate());
        long t5 = System.nanoTime();
        AuditProofs.inclusion(TestDatabase.dataSource(), 123_457, head);
        long t6 = System.nanoTime();

        System.out.printf(
                "bench: %d entries: generate+COPY %d ms, sign head %d ms, verify database %d ms,"
                        + " export %d ms (%d MB), verify export %d ms, one inclusion proof %d ms%n",
                ENTRIES,
                ms(t0, t1),
                ms(t1, t2),
                ms(t2, t3),
                ms(t3, t4),
                Files.size(export) >> 20,
                ms(t4, t5),
                ms(t5, t6));
        assertThat(fromDb.summary()).isEqualTo("audit log verified: 1000001 entries, 1 signed tree head");
        assertThat(fromFile.summary()).isEqualTo(fromDb.summary());
    }

    private static long ms(long from, long to) {
        return (to - from) / 1_000_000;
    }

    /** Writes the entries as the gateway would (Java-computed hashes) through COPY, in chunks. */
    private static void load() throws SQLException, IOException {
        HexFormat hex = HexFormat.of();
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        byte[] chain = AuditEncoding.chainStart();
        try (Connection c = TestDatabase.dataSource().getConnection()) {
            CopyManager copy = new CopyManager(c.unwrap(BaseConnection.class));
            StringBuilder rows = new StringBuilder();
            for (int i = 1; i <= ENTRIES; i++) {
                ReferralId referral = new ReferralId(new UUID(0x1234L, i / 4));
                AuditRecord r = new AuditRecord(
                        i,
                        start.plusMillis(i * 7L),
                        "siao-75",
                        "receipt.recorded",
                        Optional.of(referral),
                        Map.of("recipient", "siao-75", "status", "received"));
                byte[] leaf = AuditEncoding.leafHash(r);
                chain = AuditEncoding.chainHash(chain, leaf);
                rows.append(i)
                        .append('\t')
                        .append(AuditEncoding.time(r.at()))
                        .append("\tsiao-75\treceipt.recorded\t")
                        .append(referral)
                        .append("\t{\"recipient\": \"siao-75\", \"status\": \"received\"}\t\\\\x")
                        .append(hex.formatHex(leaf))
                        .append("\t\\\\x")
                        .append(hex.formatHex(chain))
                        .append('\n');
                if (i % 50_000 == 0) {
                    copy.copyIn(
                            "COPY audit_entry (seq, at, actor, action, referral_id, detail, leaf_hash,"
                                    + " chain_hash) FROM STDIN",
                            new StringReader(rows.toString()));
                    rows.setLength(0);
                }
            }
        }
    }
}
