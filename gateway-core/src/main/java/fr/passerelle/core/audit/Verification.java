package fr.passerelle.core.audit;

import fr.passerelle.core.audit.AuditVerifier.Verdict;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One verification pass: takes the signed heads first, then the entries in the order they are stored, one by one,
 * and stops at the first problem. Keeps one entry of look-ahead, to tell two swapped entries from a missing one,
 * and the Merkle frontier, never the whole log. Not thread-safe.
 */
final class Verification {
    private record Head(SignedTreeHead signed, String label, boolean witnessed) {}

    private final List<Head> heads;
    private final HeadSigners signers;
    private final MerkleTree.Builder tree = new MerkleTree.Builder();
    private int nextHead;
    private int headsChecked;
    private SignedTreeHead lastHead;
    private long expected = 1;
    private byte[] previousChain = AuditEncoding.chainStart();
    private byte[] chainBeforePrevious;
    private StoredEntry held;
    private String problem;

    /** @param kept the certificates kept with the heads, by fingerprint */
    Verification(
            List<SignedTreeHead> logHeads,
            Optional<SignedTreeHead> witnessed,
            SignerTrust trust,
            Map<String, X509Certificate> kept) {
        List<Head> all = new ArrayList<>();
        logHeads.forEach(h -> all.add(new Head(h, "tree head " + h.head().size(), false)));
        witnessed.ifPresent(
                h -> all.add(new Head(h, "witnessed tree head " + h.head().size(), true)));
        all.sort(Comparator.comparingLong((Head h) -> h.signed().head().size()));
        this.heads = all;
        this.signers = new HeadSigners(trust, kept);
        checkHeadsAtCurrentSize();
    }

    /** Takes the next entry as stored; false once a problem was found. */
    boolean accept(StoredEntry entry) {
        if (problem != null) {
            return false;
        }
        if (held != null) {
            check(held, Optional.of(entry));
        }
        held = entry;
        return problem == null;
    }

    /** Stops here: the verdict names the problem found so far, else {@code problem}. */
    Verdict stop(String problem) {
        fail(problem);
        return new Verdict(false, tree.size(), headsChecked, Optional.of(this.problem));
    }

    Verdict finish() {
        if (problem == null && held != null) {
            check(held, Optional.empty());
            held = null;
        }
        if (problem == null && nextHead < heads.size()) {
            Head head = heads.get(nextHead);
            fail(head.label() + ": covers " + head.signed().head().size() + " entries but the log holds only "
                    + tree.size() + " (entries were removed from its end)");
        }
        return new Verdict(problem == null, tree.size(), headsChecked, Optional.ofNullable(problem));
    }

    private void check(StoredEntry entry, Optional<StoredEntry> next) {
        long seq = entry.record().seq();
        if (seq > expected) {
            if (next.isPresent() && next.get().record().seq() == expected) {
                fail("entries " + expected + " and " + seq + " are out of order");
            } else {
                fail("entry " + expected + " is missing (seq jumps from " + (expected - 1) + " to " + seq + ")");
            }
            return;
        }
        if (seq < expected) {
            fail(
                    seq == expected - 1
                            ? "entry " + seq + " appears twice"
                            : "entries " + seq + " and " + (expected - 1) + " are out of order");
            return;
        }
        byte[] stored = entry.leafHash();
        if (!MessageDigest.isEqual(AuditEncoding.leafHash(entry.record()), stored)) {
            fail(leafProblem(entry, next));
            return;
        }
        if (entry.queueProblem().isPresent()) {
            fail("entry " + seq + ": " + entry.queueProblem().get());
            return;
        }
        if (!MessageDigest.isEqual(AuditEncoding.chainHash(previousChain, stored), entry.chainHash())) {
            if (entry.record().queued().isPresent()) {
                // A queued entry's leaf holds no number: the chain tells which entries moved.
                if (next.isPresent()
                        && MessageDigest.isEqual(
                                AuditEncoding.chainHash(
                                        previousChain, next.get().leafHash()),
                                next.get().chainHash())) {
                    fail("entries " + seq + " and " + (seq + 1) + " are out of order");
                    return;
                }
                if (chainBeforePrevious != null
                        && MessageDigest.isEqual(
                                AuditEncoding.chainHash(chainBeforePrevious, stored), entry.chainHash())) {
                    fail("entry " + (seq - 1) + " was inserted (entry " + seq + " was chained to entry " + (seq - 2)
                            + ")");
                    return;
                }
            }
            fail("entry " + seq + ": its chain hash does not follow from "
                    + (seq == 1 ? "the start of the log" : "entry " + (seq - 1)) + " (entry " + seq
                    + " or an earlier one was rewritten)");
            return;
        }
        Optional<String> late = entry.record()
                .queued()
                .flatMap(queued -> lateness(seq, entry.record().at(), queued));
        if (late.isPresent()) {
            fail(late.get());
            return;
        }
        tree.add(stored);
        chainBeforePrevious = previousChain;
        previousChain = entry.chainHash();
        expected++;
        checkHeadsAtCurrentSize();
    }

    /**
     * Whether a queued entry waited longer than its promise for the first head of the log that covers it (the
     * sequencer signs one in the transaction that numbers it).
     */
    private Optional<String> lateness(long seq, Instant at, AuditRecord.Queued queued) {
        for (int i = nextHead; i < heads.size(); i++) {
            Head head = heads.get(i);
            if (!head.witnessed() && head.signed().head().size() >= seq) {
                Duration waited = Duration.between(at, head.signed().head().signedAt());
                return waited.compareTo(queued.maxMergeDelay()) > 0
                        ? Optional.of("entry " + seq + " waited " + waited.toMillis() + " ms for tree head "
                                + head.signed().head().size() + " (promise: "
                                + queued.maxMergeDelay().toMillis()
                                + " ms)")
                        : Optional.empty();
            }
        }
        return Optional.of("entry " + seq + " is not covered by a signed tree head (the sequencer signs one over"
                + " each batch it numbers)");
    }

    /** Why an entry's fields do not give its stored leaf hash: renumbered entries still hash as their old seq. */
    private static String leafProblem(StoredEntry entry, Optional<StoredEntry> next) {
        long seq = entry.record().seq();
        if (writtenAs(entry, seq + 1)) {
            boolean swapped = next.isPresent() && next.get().record().seq() == seq + 1 && writtenAs(next.get(), seq);
            return swapped
                    ? "entries " + seq + " and " + (seq + 1) + " are out of order"
                    : "entry " + seq + " is missing (the entries after it were renumbered: entry " + seq
                            + " was written as entry " + (seq + 1) + ")";
        }
        if (seq > 1 && writtenAs(entry, seq - 1)) {
            return "entry " + (seq - 1) + " was inserted (entry " + seq + " was written as entry " + (seq - 1) + ")";
        }
        return "entry " + seq + ": its fields do not match its leaf hash (changed after it was written)";
    }

    private static boolean writtenAs(StoredEntry entry, long seq) {
        AuditRecord r = entry.record();
        AuditRecord renumbered = new AuditRecord(seq, r.at(), r.actor(), r.action(), r.referralId(), r.detail());
        return MessageDigest.isEqual(AuditEncoding.leafHash(renumbered), entry.leafHash());
    }

    private void checkHeadsAtCurrentSize() {
        while (problem == null
                && nextHead < heads.size()
                && heads.get(nextHead).signed().head().size() <= tree.size()) {
            checkHead(heads.get(nextHead++));
        }
    }

    private void checkHead(Head head) {
        SignedTreeHead signed = head.signed();
        Optional<String> unsigned = signers.problem(signed, head.label());
        if (unsigned.isPresent()) {
            fail(unsigned.get());
            return;
        }
        if (!head.witnessed()) {
            if (lastHead != null
                    && signed.head().signedAt().isBefore(lastHead.head().signedAt())) {
                fail(head.label() + ": signed at " + signed.head().signedAt() + ", before tree head "
                        + lastHead.head().size() + " (signed at "
                        + lastHead.head().signedAt()
                        + "): heads only grow");
                return;
            }
            lastHead = signed;
        }
        if (!MessageDigest.isEqual(tree.root(), signed.head().rootHash())) {
            fail(head.label() + ": root does not match the entries"
                    + (head.witnessed() ? " (the log was rewritten after this head was witnessed)" : ""));
            return;
        }
        if (!head.witnessed()) {
            headsChecked++;
        }
    }

    private void fail(String message) {
        if (problem == null) {
            problem = message;
        }
    }
}
