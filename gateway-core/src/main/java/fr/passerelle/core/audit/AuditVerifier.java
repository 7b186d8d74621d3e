package fr.passerelle.core.audit;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.crypto.Fingerprints;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Checks that the audit log is what the gateway wrote: from the database, or offline from an export with nothing
 * but the gateway's signing certificate and the CA that issued it.
 *
 * <p>A verification reads the entries in order, one at a time (never the whole log in memory), and checks that
 * their numbers run 1..n without gap, that each entry's fields give its stored leaf hash (so it was not changed
 * after it was written) and that each chain hash follows from the previous one; at each signed tree head's size it
 * checks the head's signature, with the certificate that signed it ({@link SignerTrust}: the current one, or one
 * kept with the heads that chains to a trusted CA), that the Merkle root over the entries so far is the head's root,
 * and that heads signed later are larger. It stops at the first problem and names it: {@code entry 42: its fields do not match
 * its leaf hash (changed after it was written)}, {@code entry 42 is missing (seq jumps from 41 to 43)},
 * {@code entries 41 and 42 are out of order}, {@code entry 42 was inserted (…)}, {@code tree head 100: signature
 * does not verify with certificate <fp>}, {@code tree head 100: root does not match the entries}.
 *
 * <p>What it cannot see: entries appended after the latest signed head and then changed or removed, by someone
 * who also rewrote the hashes. Signing heads often, and giving them to witnesses ({@link #againstWitness}), closes
 * that window. Stateless and thread-safe.
 */
public final class AuditVerifier {
    private AuditVerifier() {}

    /**
     * The outcome of a verification.
     *
     * @param ok           whether every check held
     * @param entries      the entries verified (on a failure, those before the problem)
     * @param treeHeads    the log's signed heads verified (a witnessed head is not counted)
     * @param firstProblem what does not hold, naming the entry or head; present exactly when not ok
     */
    public record Verdict(boolean ok, long entries, int treeHeads, Optional<String> firstProblem) {
        public Verdict {
            Objects.requireNonNull(firstProblem, "firstProblem");
            if (ok == firstProblem.isPresent()) {
                throw new IllegalArgumentException("a verdict has a problem exactly when it is not ok");
            }
        }

        /** One line for a person: {@code audit log verified: 1234 entries, 5 signed tree heads} or the problem. */
        public String summary() {
            return ok
                    ? "audit log verified: " + entries + (entries == 1 ? " entry, " : " entries, ") + treeHeads
                            + (treeHeads == 1 ? " signed tree head" : " signed tree heads")
                    : "audit log does NOT verify: " + firstProblem.get();
        }
    }

    /**
     * Verifies the log in the database against the gateway's signing certificate alone, in one consistent snapshot:
     * a head signed by another certificate fails, even one kept with the heads (see {@link SignerTrust}).
     *
     * @throws GatewayException {@code store_failed} when the database cannot be read
     */
    public static Verdict verify(DataSource ds, X509Certificate gatewaySigner) {
        return verify(ds, SignerTrust.only(gatewaySigner));
    }

    /**
     * Verifies the log in the database, each head with the certificate that signed it, in one consistent snapshot.
     *
     * @throws GatewayException {@code store_failed} when the database cannot be read
     */
    public static Verdict verify(DataSource ds, SignerTrust trust) {
        return verifyDatabase(ds, trust, Optional.empty());
    }

    /**
     * As {@link #verify(DataSource, X509Certificate)}, and checks a tree head that a witness received earlier: it
     * must be signed by the gateway, and the log's first {@code witnessed.size} entries must give its root. So the
     * log is either the one the witness saw or a continuation of it (recomputing the root proves what a
     * consistency proof would, with the entries at hand).
     *
     * @throws GatewayException {@code store_failed} when the database cannot be read
     */
    public static Verdict againstWitness(DataSource ds, X509Certificate gatewaySigner, SignedTreeHead witnessed) {
        return againstWitness(ds, SignerTrust.only(gatewaySigner), witnessed);
    }

    /** As {@link #againstWitness(DataSource, X509Certificate, SignedTreeHead)}, trusting the signers of {@code trust}. */
    public static Verdict againstWitness(DataSource ds, SignerTrust trust, SignedTreeHead witnessed) {
        return verifyDatabase(ds, trust, Optional.of(witnessed));
    }

    /**
     * Writes the whole log, in one consistent snapshot, as JSON Lines: one line per entry in seq order, then one
     * line per certificate kept with the heads, then one line per signed tree head by size (see {@link AuditJson}).
     * Replaces {@code out}.
     *
     * @return the number of entries written
     * @throws GatewayException {@code store_failed} when the database cannot be read or the file written
     */
    public static long export(DataSource ds, Path out) {
        try (Connection c = ds.getConnection();
                BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                List<SignedTreeHead> heads = TreeHeads.all(c);
                Collection<X509Certificate> signers = SignerCertificates.all(c).values();
                long[] count = {0};
                AuditEntries.forEach(c, entry -> {
                    write(writer, AuditJson.entry(entry), out);
                    count[0]++;
                    return true;
                });
                for (X509Certificate signer : signers) {
                    write(writer, AuditJson.signerCertificate(signer), out);
                }
                for (SignedTreeHead head : heads) {
                    write(writer, AuditJson.treeHead(head), out);
                }
                return count[0];
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new GatewayException(
                    ErrorCode.STORE_FAILED,
                    "cannot read the audit log to export it (SQLSTATE " + e.getSQLState() + ")",
                    e);
        } catch (IOException e) {
            throw new GatewayException(ErrorCode.STORE_FAILED, "cannot write the audit export " + out, e);
        }
    }

    /**
     * Verifies an export offline, with no database, against the gateway's signing certificate. A line that is
     * neither an entry nor a tree head is a problem named by its line number.
     *
     * @throws GatewayException {@code store_failed} when the file cannot be read
     */
    public static Verdict verifyFile(Path file, X509Certificate gatewaySigner) {
        return verifyFile(file, SignerTrust.only(gatewaySigner));
    }

    /**
     * Verifies an export offline, each head with the certificate that signed it (its {@code signerCertificate}
     * lines), with no database.
     *
     * @throws GatewayException {@code store_failed} when the file cannot be read
     */
    public static Verdict verifyFile(Path file, SignerTrust trust) {
        return verifyExport(file, trust, Optional.empty());
    }

    /** As {@link #againstWitness(DataSource, X509Certificate, SignedTreeHead)}, on an export. */
    public static Verdict againstWitness(Path file, X509Certificate gatewaySigner, SignedTreeHead witnessed) {
        return againstWitness(file, SignerTrust.only(gatewaySigner), witnessed);
    }

    /** As {@link #againstWitness(DataSource, SignerTrust, SignedTreeHead)}, on an export. */
    public static Verdict againstWitness(Path file, SignerTrust trust, SignedTreeHead witnessed) {
        return verifyExport(file, trust, Optional.of(witnessed));
    }

    private static Verdict verifyDatabase(DataSource ds, SignerTrust trust, Optional<SignedTreeHead> witness) {
        Objects.requireNonNull(trust, "trust");
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            try {
                Verification verification =
                        new Verification(TreeHeads.all(c), witness, trust, SignerCertificates.all(c));
                AuditEntries.forEach(c, verification::accept);
                Verdict verdict = verification.finish();
                Optional<String> waiting = verdict.ok() ? overdue(c) : Optional.empty();
                if (waiting.isPresent()) {
                    return new Verdict(false, verdict.entries(), verdict.treeHeads(), waiting);
                }
                return verdict;
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new GatewayException(
                    ErrorCode.STORE_FAILED,
                    "cannot read the audit log to verify it (SQLSTATE " + e.getSQLState() + ")",
                    e);
        }
    }

    /**
     * The first queued entry that is not in the log though its promise has passed: removed from the log's end, or
     * no sequencer has run since (every instance stopped).
     */
    private static Optional<String> overdue(Connection c) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT q.id, q.at, q.max_merge_delay_ms FROM audit_queue q"
                        + " WHERE NOT EXISTS (SELECT 1 FROM audit_entry e WHERE e.queue_id = q.id) AND q.at < now() -"
                        + " q.max_merge_delay_ms * interval '1 millisecond' ORDER BY q.id LIMIT 1");
                ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            return Optional.of("queued entry " + rs.getLong(1) + " (appended at "
                    + AuditEncoding.time(rs.getObject(2, OffsetDateTime.class).toInstant())
                    + ") is not in the log though its promise of " + rs.getInt(3) + " ms has passed (it was removed"
                    + " from the log, or no gateway has run its sequencer since: start one, then verify again)");
        }
    }

    private static Verdict verifyExport(Path file, SignerTrust trust, Optional<SignedTreeHead> witness) {
        Objects.requireNonNull(trust, "trust");
        try {
            List<SignedTreeHead> heads = new ArrayList<>();
            Map<String, X509Certificate> signers = new HashMap<>();
            Optional<String> problem = readHeads(file, heads, signers);
            if (problem.isPresent()) {
                return new Verdict(false, 0, 0, problem);
            }
            Verification verification = new Verification(heads, witness, trust, signers);
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                long number = 0;
                while ((line = reader.readLine()) != null) {
                    number++;
                    if (!AuditJson.ENTRY.equals(AuditJson.kind(line))) {
                        continue;
                    }
                    StoredEntry entry;
                    try {
                        JsonNode node = AuditJson.parse(line, "entry");
                        entry = AuditJson.parseEntry(node);
                    } catch (GatewayException e) {
                        return verification.stop("line " + number + ": " + e.getMessage());
                    }
                    if (!verification.accept(entry)) {
                        break;
                    }
                }
            }
            return verification.finish();
        } catch (IOException e) {
            throw new GatewayException(ErrorCode.STORE_FAILED, "cannot read the audit export " + file, e);
        }
    }

    /** Reads the heads and the signer certificates of an export; the problem of the first line that is neither. */
    private static Optional<String> readHeads(
            Path file, List<SignedTreeHead> heads, Map<String, X509Certificate> signers) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                String kind = AuditJson.kind(line);
                try {
                    if (kind.equals(AuditJson.TREE_HEAD)) {
                        heads.add(AuditJson.parseTreeHead(line));
                    } else if (kind.equals(AuditJson.SIGNER_CERTIFICATE)) {
                        X509Certificate signer = AuditJson.parseSignerCertificate(line);
                        signers.put(Fingerprints.sha256(signer), signer);
                    } else if (!kind.equals(AuditJson.ENTRY)) {
                        return Optional.of("line " + number + ": neither an audit entry, a tree head nor a signer"
                                + " certificate (expected: a JSON object with kind 'entry', 'treeHead' or"
                                + " 'signerCertificate')");
                    }
                } catch (GatewayException e) {
                    return Optional.of("line " + number + ": " + e.getMessage());
                }
            }
        }
        return Optional.empty();
    }

    private static void write(BufferedWriter writer, String line, Path out) {
        try {
            writer.write(line);
            writer.write('\n');
        } catch (IOException e) {
            throw new GatewayException(ErrorCode.STORE_FAILED, "cannot write the audit export " + out, e);
        }
    }
}
