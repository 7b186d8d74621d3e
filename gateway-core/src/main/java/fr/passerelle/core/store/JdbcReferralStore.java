package fr.passerelle.core.store;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.crypto.Sha256;
import fr.passerelle.core.internal.Transactions;
import fr.passerelle.core.keys.PayloadCipher;
import fr.passerelle.core.keys.PayloadCipher.Encrypted;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.DeliveryState;
import fr.passerelle.core.referral.Notice;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.spi.TransportProvider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The referral store on PostgreSQL through plain JDBC. Every operation is one transaction; a change and its audit
 * entries commit together or not at all.
 *
 * <p>Locking: a transaction that changes a delivery first locks its referral's row, then the delivery, so that a
 * referral's aggregate status is always computed from committed states and two transactions never wait on each
 * other in opposite orders.
 *
 * <p>At rest, the referral's document and each delivery's payload are encrypted by a {@link PayloadCipher}, each
 * under its own data key, with associated data that binds it to its row: the referral id for a document, the
 * referral id and the recipient for a payload; a ciphertext copied to another row does not decrypt. The
 * sender's idempotency key is stored only as its SHA-256. Every other column is routing metadata (identifiers,
 * codes, times) and holds no personal data.
 *
 * <p>Thread-safe. Every method throws {@link GatewayException} {@code store_failed} when the database fails; the
 * message names the operation and the SQLSTATE, the cause holds the driver's exception.
 */
public final class JdbcReferralStore {
    /** Largest inbox page. */
    public static final int MAX_PAGE = 100;

    public static final String GATEWAY_ACTOR = "gateway";

    private final DataSource dataSource;
    private final Clock clock;
    private final PayloadCipher cipher;
    private final Optional<PurgeLog> purgeLog;

    /**
     * @param cipher encrypts documents and payloads before they are stored and decrypts them when read
     */
    public JdbcReferralStore(DataSource dataSource, Clock clock, PayloadCipher cipher) {
        this(dataSource, clock, cipher, Optional.empty());
    }

    /** @param purgeLog where each erasure of a referral's content (a withdrawal of consent) is written down */
    public JdbcReferralStore(DataSource dataSource, Clock clock, PayloadCipher cipher, Optional<PurgeLog> purgeLog) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.purgeLog = Objects.requireNonNull(purgeLog, "purgeLog");
    }

    /**
     * Stores a new referral with status {@code routed}, one {@code pending} delivery per recipient and the audit
     * entries {@code referral.submitted} (by the sender) and {@code referral.routed} (by the gateway), in one
     * transaction.
     *
     * <p>When the sender already used the same idempotency key: if the request digest is the same, returns the
     * referral stored then with {@code replayed} true and writes nothing; concurrent identical submissions store
     * one referral and all see it.
     *
     * @throws GatewayException {@code idempotency_conflict} when the key was used for a different request
     */
    public Submission submit(NewReferral referral) {
        Objects.requireNonNull(referral, "referral");
        Instant now = now();
        // Encrypt before taking a connection: the transaction stays as short as before.
        // An empty document is not kept: only a signed original is evidence worth keeping (docs/DATA-PROTECTION.md).
        Optional<Encrypted> document = kept(referral);
        List<Encrypted> payloads = payloads(referral);
        Optional<Encrypted> raisedDocument = referral.raised().flatMap(this::kept);
        Optional<List<Encrypted>> raisedPayloads = referral.raised().map(this::payloads);
        return inTransaction("store referral " + referral.id(), c -> {
            // No lookup first: the insert finds a referral stored earlier, or concurrently, under the same key.
            if (!insertReferral(c, referral, document, now)) {
                // An earlier or concurrent submission with the same key committed first: this one is its replay or
                // a conflict.
                return earlier(c, referral.sender(), referral.idempotencyKey().orElseThrow(), referral.requestDigest())
                        .orElseThrow(() -> new GatewayException(
                                ErrorCode.STORE_FAILED,
                                "referral " + referral.id()
                                        + " was neither stored nor found under its idempotency key"));
            }
            if (referral.hold().isPresent()) {
                Holds.hold(c, cipher, referral, payloads, now);
            } else {
                insertDeliveries(c, referral, payloads, now);
            }
            List<AuditLog.Entry> steps = referral.step().run(c, referral.id(), now);
            List<AuditLog.Entry> entries = new ArrayList<>();
            entries.add(new AuditLog.Entry(
                    referral.sender().value(),
                    "referral.submitted",
                    Optional.of(referral.id()),
                    Map.of(
                            "type",
                            referral.type().code(),
                            "department",
                            referral.department().code(),
                            "urgency",
                            referral.urgency().code(),
                            "requestSha256",
                            HexFormat.of().formatHex(referral.requestDigest()))));
            entries.add(routed(referral));
            referral.hold().ifPresent(hold -> entries.add(Holds.heldEntry(referral.id(), hold)));
            entries.addAll(steps);
            Optional<NewReferral> raised = referral.raised();
            int raisedAt = entries.size();
            if (raised.isPresent()) {
                insertReferral(c, raised.get(), raisedDocument, now);
                insertDeliveries(c, raised.get(), raisedPayloads.orElseThrow(), now);
                entries.add(new AuditLog.Entry(
                        GATEWAY_ACTOR,
                        "referral.raised",
                        Optional.of(raised.get().id()),
                        Map.of(
                                "type",
                                raised.get().type().code(),
                                "department",
                                raised.get().department().code(),
                                "urgency",
                                raised.get().urgency().code(),
                                "source",
                                referral.id().toString())));
                entries.add(routed(raised.get()));
            }
            List<Long> positions = AuditLog.appendAll(c, entries);
            Optional<Submission> raisedSubmission = raised.map(r -> new Submission(
                    r.id(),
                    r.type(),
                    false,
                    now,
                    "routed",
                    r.recipients(),
                    routeIds(r),
                    positions.get(raisedAt),
                    Optional.empty()));
            return new Submission(
                    referral.id(),
                    referral.type(),
                    false,
                    now,
                    referral.hold().isPresent() ? "held" : "routed",
                    referral.recipients(),
                    routeIds(referral),
                    positions.get(0),
                    referral.hold().map(Hold::reason),
                    raisedSubmission);
        });
    }

    private Optional<Encrypted> kept(NewReferral referral) {
        return referral.document().length == 0
                ? Optional.empty()
                : Optional.of(
                        cipher.encrypt(referral.type().domain(), referral.document(), documentAad(referral.id())));
    }

    private List<Encrypted> payloads(NewReferral referral) {
        return referral.deliveries().stream()
                .map(d ->
                        cipher.encrypt(referral.type().domain(), d.payload(), payloadAad(referral.id(), d.recipient())))
                .toList();
    }

    private static Map<PartnerId, List<String>> routeIds(NewReferral referral) {
        Map<PartnerId, List<String>> routeIds = new LinkedHashMap<>();
        referral.deliveries().forEach(d -> routeIds.put(d.recipient(), d.routeIds()));
        return routeIds;
    }

    /** The gateway's {@code referral.routed} entry: who receives it, by which routes, and who was left out and why. */
    private static AuditLog.Entry routed(NewReferral referral) {
        Set<String> routes = new LinkedHashSet<>();
        referral.deliveries().forEach(d -> routes.addAll(d.routeIds()));
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("recipients", joined(referral.recipients()));
        detail.put("routes", String.join(",", routes));
        if (!referral.withheld().isEmpty()) {
            detail.put("withheld", String.join(",", referral.withheld()));
        }
        return new AuditLog.Entry(GATEWAY_ACTOR, "referral.routed", Optional.of(referral.id()), detail);
    }

    /**
     * Withdraws the consent of a referral that {@code sender} submitted: see {@link Withdrawals#withdraw}.
     */
    public Withdrawals.Withdrawn withdraw(
            ReferralId id, PartnerId sender, java.util.function.Function<Withdrawals.Told, List<NewNotice>> notices) {
        Withdrawals.Withdrawn withdrawn = new Withdrawals(dataSource, clock, cipher).withdraw(id, sender, notices);
        if (!withdrawn.replayed()) {
            purgeLog.ifPresent(log -> log.append(id, withdrawn.withdrawnAt(), "consent-withdrawn"));
        }
        return withdrawn;
    }

    /**
     * The referral that {@code sender} stored earlier under {@code idempotencyKey}, if any: looked up before any
     * validation or routing, so that a retry gets the stored referral even after the routes have changed.
     *
     * @throws GatewayException {@code idempotency_conflict} when the key was used for a different request
     */
    public Optional<Submission> replay(PartnerId sender, String idempotencyKey, byte[] requestDigest) {
        return inTransaction(
                "look up an idempotency key of " + sender, c -> earlier(c, sender, idempotencyKey, requestDigest));
    }

    /**
     * A page of the deliveries addressed to {@code recipient}: first the copies already taken with a cursor above
     * {@code after}, by cursor, then the copies not yet taken, whatever their cursor, by urgency (immediate, urgent,
     * routine) then cursor. Paging on from each page's {@code next} lists every copy once, and an immediate or
     * urgent copy passes any number of routine ones not yet taken (see {@link Inbox#page}).
     * Copies not yet delivered become {@code delivered}, each with one {@code delivery.pulled} audit entry by the
     * recipient, in the same transaction: pulling the same page again changes nothing more.
     *
     * @param after a cursor from a previous page, or 0 for the beginning
     * @param limit 1 to {@value #MAX_PAGE}
     * @throws GatewayException {@code request_invalid} when {@code after} or {@code limit} is out of range
     */
    public InboxPage inbox(PartnerId recipient, long after, int limit) {
        Objects.requireNonNull(recipient, "recipient");
        if (after < 0) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "after " + after + " is not a cursor (expected: 0 or the 'next' of a previous page)");
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID, "limit " + limit + " is out of range (expected: 1-" + MAX_PAGE + ")");
        }
        Instant now = now();
        return inTransaction("read the inbox of " + recipient, c -> {
            List<InboxItem> items = pull(c, recipient, Inbox.page(c, cipher, recipient, after, limit), now);
            return new InboxPage(
                    items, items.stream().mapToLong(InboxItem::cursor).reduce(after, Math::max));
        });
    }

    /**
     * The copy with cursor {@code cursor} addressed to {@code recipient}, taken or not; taking it marks it
     * {@code delivered} as {@link #inbox} does.
     */
    public Optional<InboxItem> inboxItem(PartnerId recipient, long cursor) {
        Objects.requireNonNull(recipient, "recipient");
        Instant now = now();
        return inTransaction(
                "read item " + cursor + " of the inbox of " + recipient,
                c -> pull(
                                c,
                                recipient,
                                Inbox.one(c, cipher, recipient, cursor).stream().toList(),
                                now)
                        .stream()
                        .findFirst());
    }

    /** Marks the pending copies among {@code items} delivered, with their audit entries; the items as they are now. */
    private List<InboxItem> pull(Connection c, PartnerId recipient, List<InboxItem> items, Instant now)
            throws SQLException {
        List<InboxItem> pending =
                items.stream().filter(i -> i.state() == DeliveryState.PENDING).toList();
        if (pending.isEmpty()) {
            return items;
        }
        lockReferrals(c, pending.stream().map(InboxItem::referralId).collect(Collectors.toSet()));
        Map<Long, ReferralId> pulled = Inbox.markDelivered(c, pending, now);
        // One read and one write for the page's referrals, not two round trips per item.
        AggregateStatus.refreshAll(c, new LinkedHashSet<>(pulled.values()));
        // Re-read the states: a receipt may have moved a copy between the first read and the locks.
        List<InboxItem> fresh = Inbox.withCurrentStates(c, items);
        if (!pulled.isEmpty()) {
            Map<Long, InboxItem> byCursor = new java.util.HashMap<>();
            items.forEach(i -> byCursor.put(i.cursor(), i));
            List<AuditLog.Entry> entries = new ArrayList<>();
            for (Map.Entry<Long, ReferralId> entry : pulled.entrySet()) {
                // The hash of the envelope the recipient took: evidence of what it got, readable by it alone.
                entries.add(new AuditLog.Entry(
                        recipient.value(),
                        "delivery.pulled",
                        Optional.of(entry.getValue()),
                        Map.of(
                                "recipient",
                                recipient.value(),
                                "cursor",
                                Long.toString(entry.getKey()),
                                "envelopeSha256",
                                Sha256.hex(byCursor.get(entry.getKey()).payload()))));
            }
            // Last, and in one batch: the audit counter's lock, which every appender waits for, is held the
            // least time.
            AuditLog.appendAll(c, entries);
        }
        return fresh;
    }

    /**
     * A referral's status as {@code viewer} may see it. The sender sees every copy and the whole history; a
     * recipient sees its own copy, the aggregate status of that copy alone, and the history entries it wrote
     * plus {@code referral.submitted}. Anyone else gets nothing, exactly as for a referral that does not exist.
     */
    public Optional<ReferralStatus> status(ReferralId id, PartnerId viewer) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(viewer, "viewer");
        return inTransaction("read the status of referral " + id, c -> {
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            return StatusQuery.of(c, id, viewer);
        });
    }

    /**
     * The canonical document of a referral, decrypted.
     *
     * @throws GatewayException {@code store_failed} "stored document of referral ... cannot be decrypted: ..."
     *                          when its master key is not in the key file or the stored bytes were changed or
     *                          moved from another row
     */
    public Optional<byte[]> document(ReferralId id) {
        Objects.requireNonNull(id, "id");
        return inTransaction("read the document of referral " + id, c -> {
            try (PreparedStatement select =
                    c.prepareStatement("SELECT key_id, wrapped_key, document FROM referral WHERE id = ?")) {
                select.setObject(1, id.value());
                try (ResultSet rs = select.executeQuery()) {
                    // A referral whose consent was withdrawn keeps no document.
                    return rs.next() && rs.getBytes(3) != null
                            ? Optional.of(cipher.decrypt(
                                    rs.getString(1),
                                    rs.getBytes(2),
                                    rs.getBytes(3),
                                    documentAad(id),
                                    "document of referral " + id))
                            : Optional.empty();
                }
            }
        });
    }

    /** Binds a stored document to its referral. */
    public static byte[] documentAad(ReferralId id) {
        return ("passerelle:referral.document:" + id.value()).getBytes(StandardCharsets.UTF_8);
    }

    /** Binds a stored payload to its referral and recipient. */
    public static byte[] payloadAad(ReferralId id, PartnerId recipient) {
        return payloadAad(id, recipient, Optional.empty());
    }

    /** Binds a stored payload to its referral, recipient and, for a notice, the notice: no row's can pass for another's. */
    public static byte[] payloadAad(ReferralId id, PartnerId recipient, Optional<Notice> notice) {
        return ("passerelle:delivery.payload:" + id.value() + ":" + recipient.value()
                        + notice.map(n -> ":notice:" + n.code()).orElse(""))
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * What the {@code idempotency_key} column holds for a sender's key: its SHA-256 in lowercase hex, so that
     * whatever a partner put in the key never lies in clear in the database.
     */
    static String idempotencyDigest(String key) {
        return Sha256.hex(key.getBytes(StandardCharsets.UTF_8));
    }

    /** How many referrals are stored. */
    public long countReferrals() {
        return inTransaction("count referrals", c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT count(*) FROM referral");
                    ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** The referral stored earlier under the same sender and key, as a replay; or a conflict. */
    private static Optional<Submission> earlier(Connection c, PartnerId sender, String key, byte[] requestDigest)
            throws SQLException {
        UUID id;
        ReferralType type;
        byte[] digest;
        Instant submittedAt;
        String status;
        try (PreparedStatement select = c.prepareStatement("SELECT id, type, request_digest, submitted_at, status"
                + " FROM referral WHERE sender = ? AND idempotency_key = ?")) {
            select.setString(1, sender.value());
            select.setString(2, idempotencyDigest(key));
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                id = rs.getObject(1, UUID.class);
                type = ReferralType.fromCode(rs.getString(2));
                digest = rs.getBytes(3);
                submittedAt = instant(rs, 4);
                status = rs.getString(5);
            }
        }
        if (!MessageDigest.isEqual(digest, requestDigest)) {
            throw new GatewayException(
                    ErrorCode.IDEMPOTENCY_CONFLICT,
                    "Idempotency-Key '" + key
                            + "' was already used by " + sender + " for a different request (referral " + id
                            + "); use a new key for a new referral");
        }
        return Optional.of(stored(c, id, type, submittedAt, status, "referral.submitted"));
    }

    /** A stored referral as a replayed submission; {@code action} names the audit entry that first recorded it. */
    private static Submission stored(
            Connection c, UUID id, ReferralType type, Instant submittedAt, String status, String action)
            throws SQLException {
        List<PartnerId> recipients = new ArrayList<>();
        Map<PartnerId, List<String>> routeIds = new LinkedHashMap<>();
        try (PreparedStatement select = c.prepareStatement(
                "SELECT recipient, route_ids FROM delivery WHERE referral_id = ? AND notice IS NULL ORDER BY id")) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    PartnerId recipient = PartnerId.of(rs.getString(1));
                    recipients.add(recipient);
                    routeIds.put(recipient, List.of((String[]) rs.getArray(2).getArray()));
                }
            }
        }
        long entry = AuditLog.position(c, new ReferralId(id), action).orElse(0L);
        return new Submission(
                new ReferralId(id),
                type,
                true,
                submittedAt,
                status,
                recipients,
                routeIds,
                entry,
                Holds.reason(c, new ReferralId(id)),
                raised(c, id));
    }

    /** The referral the gateway raised from {@code source}, as stored. */
    private static Optional<Submission> raised(Connection c, UUID source) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT id, type, submitted_at, status FROM referral" + " WHERE source_referral = ?")) {
            select.setObject(1, source);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(stored(
                        c,
                        rs.getObject(1, UUID.class),
                        ReferralType.fromCode(rs.getString(2)),
                        instant(rs, 3),
                        rs.getString(4),
                        "referral.raised"));
            }
        }
    }

    /** @return false when another referral of the same sender already holds the idempotency key */
    private static boolean insertReferral(Connection c, NewReferral r, Optional<Encrypted> document, Instant now)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO referral (id, type, sender, department,"
                + " urgency, status, idempotency_key, request_digest, submitted_at, document, key_id, wrapped_key,"
                + " document_media_type, source_referral, commune, minor)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (sender, idempotency_key) DO NOTHING")) {
            insert.setObject(1, r.id().value());
            insert.setString(2, r.type().code());
            insert.setString(3, r.sender().value());
            insert.setString(4, r.department().code());
            insert.setString(5, r.urgency().code());
            insert.setString(6, r.hold().isPresent() ? "held" : "routed");
            insert.setString(
                    7,
                    r.idempotencyKey().map(JdbcReferralStore::idempotencyDigest).orElse(null));
            insert.setBytes(8, r.requestDigest());
            insert.setObject(9, timestamp(now));
            insert.setBytes(10, document.map(Encrypted::ciphertext).orElse(null));
            insert.setString(11, document.map(Encrypted::keyId).orElse(null));
            insert.setBytes(12, document.map(Encrypted::wrappedKey).orElse(null));
            insert.setString(13, r.documentMediaType());
            insert.setObject(14, r.source().map(ReferralId::value).orElse(null));
            insert.setString(15, r.facets().commune().orElse(null));
            insert.setObject(16, r.facets().minor().orElse(null), java.sql.Types.BOOLEAN);
            return insert.executeUpdate() == 1;
        }
    }

    private static void insertDeliveries(Connection c, NewReferral r, List<Encrypted> payloads, Instant now)
            throws SQLException {
        List<Long> ids = new ArrayList<>();
        // One batch, and the generated ids in insertion order: the receipt links point at them.
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO delivery (referral_id, recipient, route_ids,"
                        + " state, media_type, payload, created_at, updated_at, key_id, wrapped_key, transport, next_attempt_at)"
                        + " VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?)",
                new String[] {"id"})) {
            for (int i = 0; i < payloads.size(); i++) {
                NewDelivery d = r.deliveries().get(i);
                Encrypted payload = payloads.get(i);
                insert.setObject(1, r.id().value());
                insert.setString(2, d.recipient().value());
                insert.setArray(3, c.createArrayOf("text", d.routeIds().toArray()));
                insert.setString(4, d.mediaType());
                insert.setBytes(5, payload.ciphertext());
                insert.setObject(6, timestamp(now));
                insert.setObject(7, timestamp(now));
                insert.setString(8, payload.keyId());
                insert.setBytes(9, payload.wrappedKey());
                insert.setString(10, d.transport());
                // A pushed copy is due at once; a pulled one waits for its recipient.
                insert.setObject(11, d.transport().equals(TransportProvider.INBOX) ? null : timestamp(now));
                insert.addBatch();
            }
            insert.executeBatch();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                while (keys.next()) {
                    ids.add(keys.getLong(1));
                }
            }
        }
        if (r.deliveries().stream().allMatch(d -> d.links().isEmpty())) {
            return;
        }
        try (PreparedStatement link = c.prepareStatement(
                "INSERT INTO receipt_link (token_sha256, delivery_id, status, expires_at, certificate_sha256)"
                        + " VALUES (?, ?, ?, ?, ?)")) {
            for (int i = 0; i < ids.size(); i++) {
                for (NewReceiptLink l : r.deliveries().get(i).links()) {
                    link.setBytes(1, l.tokenSha256());
                    link.setLong(2, ids.get(i));
                    link.setString(3, l.status().code());
                    link.setObject(4, timestamp(l.expiresAt()));
                    link.setString(5, l.certificateSha256().orElse(null));
                    link.addBatch();
                }
            }
            link.executeBatch();
        }
    }

    /** Locks referral rows in the database's id order, so that concurrent transactions take them in one order. */
    private static void lockReferrals(Connection c, Set<ReferralId> ids) throws SQLException {
        try (PreparedStatement lock =
                c.prepareStatement("SELECT id FROM referral WHERE id = ANY (?) ORDER BY id FOR UPDATE")) {
            lock.setArray(
                    1,
                    c.createArrayOf("uuid", ids.stream().map(ReferralId::value).toArray()));
            lock.executeQuery().close();
        }
    }

    private static String joined(List<PartnerId> ids) {
        return ids.stream().map(PartnerId::value).collect(Collectors.joining(","));
    }

    private Instant now() {
        // PostgreSQL keeps microseconds: truncate so that what we return equals what a later read returns.
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    public static OffsetDateTime timestamp(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    public static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private <T> T inTransaction(String what, Transactions.Work<T> work) {
        return Transactions.inTransaction(dataSource, what, work);
    }
}
