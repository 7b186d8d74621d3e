package fr.passerelle.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.internal.Transactions;
import fr.passerelle.core.keys.PayloadCipher;
import fr.passerelle.core.keys.PayloadCipher.Encrypted;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.spi.TransportProvider;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Referrals held because the protection register protects the person they are about: their copies wait in
 * {@code held_copy}, out of every outbox and inbox, until an administrator releases them with a justification (the
 * copies then enter the outbox as new rows, so that a pulling recipient's cursor finds them) or cancels them (the
 * copies are deleted: nobody ever had them). Each change commits with its notices and its audit entry.
 * Thread-safe.
 */
public final class Holds {
    /** Why an administrator may release a held removal objective: a closed list, never free text. */
    public static final Set<String> JUSTIFICATIONS =
            Set.of("period-ended-early", "not-the-same-person", "protection-ended", "decision-annulled");
    /** The justifications that rest on a decision of the prefect, whose date must be given. */
    public static final Set<String> DATED_JUSTIFICATIONS =
            Set.of("period-ended-early", "protection-ended", "decision-annulled");

    private static final int MAX_COMMENT = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;
    private final PayloadCipher cipher;
    private final Clock clock;

    public Holds(DataSource dataSource, PayloadCipher cipher, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** What a release changed. */
    public record Released(ReferralId id, String reason, int copies) {}

    /**
     * Releases a held referral: its copies enter the outbox (due at once for pushed ones, in the inbox for pulled
     * ones), its status becomes {@code routed}, the notices are stored, with a {@code referral.released} audit
     * entry by {@code actor} naming the justification and the decision's date; the comment is stored encrypted,
     * and only its length reaches the audit log.
     *
     * @param justification one of {@link #JUSTIFICATIONS}
     * @param decidedOn     the date of the prefect's decision, required for {@link #DATED_JUSTIFICATIONS}
     * @param comment       why, in the administrator's words: 1 to 2000 characters
     * @param notices       the notices to send, given the referral as it stood before the release
     * @throws GatewayException {@code request_invalid} for a justification, date or comment that does not fit;
     *                          {@code referral_not_found} when there is no such referral; {@code state_conflict}
     *                          when it is not held
     */
    public Released release(
            ReferralId id,
            String actor,
            String justification,
            Optional<LocalDate> decidedOn,
            String comment,
            Function<OpenReferral, List<NewNotice>> notices) {
        return release(id, EnumSet.allOf(ReferralType.class), actor, justification, decidedOn, comment, notices);
    }

    /**
     * As {@link #release(ReferralId, String, String, Optional, String, Function)} for an actor that may see the
     * referrals of {@code visible} only: a referral of another type is answered as one that does not exist
     * ({@code referral_not_found}), after the same checks of the request.
     */
    public Released release(
            ReferralId id,
            Set<ReferralType> visible,
            String actor,
            String justification,
            Optional<LocalDate> decidedOn,
            String comment,
            Function<OpenReferral, List<NewNotice>> notices) {
        checkRelease(justification, decidedOn, comment);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return Transactions.inTransaction(dataSource, "release referral " + id, c -> {
            OpenReferral referral = OpenReferral.lock(c, id)
                    .filter(r -> visible.contains(r.type()))
                    .orElseThrow(id::notFound);
            if (!referral.status().equals("held")) {
                throw new GatewayException(
                        ErrorCode.STATE_CONFLICT,
                        "referral " + id + " is " + referral.status() + ", not held: there is nothing to release");
            }
            // Under the family of the held referral's domain (a removal objective: police-justice).
            Encrypted sealed =
                    cipher.encrypt(referral.type().domain(), comment.getBytes(StandardCharsets.UTF_8), commentAad(id));
            String reason = reason(c, id)
                    .orElseThrow(() -> new GatewayException(
                            ErrorCode.STORE_FAILED, "referral " + id + " is held but has no hold record"));
            Instant heldAt = heldAt(c, id);
            int copies = moveToOutbox(c, id, Duration.between(heldAt, now), now);
            try (PreparedStatement update = c.prepareStatement("UPDATE referral_hold SET released_at = ?,"
                    + " released_by = ?, justification = ?, decided_on = ?, comment = ?, comment_key_id = ?,"
                    + " comment_wrapped = ? WHERE referral_id = ?")) {
                update.setObject(1, JdbcReferralStore.timestamp(now));
                update.setString(2, actor);
                update.setString(3, justification);
                update.setObject(4, decidedOn.orElse(null));
                update.setBytes(5, sealed.ciphertext());
                update.setString(6, sealed.keyId());
                update.setBytes(7, sealed.wrappedKey());
                update.setObject(8, id.value());
                update.executeUpdate();
            }
            try (PreparedStatement update = c.prepareStatement("UPDATE referral SET status = 'routed' WHERE id = ?")) {
                update.setObject(1, id.value());
                update.executeUpdate();
            }
            List<NewNotice> told = notices.apply(referral);
            NoticeRows.insert(c, cipher, id, referral.type().domain(), told, now);
            Map<String, String> detail = new LinkedHashMap<>();
            detail.put("reason", reason);
            detail.put("justification", justification);
            decidedOn.ifPresent(d -> detail.put("decidedOn", d.toString()));
            detail.put("copies", Integer.toString(copies));
            detail.put("commentChars", Integer.toString(comment.length()));
            detail.put("notified", NoticeRows.recipients(told));
            AuditLog.append(c, actor, "referral.released", Optional.of(id), detail);
            return new Released(id, reason, copies);
        });
    }

    /** The administrator's comment on a release, decrypted; empty when the referral was not released. */
    public Optional<String> comment(ReferralId id) {
        return Transactions.inTransaction(dataSource, "read the release comment of referral " + id, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT comment_key_id, comment_wrapped, comment"
                    + " FROM referral_hold WHERE referral_id = ? AND comment IS NOT NULL")) {
                select.setObject(1, id.value());
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next()
                            ? Optional.of(new String(
                                    cipher.decrypt(
                                            rs.getString(1),
                                            rs.getBytes(2),
                                            rs.getBytes(3),
                                            commentAad(id),
                                            "release comment of referral " + id),
                                    StandardCharsets.UTF_8))
                            : Optional.empty();
                }
            }
        });
    }

    private static void checkRelease(String justification, Optional<LocalDate> decidedOn, String comment) {
        if (!JUSTIFICATIONS.contains(justification)) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "justification '" + safe(justification)
                            + "' is unknown (expected one of: "
                            + String.join(", ", JUSTIFICATIONS.stream().sorted().toList())
                            + ")");
        }
        if (DATED_JUSTIFICATIONS.contains(justification) && decidedOn.isEmpty()) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "justification " + justification + " rests on a"
                            + " decision of the prefect: give its date as decidedOn (YYYY-MM-DD)");
        }
        if (comment.isBlank() || comment.length() > MAX_COMMENT) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "comment is " + (comment.isBlank() ? "empty" : comment.length() + " characters long")
                            + " (expected: 1-" + MAX_COMMENT + " characters saying"
                            + " why the hold is lifted)");
        }
    }

    private static String safe(String code) {
        return code.length() <= 40 && code.matches("[a-z0-9:-]*") ? code : "(not a code)";
    }

    /** Stores a new referral's copies as held, with its hold record and its notices. */
    static void hold(Connection c, PayloadCipher cipher, NewReferral referral, List<Encrypted> payloads, Instant now)
            throws SQLException {
        Hold hold = referral.hold().orElseThrow();
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO held_copy (referral_id, recipient, position,"
                + " route_ids, media_type, payload, key_id, wrapped_key, transport, links)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)")) {
            for (int i = 0; i < payloads.size(); i++) {
                NewDelivery d = referral.deliveries().get(i);
                Encrypted payload = payloads.get(i);
                insert.setObject(1, referral.id().value());
                insert.setString(2, d.recipient().value());
                insert.setInt(3, i);
                insert.setArray(4, c.createArrayOf("text", d.routeIds().toArray()));
                insert.setString(5, d.mediaType());
                insert.setBytes(6, payload.ciphertext());
                insert.setString(7, payload.keyId());
                insert.setBytes(8, payload.wrappedKey());
                insert.setString(9, d.transport());
                insert.setString(10, links(d.links()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO referral_hold (referral_id, reason," + " protections, held_at) VALUES (?, ?, ?, ?)")) {
            insert.setObject(1, referral.id().value());
            insert.setString(2, hold.reason());
            insert.setArray(3, c.createArrayOf("bigint", hold.protections().toArray()));
            insert.setObject(4, JdbcReferralStore.timestamp(now));
            insert.executeUpdate();
        }
        NoticeRows.insert(c, cipher, referral.id(), referral.type().domain(), hold.notices(), now);
    }

    /** The audit entry of a hold: the reason, how many protections matched and who was told; never who she is. */
    static AuditLog.Entry heldEntry(ReferralId id, Hold hold) {
        return new AuditLog.Entry(
                JdbcReferralStore.GATEWAY_ACTOR,
                "referral.held",
                Optional.of(id),
                Map.of(
                        "reason",
                        hold.reason(),
                        "protections",
                        Integer.toString(hold.protections().size()),
                        "notified",
                        NoticeRows.recipients(hold.notices())));
    }

    /** Why a referral was held, if it was. */
    static Optional<String> reason(Connection c, ReferralId id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT reason FROM referral_hold WHERE referral_id = ?")) {
            select.setObject(1, id.value());
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Deletes the held copies of a referral being cancelled; returns how many there were. */
    public static int dropHeldCopies(Connection c, ReferralId id) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM held_copy WHERE referral_id = ?")) {
            delete.setObject(1, id.value());
            return delete.executeUpdate();
        }
    }

    private static Instant heldAt(Connection c, ReferralId id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT held_at FROM referral_hold WHERE referral_id = ?")) {
            select.setObject(1, id.value());
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return JdbcReferralStore.instant(rs, 1);
            }
        }
    }

    /**
     * Moves the held copies into the outbox as new rows, in routing order, with their receipt links, whose validity
     * is extended by the time the copies waited.
     */
    private static int moveToOutbox(Connection c, ReferralId id, Duration waited, Instant now) throws SQLException {
        Map<Long, String> links = new LinkedHashMap<>();
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO delivery (referral_id, recipient, route_ids,"
                + " state, media_type, payload, created_at, updated_at, key_id, wrapped_key, transport, next_attempt_at)"
                + " SELECT referral_id, recipient, route_ids, 'pending', media_type, payload, ?, ?, key_id, wrapped_key,"
                + " transport, CASE WHEN transport = ? THEN NULL ELSE ?::timestamptz END FROM held_copy"
                + " WHERE referral_id = ? ORDER BY position RETURNING id, recipient")) {
            insert.setObject(1, JdbcReferralStore.timestamp(now));
            insert.setObject(2, JdbcReferralStore.timestamp(now));
            insert.setString(3, TransportProvider.INBOX);
            insert.setObject(4, JdbcReferralStore.timestamp(now));
            insert.setObject(5, id.value());
            Map<String, Long> byRecipient = new LinkedHashMap<>();
            try (ResultSet rs = insert.executeQuery()) {
                while (rs.next()) {
                    byRecipient.put(rs.getString(2), rs.getLong(1));
                }
            }
            try (PreparedStatement select =
                    c.prepareStatement("SELECT recipient, links FROM held_copy" + " WHERE referral_id = ?")) {
                select.setObject(1, id.value());
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        links.put(byRecipient.get(rs.getString(1)), rs.getString(2));
                    }
                }
            }
        }
        try (PreparedStatement link = c.prepareStatement("INSERT INTO receipt_link (token_sha256, delivery_id, status,"
                + " expires_at, certificate_sha256) VALUES (?, ?, ?, ?, ?)")) {
            for (Map.Entry<Long, String> entry : links.entrySet()) {
                for (JsonNode l : readLinks(entry.getValue())) {
                    link.setBytes(1, HexFormat.of().parseHex(l.path("sha256").asText()));
                    link.setLong(2, entry.getKey());
                    link.setString(3, l.path("status").asText());
                    link.setObject(
                            4,
                            JdbcReferralStore.timestamp(
                                    Instant.parse(l.path("expiresAt").asText()).plus(waited)));
                    // Held copies from before version 12 have no certificate: their links are not killed by it.
                    link.setString(
                            5,
                            l.path("certificateSha256").isTextual()
                                    ? l.path("certificateSha256").asText()
                                    : null);
                    link.addBatch();
                }
            }
            link.executeBatch();
        }
        return dropHeldCopies(c, id);
    }

    private static String links(List<NewReceiptLink> links) {
        ArrayNode array = JSON.createArrayNode();
        links.forEach(l -> {
            ObjectNode link = array.addObject()
                    .put("sha256", HexFormat.of().formatHex(l.tokenSha256()))
                    .put("status", l.status().code())
                    .put("expiresAt", l.expiresAt().toString());
            l.certificateSha256().ifPresent(f -> link.put("certificateSha256", f));
        });
        return array.toString();
    }

    private static JsonNode readLinks(String json) {
        try {
            return JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new GatewayException(ErrorCode.STORE_FAILED, "the receipt links of a held copy are not JSON", e);
        }
    }

    private static byte[] commentAad(ReferralId id) {
        return ("passerelle:referral_hold.comment:" + id.value()).getBytes(StandardCharsets.UTF_8);
    }
}
