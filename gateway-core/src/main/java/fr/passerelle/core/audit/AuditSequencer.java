package fr.passerelle.core.audit;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.crypto.Fingerprints;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Numbers the queued audit entries into the log and signs a tree head over each batch, as a certificate-transparency
 * log's sequencer does (RFC 9162; the Trillian design).
 *
 * <p>Every gateway instance runs one; the instance whose sequencer holds the database's session advisory lock
 * {@link #LOCK} is the leader, the others try again at each tick. The leader's connection is named
 * {@code passerelle-sequencer-<pid>} (the JVM's process id), so that an operator sees in {@code pg_stat_activity}
 * which instance sequences. When the leader dies its connection closes, PostgreSQL releases the lock and another
 * instance takes over at its next tick; a transaction the dead leader left half done is rolled back. The log's
 * primary key (one entry per number) and {@code audit_entry.queue_id}'s uniqueness (one entry per queued row) hold
 * whatever happens.
 *
 * <p>Each tick, the leader reads, in one repeatable-read transaction, the queued rows not yet in the log, in
 * arrival order (at most {@value #BATCH}), numbers them after the last entry, chains them, copies them into
 * {@code audit_entry}, signs a head over the new size and commits. It reads again only the rows of transactions
 * that were still running at its previous batch: every transaction whose id is below the oldest one running has
 * ended, and its rows were seen then. A tick of a tenth of the promise keeps every entry within it, the takeover
 * included: the promise is {@code audit.max_merge_delay_ms} (1 s by default).
 *
 * <p>Thread-safe; {@link #close()} gives the lock back.
 */
public final class AuditSequencer implements AutoCloseable {
    /** The session advisory lock of the leader: "PASSSEQU" folded into a long. */
    public static final long LOCK = 0x5041_5353_5345_5155L;
    /** The prefix of the leader's {@code application_name}, followed by its JVM's process id. */
    public static final String APPLICATION_NAME = "passerelle-sequencer-";
    /** The most queued rows one batch numbers. */
    static final int BATCH = 20_000;

    private static final Logger log = LoggerFactory.getLogger(AuditSequencer.class);

    private final DataSource ds;
    private final Supplier<CertifiedKey> signer;
    private final Clock clock;
    private final Duration tick;
    private final Consumer<Batch> listener;
    private final LogRoot root = new LogRoot();
    private final Object lock = new Object();
    private Connection leader;
    private String floor = "0";
    private Optional<String> latestSigner = Optional.empty();
    /** The fingerprint of the certificate this leadership kept in audit_signer_certificate, once. */
    private Optional<String> kept = Optional.empty();

    private Thread thread;
    private volatile boolean running;

    /**
     * What one batch did, for the metrics.
     *
     * @param entries  how many entries it numbered (0: nothing was queued)
     * @param size     the log's size after it
     * @param maxWait  the longest wait of its entries, from their time to the head's
     * @param signedAt the head's time, when it signed one
     */
    public record Batch(int entries, long size, Duration maxWait, Optional<Instant> signedAt) {}

    /**
     * A sequencer that will run every {@code promise / 10}, at most a second, once {@link #start()}ed.
     *
     * @param signer   the current signing key, read at each batch (a rotation takes effect without a restart)
     * @param promise  the maximum merge delay to keep
     * @param listener told of each batch of the leader, on the sequencer's thread
     */
    public AuditSequencer(
            DataSource ds, Supplier<CertifiedKey> signer, Duration promise, Clock clock, Consumer<Batch> listener) {
        this.ds = Objects.requireNonNull(ds, "ds");
        this.signer = Objects.requireNonNull(signer, "signer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.tick = Duration.ofMillis(Math.min(1000, Math.max(20, promise.toMillis() / 10)));
    }

    /** Starts the sequencer's thread: it tries to lead at once, then at every tick. */
    public synchronized void start() {
        if (thread != null) {
            return;
        }
        running = true;
        thread = new Thread(this::run, "audit-sequencer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether this instance is the leader now. */
    public boolean leading() {
        synchronized (lock) {
            return leader != null;
        }
    }

    /**
     * Numbers everything queued and visible now and signs a head over it, in the caller's thread: the leader's
     * next tick done at once, for a command or a test. When another instance (or process) leads, waits until it
     * has numbered every entry visible now, at most {@code timeout}.
     *
     * @return the log's size afterwards
     * @throws GatewayException {@code store_failed} when the database fails or the leader does not catch up in time
     */
    public long sequenceNow(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            synchronized (lock) {
                try {
                    if (leader == null) {
                        tryToLead();
                    }
                    if (leader != null) {
                        Batch batch;
                        do {
                            batch = batch();
                        } while (batch.entries() == BATCH);
                        return batch.size();
                    }
                    if (pending(ds) == 0) {
                        try (Connection c = ds.getConnection()) {
                            return AuditEntries.size(c);
                        }
                    }
                } catch (SQLException e) {
                    dropLeadership(e);
                    throw new GatewayException(
                            ErrorCode.STORE_FAILED,
                            "cannot number the audit queue (SQLSTATE " + e.getSQLState() + ")",
                            e);
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new GatewayException(
                        ErrorCode.STORE_FAILED,
                        "the audit sequencer of another instance did not number the queue within " + timeout
                                + " (check that instance's log, or stop it and run this again)");
            }
            sleep(Duration.ofMillis(20));
        }
    }

    /**
     * Numbers the queue of the database with a sequencer of its own, now: what a command that runs no gateway
     * (the demo's end, {@code audit verify} after a stop) calls so that everything queued is in the log.
     *
     * @return the log's size afterwards
     * @throws GatewayException as {@link #sequenceNow(Duration)}
     */
    public static long sequenceNow(DataSource ds, CertifiedKey signer, Duration timeout) {
        try (AuditSequencer sequencer =
                new AuditSequencer(ds, () -> signer, AuditLog.maxMergeDelay(), Clock.systemUTC(), batch -> {})) {
            return sequencer.sequenceNow(timeout);
        }
    }

    /**
     * How many queued entries are not in the log yet.
     *
     * @throws GatewayException {@code store_failed} when the database fails
     */
    public static long pending(DataSource ds) {
        try (Connection c = ds.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT count(*) FROM audit_queue q WHERE NOT EXISTS"
                        + " (SELECT 1 FROM audit_entry e WHERE e.queue_id = q.id)");
                ResultSet rs = select.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new GatewayException(
                    ErrorCode.STORE_FAILED, "cannot count the audit queue (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }

    @Override
    public void close() {
        Thread worker;
        synchronized (this) {
            running = false;
            worker = thread;
            thread = null;
        }
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (lock) {
            if (leader != null) {
                try {
                    // The entries of the requests that finished before the stop: numbered now, not by the next leader.
                    while (batch().entries() == BATCH) {
                        log.debug("Numbering the rest of the audit queue before stopping");
                    }
                } catch (SQLException | RuntimeException e) {
                    log.warn(
                            "The audit sequencer's last batch failed; another instance will number it: {}",
                            e.getMessage());
                }
                release(leader);
                leader = null;
            }
        }
    }

    private void run() {
        while (running) {
            synchronized (lock) {
                try {
                    if (leader == null) {
                        tryToLead();
                    }
                    if (leader != null) {
                        batch();
                    }
                } catch (SQLException e) {
                    dropLeadership(e);
                } catch (RuntimeException e) {
                    log.warn("The audit sequencer failed and will try again: {}", e.getMessage());
                    dropLeadership(null);
                }
            }
            sleep(tick);
        }
    }

    private void tryToLead() throws SQLException {
        Connection c = ds.getConnection();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + LOCK + ")")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                c.close();
                return;
            }
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
        try (Statement s = c.createStatement()) {
            s.execute("SET application_name = '" + APPLICATION_NAME
                    + ProcessHandle.current().pid() + "'");
            floor = startingFloor(c);
            latestSigner = TreeHeads.latest(c).map(SignedTreeHead::signerFingerprint);
            kept = Optional.empty();
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        } catch (SQLException | RuntimeException e) {
            release(c);
            throw e;
        }
        leader = c;
        log.info("This instance now numbers the audit log (session advisory lock {})", LOCK);
    }

    /**
     * Where the first batch starts looking: at the oldest transaction of a queued row not in the log yet, or at the
     * oldest transaction still running. Reads the whole queue once, when this instance takes over.
     */
    private static String startingFloor(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT least((SELECT min(q.xid) FROM audit_queue q WHERE NOT EXISTS"
                        + " (SELECT 1 FROM audit_entry e WHERE e.queue_id = q.id)),"
                        + " pg_snapshot_xmin(pg_current_snapshot()))::text")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** One batch on the leader's connection, in one transaction. */
    private Batch batch() throws SQLException {
        Connection c = leader;
        try {
            Batch batch = numberQueued(c);
            c.commit();
            listener.accept(batch);
            return batch;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            kept = Optional.empty(); // what this batch kept is rolled back with it
            throw e;
        }
    }

    private Batch numberQueued(Connection c) throws SQLException {
        String oldestRunning;
        long size;
        byte[] chain;
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_snapshot_xmin(pg_current_snapshot())::text, e.seq,"
                        + " e.chain_hash FROM (SELECT 1) AS one LEFT JOIN LATERAL (SELECT seq, chain_hash FROM"
                        + " audit_entry ORDER BY seq DESC LIMIT 1) AS e ON true")) {
            rs.next();
            oldestRunning = rs.getString(1);
            size = rs.getLong(2);
            chain = rs.wasNull() ? AuditEncoding.chainStart() : rs.getBytes(3);
        }
        List<Long> positions = new ArrayList<>();
        List<byte[]> leaves = new ArrayList<>();
        Instant oldest = null;
        try (PreparedStatement select = c.prepareStatement("SELECT q.id, q.leaf_hash, q.at FROM audit_queue q"
                + " WHERE q.xid >= ?::xid8 AND NOT EXISTS (SELECT 1 FROM audit_entry e WHERE e.queue_id = q.id)"
                + " ORDER BY q.id LIMIT " + BATCH)) {
            select.setString(1, floor);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    positions.add(rs.getLong(1));
                    leaves.add(rs.getBytes(2));
                    Instant at = rs.getObject(3, OffsetDateTime.class).toInstant();
                    oldest = oldest == null || at.isBefore(oldest) ? at : oldest;
                }
            }
        }
        boolean full = positions.size() == BATCH;
        if (positions.isEmpty()) {
            floor = oldestRunning;
            return new Batch(0, size, Duration.ZERO, Optional.empty());
        }
        CertifiedKey key = signer.get();
        String fingerprint = Fingerprints.sha256(key.certificate());
        if (!latestSigner.map(fingerprint::equalsIgnoreCase).orElse(true)) {
            // The first head of a new signer covers the entry that says so, queued and numbered in this batch.
            long position = AuditLog.append(
                    c,
                    "gateway",
                    SignerCertificates.CHANGED,
                    Optional.empty(),
                    SignerCertificates.change(latestSigner.get(), fingerprint));
            positions.add(position);
            leaves.add(queuedLeaf(c, position));
        }
        if (!kept.map(fingerprint::equals).orElse(false)) {
            // Once per leadership and per key (heads signed before V14 kept none).
            SignerCertificates.keep(c, key.certificate());
            kept = Optional.of(fingerprint);
        }
        Long[] seqs = new Long[positions.size()];
        byte[][] chains = new byte[positions.size()][];
        for (int i = 0; i < seqs.length; i++) {
            seqs[i] = size + 1 + i;
            chain = AuditEncoding.chainHash(chain, leaves.get(i));
            chains[i] = chain;
        }
        insert(c, seqs, positions.toArray(new Long[0]), chains);
        long newSize = size + seqs.length;
        Instant signedAt = clock.instant();
        SignedTreeHead head = TreeHeadSigner.sign(new TreeHead(newSize, root.extended(c, size, leaves), signedAt), key);
        if (!TreeHeads.insert(c, head)) {
            throw new GatewayException(
                    ErrorCode.STORE_FAILED,
                    "a tree head of size " + newSize + " exists already: another sequencer is running (run audit"
                            + " verify)");
        }
        latestSigner = Optional.of(fingerprint);
        if (!full) {
            floor = oldestRunning;
        }
        return new Batch(seqs.length, newSize, Duration.between(oldest, signedAt), Optional.of(signedAt));
    }

    private static byte[] queuedLeaf(Connection c, long position) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT leaf_hash FROM audit_queue WHERE id = ?")) {
            select.setLong(1, position);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getBytes(1);
            }
        }
    }

    private static void insert(Connection c, Long[] seqs, Long[] positions, byte[][] chains) throws SQLException {
        Array seqArray = c.createArrayOf("bigint", seqs);
        Array positionArray = c.createArrayOf("bigint", positions);
        Array chainArray = c.createArrayOf("bytea", chains);
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO audit_entry (seq, at, actor, action,"
                + " referral_id, detail, leaf_hash, chain_hash, queue_id) SELECT v.seq, q.at, q.actor, q.action,"
                + " q.referral_id, q.detail, q.leaf_hash, v.chain, q.id FROM unnest(?::bigint[], ?::bigint[],"
                + " ?::bytea[]) AS v (seq, position, chain) JOIN audit_queue q ON q.id = v.position")) {
            insert.setArray(1, seqArray);
            insert.setArray(2, positionArray);
            insert.setArray(3, chainArray);
            int inserted = insert.executeUpdate();
            if (inserted != seqs.length) {
                throw new GatewayException(
                        ErrorCode.STORE_FAILED,
                        "the audit sequencer numbered " + inserted + " of " + seqs.length + " queued entries");
            }
        } finally {
            seqArray.free();
            positionArray.free();
            chainArray.free();
        }
    }

    private void dropLeadership(SQLException cause) {
        if (leader != null) {
            log.warn(
                    "This instance stops numbering the audit log{}; it will try to take over again",
                    cause == null ? "" : " (SQLSTATE " + cause.getSQLState() + ")");
            release(leader);
            leader = null;
        } else if (cause != null) {
            log.debug("The audit sequencer cannot reach the database (SQLSTATE {})", cause.getSQLState());
        }
    }

    /**
     * Gives the lock back and the connection to the pool: a pooled connection must not keep the session lock (no
     * instance could lead again). When the connection is broken, PostgreSQL has released the lock already.
     */
    private static void release(Connection c) {
        try (Statement s = c.createStatement()) {
            if (!c.getAutoCommit()) {
                c.rollback();
                c.setAutoCommit(true);
            }
            s.execute("SELECT pg_advisory_unlock_all()");
            s.execute("RESET application_name");
        } catch (SQLException e) {
            log.debug("The audit sequencer's connection was already gone (SQLSTATE {})", e.getSQLState());
        }
        closeQuietly(c);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            log.debug("Closing the audit sequencer's connection failed (SQLSTATE {})", e.getSQLState());
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
