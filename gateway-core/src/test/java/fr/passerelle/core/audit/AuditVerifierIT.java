package fr.passerelle.core.audit;

import static fr.passerelle.core.audit.AuditFixtures.tamper;
import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.crypto.Fingerprints;
import fr.passerelle.core.testkit.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditVerifierIT {
    private final CertifiedKey signer = AuditFixtures.gatewaySigner();
    private final DataSource ds = TestDatabase.dataSource();

    @TempDir
    Path dir;

    @BeforeEach
    void logOfSixtyEntriesWithTwoSignedHeads() throws SQLException {
        TestDatabase.reset();
        AuditFixtures.appendEntries(30);
        AuditFixtures.appendEntries(30);
    }

    @Test
    void passesAnUntouchedLog() {
        assertThat(AuditVerifier.verify(ds, signer.certificate()))
                .isEqualTo(new AuditVerifier.Verdict(true, 60, 2, Optional.empty()));
    }

    @Test
    void namesAnEntryWhoseFieldWasChanged() throws SQLException {
        tamper("UPDATE audit_entry SET actor = 'siao-76' WHERE seq = 42");

        assertProblem("entry 42: its fields do not match its leaf hash (changed after it was written)");
    }

    @Test
    void namesAQueuedRowChangedAfterItsEntryWasNumbered() throws SQLException {
        tamper("UPDATE audit_queue SET actor = 'siao-76' WHERE id = 42");

        assertProblem("entry 42: its queued row 42 holds other fields (the queue was changed after the entry was"
                + " numbered)");
    }

    @Test
    void namesAnEntryWhoseLeafHashIsNotTheOneQueued() throws SQLException {
        tamper("UPDATE audit_queue SET leaf_hash = sha256('x') WHERE id = 42");

        assertProblem("entry 42: its leaf hash is not the one queued (changed after it was queued)");
    }

    @Test
    void namesADeletedEntry() throws SQLException {
        tamper("DELETE FROM audit_entry WHERE seq = 42");

        assertProblem("entry 42 is missing (seq jumps from 41 to 43)");
    }

    @Test
    void namesTwoSwappedEntries() throws SQLException {
        tamper(
                "UPDATE audit_entry SET seq = CASE seq WHEN 41 THEN 1000042 ELSE 1000041 END WHERE seq IN (41, 42)",
                "UPDATE audit_entry SET seq = seq - 1000000 WHERE seq > 1000000");

        assertProblem("entries 41 and 42 are out of order");
    }

    @Test
    void namesADeletedEntryWhoseSuccessorsWereRenumbered() throws SQLException {
        tamper(
                "DELETE FROM audit_entry WHERE seq = 42",
                "UPDATE audit_entry SET seq = seq + 999999 WHERE seq > 42",
                "UPDATE audit_entry SET seq = seq - 1000000 WHERE seq > 1000000");

        // A queued entry's leaf holds no number: the chain breaks where the entry went missing.
        assertProblem("entry 42: its chain hash does not follow from entry 41 (entry 42 or an earlier one was"
                + " rewritten)");
    }

    @Test
    void namesAnEntryInsertedWithWellComputedHashes() throws SQLException {
        tamper(
                "UPDATE audit_entry SET seq = seq + 1000001 WHERE seq >= 42",
                "UPDATE audit_entry SET seq = seq - 1000000 WHERE seq > 1000000");
        AuditRecord forged = new AuditRecord(
                42,
                Instant.parse("2026-11-28T10:00:00Z"),
                "police-75-brp",
                "receipt.recorded",
                Optional.empty(),
                Map.of("status", "completed"));
        byte[] leaf = AuditEncoding.leafHash(forged);
        byte[] chain = AuditEncoding.chainHash(storedChain(41), leaf);
        tamper("INSERT INTO audit_entry (seq, at, actor, action, detail, leaf_hash, chain_hash) VALUES (42,"
                + " '2026-11-28T10:00:00Z', 'police-75-brp', 'receipt.recorded', '{\"status\": \"completed\"}',"
                + " '\\x" + hex(leaf) + "', '\\x" + hex(chain) + "')");

        assertProblem("entry 42 was inserted (entry 43 was chained to entry 41)");
    }

    @Test
    void namesEntriesRemovedFromTheEndOfASignedTree() throws SQLException {
        tamper("DELETE FROM audit_entry WHERE seq >= 59");

        assertProblem(
                "tree head 60: covers 60 entries but the log holds only 58 (entries were removed from its" + " end)");
    }

    @Test
    void namesTheHeadWhenAFieldChangeWasHiddenByRecomputingEveryHash() throws SQLException {
        rewriteEntryWithAllHashes(42);

        assertProblem("tree head 60: root does not match the entries");
    }

    @Test
    void namesAHeadReSignedWithAForeignKeyWhoseCertificateIsNotKept() throws SQLException {
        SignedTreeHead head = TreeHeads.latest(ds).orElseThrow();
        SignedTreeHead forged = TreeHeadSigner.sign(head.head(), AuditFixtures.foreignSigner());
        tamper("UPDATE audit_tree_head SET signature = '\\x" + hex(forged.signature()) + "', signer_fingerprint = '"
                + forged.signerFingerprint() + "' WHERE size = 60");

        assertProblem("tree head 60: signed by certificate " + forged.signerFingerprint() + ", which is not kept with"
                + " the signed heads (expected: the signing certificate " + Fingerprints.sha256(signer.certificate())
                + " or one kept in audit_signer_certificate or in the export)");
    }

    @Test
    void namesAHeadWhoseSignatureWasChangedUnderTheGatewayCertificate() throws SQLException {
        SignedTreeHead head = TreeHeads.latest(ds).orElseThrow();
        SignedTreeHead forged = TreeHeadSigner.sign(head.head(), AuditFixtures.foreignSigner());
        tamper("UPDATE audit_tree_head SET signature = '\\x" + hex(forged.signature()) + "' WHERE size = 60");

        assertProblem("tree head 60: signature does not verify with certificate "
                + Fingerprints.sha256(signer.certificate()));
    }

    @Test
    void exportVerifiesOfflineWithOnlyTheCertificate() {
        Path export = dir.resolve("audit.jsonl");

        long written = AuditVerifier.export(ds, export);
        AuditVerifier.Verdict verdict = AuditVerifier.verifyFile(export, signer.certificate());

        assertThat(written).isEqualTo(60);
        assertThat(verdict.summary()).isEqualTo("audit log verified: 60 entries, 2 signed tree heads");
    }

    @Test
    void namesAChangedLineOfAnExport() throws IOException {
        Path export = exportWithLines(
                lines -> lines.set(41, lines.get(41).replace("\"actor\":\"siao-75\"", "\"actor\":\"siao-76\"")));

        assertThat(AuditVerifier.verifyFile(export, signer.certificate()).firstProblem())
                .contains("entry 42: its fields do not match its leaf hash (changed after it was written)");
    }

    @Test
    void namesSwappedLinesOfAnExport() throws IOException {
        Path export = exportWithLines(lines -> lines.set(40, lines.set(41, lines.get(40))));

        assertThat(AuditVerifier.verifyFile(export, signer.certificate()).firstProblem())
                .contains("entries 41 and 42 are out of order");
    }

    @Test
    void namesALineOfAnExportThatIsNotJson() throws IOException {
        Path export = exportWithLines(lines -> lines.set(9, "{\"kind\":\"entry\",\"seq\":"));

        assertThat(AuditVerifier.verifyFile(export, signer.certificate()).firstProblem())
                .contains("line 10: entry is not JSON (expected: one JSON object per line)");
    }

    @Test
    void refusesAnExportCheckedWithAnotherCertificateAndItsCa() {
        Path export = dir.resolve("audit.jsonl");
        AuditVerifier.export(ds, export);
        CertifiedKey foreign = AuditFixtures.foreignSigner();

        assertThat(AuditVerifier.verifyFile(export, SignerTrust.ofChain(foreign.chain()))
                        .firstProblem())
                .contains("tree head 30: signer certificate " + Fingerprints.sha256(signer.certificate())
                        + " does not chain to a trusted CA (expected: a certificate issued by "
                        + foreign.chain().get(1).getSubjectX500Principal().getName() + " "
                        + Fingerprints.sha256(foreign.chain().get(1)) + ")");
    }

    @Test
    void acceptsAWitnessedHeadThatTheLogExtends() throws SQLException {
        SignedTreeHead witnessed =
                AuditJson.parseTreeHead(AuditJson.treeHead(TreeHeads.all(ds).get(0)));
        AuditFixtures.appendEntries(5);
        Path export = dir.resolve("audit.jsonl");
        AuditVerifier.export(ds, export);

        assertThat(AuditVerifier.againstWitness(ds, signer.certificate(), witnessed)
                        .summary())
                .isEqualTo("audit log verified: 65 entries, 3 signed tree heads");
        assertThat(AuditVerifier.againstWitness(export, signer.certificate(), witnessed)
                        .ok())
                .isTrue();
    }

    @Test
    void catchesAHistoryRewrittenAndReSignedWithTheGatewayKeyAgainstAWitnessedHead() throws SQLException {
        SignedTreeHead witnessed =
                AuditJson.parseTreeHead(AuditJson.treeHead(TreeHeads.all(ds).get(0)));
        rewriteEntryWithAllHashes(10);
        tamper("DELETE FROM audit_tree_head");
        resign(60);
        Path export = dir.resolve("audit.jsonl");
        AuditVerifier.export(ds, export);
        String expected = "witnessed tree head 30: root does not match the entries (the log was rewritten after"
                + " this head was witnessed)";

        assertThat(AuditVerifier.verify(ds, signer.certificate()).ok()).isTrue();
        assertThat(AuditVerifier.againstWitness(ds, signer.certificate(), witnessed)
                        .firstProblem())
                .contains(expected);
        assertThat(AuditVerifier.againstWitness(export, signer.certificate(), witnessed)
                        .firstProblem())
                .contains(expected);
    }

    private Path exportWithLines(java.util.function.Consumer<List<String>> change) throws IOException {
        Path export = dir.resolve("audit.jsonl");
        AuditVerifier.export(ds, export);
        List<String> lines = new ArrayList<>(Files.readAllLines(export));
        change.accept(lines);
        Files.write(export, lines, StandardCharsets.UTF_8);
        return export;
    }

    private void assertProblem(String expected) {
        AuditVerifier.Verdict verdict = AuditVerifier.verify(ds, signer.certificate());

        assertThat(verdict.ok()).isFalse();
        assertThat(verdict.firstProblem()).contains(expected);
        assertThat(verdict.summary()).isEqualTo("audit log does NOT verify: " + expected);
    }

    /** What an attacker with the database and the gateway's key does after rewriting: sign a head over it. */
    private void resign(long size) throws SQLException {
        try (Connection c = ds.getConnection()) {
            byte[] root = MerkleTree.root(AuditEntries.leafHashes(c, size));
            c.setAutoCommit(false);
            assertThat(TreeHeads.insert(c, TreeHeadSigner.sign(new TreeHead(size, root, Instant.now()), signer)))
                    .isTrue();
            c.commit();
        }
    }

    /** What an attacker with the database but not the key does: change an entry, recompute every hash. */
    private void rewriteEntryWithAllHashes(long seq) throws SQLException {
        tamper(
                "UPDATE audit_entry SET actor = 'siao-76' WHERE seq = " + seq,
                "UPDATE audit_queue SET actor = 'siao-76' WHERE id = (SELECT queue_id FROM audit_entry WHERE seq = "
                        + seq + ")");
        byte[] chain = AuditEncoding.chainStart();
        List<String> updates = new ArrayList<>();
        for (AuditRecord record : AuditLog.list(ds, Optional.empty())) {
            byte[] leaf = AuditEncoding.leafHash(record);
            chain = AuditEncoding.chainHash(chain, leaf);
            updates.add("UPDATE audit_entry SET leaf_hash = '\\x" + hex(leaf) + "', chain_hash = '\\x" + hex(chain)
                    + "' WHERE seq = " + record.seq());
            updates.add("UPDATE audit_queue SET leaf_hash = '\\x" + hex(leaf) + "' WHERE id = "
                    + record.queued().orElseThrow().position());
        }
        tamper(updates.toArray(String[]::new));
    }

    private byte[] storedChain(long seq) throws SQLException {
        try (Connection c = ds.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT chain_hash FROM audit_entry WHERE seq = ?")) {
            s.setLong(1, seq);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
