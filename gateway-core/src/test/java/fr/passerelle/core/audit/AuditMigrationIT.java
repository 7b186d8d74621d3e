package fr.passerelle.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** Migration 4 on a version 3 database holding audit entries, in a schema of its own. */
class AuditMigrationIT {
    private static final String SCHEMA = "v3_audit";

    @AfterEach
    void dropSchema() throws SQLException {
        try (Connection c = TestDatabase.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    @Test
    void numbersExistingEntriesWithoutGapsAndHashesThemAsTheJavaEncodingDoes() throws SQLException {
        flyway("3").migrate();
        DataSource ds = schemaDataSource();
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO audit_entry (seq, at, actor, action, referral_id, detail) VALUES"
                    + " (3, '2026-11-28T10:00:00.123456Z', 'police-75-brp', 'referral.submitted',"
                    + " '0e8b1c2a-5a4f-4f7e-9d7c-3b2a1f0e9d8c', '{\"urgency\": \"urgent\", \"department\": \"2A\","
                    + " \"type\": \"shelter.request\", \"Z\": \"1\"}'),"
                    + " (7, '2026-11-28T10:00:01Z', 'gateway', 'referral.routed', NULL, '{}'),"
                    + " (8, '2026-11-28T11:00:00.5Z', 'admin', 'keys.rotated', NULL,"
                    + " '{\"keyId\": \"mk-20261128-abcdef\", \"rewrapped\": \"12\"}')");
        }

        flyway("4").migrate();
        // Then every later version: the entries numbered by version 4 stay as they are beside the queue (17).
        flyway("latest").migrate();

        List<AuditRecord> records = AuditLog.list(ds, Optional.empty());
        assertThat(records).extracting(AuditRecord::seq).containsExactly(1L, 2L, 3L);
        byte[] chain = AuditEncoding.chainStart();
        List<byte[]> stored = storedHashes(ds);
        for (int i = 0; i < records.size(); i++) {
            byte[] leaf = AuditEncoding.leafHash(records.get(i));
            chain = AuditEncoding.chainHash(chain, leaf);
            assertThat(stored.get(2 * i)).as("leaf hash of entry " + (i + 1)).isEqualTo(leaf);
            assertThat(stored.get(2 * i + 1))
                    .as("chain hash of entry " + (i + 1))
                    .isEqualTo(chain);
        }
        assertThat(records).allMatch(r -> r.queued().isEmpty());
        CertifiedKey signer = AuditFixtures.gatewaySigner();
        try (Connection c = ds.getConnection()) {
            assertThat(AuditLog.append(c, "gateway", "referral.routed", Optional.empty(), Map.of()))
                    .isEqualTo(1);
        }
        assertThat(AuditSequencer.sequenceNow(ds, signer, Duration.ofSeconds(30)))
                .isEqualTo(4);
        assertThat(AuditVerifier.verify(ds, AuditFixtures.gatewaySigner().certificate())
                        .summary())
                .isEqualTo("audit log verified: 4 entries, 1 signed tree head");
    }

    private static List<byte[]> storedHashes(DataSource ds) throws SQLException {
        List<byte[]> hashes = new ArrayList<>();
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT leaf_hash, chain_hash FROM audit_entry ORDER BY seq");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                hashes.add(rs.getBytes(1));
                hashes.add(rs.getBytes(2));
            }
        }
        return hashes;
    }

    private static DataSource schemaDataSource() throws SQLException {
        PGSimpleDataSource ds = TestDatabase.independentDataSource();
        ds.setCurrentSchema(SCHEMA);
        return ds;
    }

    private static Flyway flyway(String target) {
        return Flyway.configure()
                .dataSource(TestDatabase.dataSource())
                .schemas(SCHEMA)
                .locations("classpath:db/migration")
                .target(target)
                .load();
    }
}
