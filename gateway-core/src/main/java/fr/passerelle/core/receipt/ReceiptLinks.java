package fr.passerelle.core.receipt;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.crypto.Sha256;
import fr.passerelle.core.internal.Transactions;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.DeclineReason;
import fr.passerelle.core.referral.DeliveryState;
import fr.passerelle.core.referral.ReceiptStatus;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.store.JdbcReferralStore;
import fr.passerelle.core.store.NewReceiptLink;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * The single-use receipt links of secure mail: {@link #issue} makes the three links of one recipient's copy
 * (received, accepted, declined), an instance looks them up and redeems them.
 *
 * <p>A token is 32 random bytes in base64url without padding (43 characters). Only the SHA-256 of the token's
 * text is stored; the token itself lives in the recipient's mail alone, and is never logged, printed or audited.
 * Each link records its own receipt once: using one does not consume the others, but once the copy is accepted or
 * declined, the receipt state machine refuses the other of the two.
 *
 * <p>Thread-safe. Methods of an instance throw {@link GatewayException} {@code store_failed} when the database
 * fails.
 */
public final class ReceiptLinks {
    /** Random bytes in a token. */
    public static final int TOKEN_BYTES = 32;
    /** The path under the public URL that a link's token follows. */
    public static final String PATH = "/v1/receipts/";
    /** The receipts a link may record, in the order a mail shows them. */
    public static final List<ReceiptStatus> STATUSES =
            List.of(ReceiptStatus.RECEIVED, ReceiptStatus.ACCEPTED, ReceiptStatus.DECLINED);

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DataSource dataSource;
    private final Clock clock;

    public ReceiptLinks(DataSource dataSource, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The links of one recipient's copy, to put in its mail and to store with its delivery.
     *
     * @param urls      one URL per status of {@link #STATUSES}; secret: never printed by {@link #toString()}
     * @param expiresAt when the three links stop working
     * @param links     what to store in {@link NewDelivery#links()}: the tokens' hashes only
     */
    public record Issued(Map<ReceiptStatus, String> urls, Instant expiresAt, List<NewReceiptLink> links) {
        public Issued {
            Objects.requireNonNull(urls, "urls");
            Objects.requireNonNull(expiresAt, "expiresAt");
            links = List.copyOf(links);
            if (!urls.keySet().equals(Set.copyOf(STATUSES)) || links.size() != STATUSES.size()) {
                throw new IllegalArgumentException("issued receipt links must be one per status of " + STATUSES
                        + " (got URLs for " + urls.keySet() + " and " + links.size() + " links)");
            }
            urls = Collections.unmodifiableMap(new EnumMap<>(urls));
        }

        @Override
        public String toString() {
            return "Issued[" + links.size() + " links, expires " + expiresAt + "]";
        }
    }

    /**
     * What a link will record, for the page that a GET shows; nothing personal.
     *
     * @param status  the receipt the link records
     * @param usedAt  when it was used, if it was
     * @param expired whether it was past its expiry when looked up
     * @param copy    the state of the recipient's copy now
     * @param routeIds the routes that chose this recipient when the referral was routed
     * @param closed  whether the referral is closed for good: cancelled, expired or withdrawn, or its content
     *                purged; no answer to it means anything any more
     * @param certificateSha256 the fingerprint of the partner certificate that the link's mail was encrypted to;
     *                empty for links issued before the gateway recorded it (schema version 12)
     */
    public record LinkView(
            ReferralId referralId,
            ReferralType type,
            PartnerId recipient,
            ReceiptStatus status,
            Instant expiresAt,
            Optional<Instant> usedAt,
            boolean expired,
            DeliveryState copy,
            List<String> routeIds,
            boolean closed,
            Optional<String> certificateSha256) {
        /** The referral statuses after which no link of the referral works. */
        public static final Set<String> CLOSED_STATUSES = Set.of("cancelled", "expired", "withdrawn");

        /** A link whose certificate is not known. */
        public LinkView(
                ReferralId referralId,
                ReferralType type,
                PartnerId recipient,
                ReceiptStatus status,
                Instant expiresAt,
                Optional<Instant> usedAt,
                boolean expired,
                DeliveryState copy,
                List<String> routeIds,
                boolean closed) {
            this(
                    referralId,
                    type,
                    recipient,
                    status,
                    expiresAt,
                    usedAt,
                    expired,
                    copy,
                    routeIds,
                    closed,
                    Optional.empty());
        }

        public LinkView {
            routeIds = List.copyOf(routeIds);
            Objects.requireNonNull(referralId, "referralId");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(recipient, "recipient");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(expiresAt, "expiresAt");
            Objects.requireNonNull(usedAt, "usedAt");
            Objects.requireNonNull(copy, "copy");
            Objects.requireNonNull(certificateSha256, "certificateSha256");
        }

        public boolean used() {
            return usedAt.isPresent();
        }

        /** Neither used nor expired: a POST would try to record the receipt. */
        public boolean usable() {
            return !used() && !expired;
        }
    }

    /** How a redemption ended. */
    public enum Result {
        /** The receipt was recorded (or the copy already had it) and the link is now used. */
        RECORDED,
        /** The link was used before: nothing changed. */
        ALREADY_USED,
        /** The link is past its expiry: nothing changed. */
        EXPIRED,
        /**
         * The link is dead: the caller's liveness check refused it (its partner disabled, its route removed, its
         * referral closed...): nothing changed.
         */
        DEAD
    }

    /**
     * @param link    the link as it was before this redemption
     * @param outcome the receipt's outcome, present exactly when {@code result} is {@code RECORDED}
     */
    public record Redeemed(Result result, LinkView link, Optional<ReceiptOutcome> outcome) {
        public Redeemed {
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(link, "link");
            Objects.requireNonNull(outcome, "outcome");
            if (outcome.isPresent() != (result == Result.RECORDED)) {
                throw new IllegalArgumentException("a redemption has an outcome exactly when it is " + Result.RECORDED
                        + " (got " + result + " with" + (outcome.isPresent() ? "" : "out") + " an outcome)");
            }
        }
    }

    /**
     * Issues fresh links for one recipient's copy: three random tokens, one per status of {@link #STATUSES}, each
     * URL {@code publicUrl + "/v1/receipts/" + token}.
     *
     * @param publicUrl the public receipt listener's base URL, {@code https://...}; a trailing slash is dropped
     * @param validity  how long the links work, positive
     * @throws IllegalArgumentException when the URL is not https or the validity not positive
     */
    public static Issued issue(String publicUrl, Duration validity, Clock clock) {
        Objects.requireNonNull(publicUrl, "publicUrl");
        Objects.requireNonNull(validity, "validity");
        Objects.requireNonNull(clock, "clock");
        if (!publicUrl.startsWith("https://") || publicUrl.length() == "https://".length()) {
            throw new IllegalArgumentException("receipt links' public URL '" + publicUrl
                    + "' is not an https URL (expected, for instance: https://passerelle.example.fr:8444)");
        }
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("receipt links' validity " + validity + " is not positive");
        }
        String base = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        Instant expiresAt = clock.instant().plus(validity).truncatedTo(ChronoUnit.SECONDS);
        Map<ReceiptStatus, String> urls = new EnumMap<>(ReceiptStatus.class);
        List<NewReceiptLink> links = new ArrayList<>();
        for (ReceiptStatus status : STATUSES) {
            byte[] random = new byte[TOKEN_BYTES];
            RANDOM.nextBytes(random);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            urls.put(status, base + PATH + token);
            links.add(new NewReceiptLink(hash(token), status, expiresAt));
        }
        return new Issued(urls, expiresAt, links);
    }

    /**
     * The link that {@code token} opens, without using it. A token that is not of the shape {@link #issue} makes
     * is simply not found.
     */
    public Optional<LinkView> look(String token) {
        Objects.requireNonNull(token, "token");
        if (!TOKEN.matcher(token).matches()) {
            return Optional.empty();
        }
        Instant now = now();
        return Transactions.inTransaction(dataSource, "look up a receipt link", c -> find(c, hash(token), now, false));
    }

    /**
     * Uses a link, in one transaction: locks it; when it is usable, records its receipt exactly as
     * {@link Receipts#record} does (with its {@code receipt.recorded} audit entry), marks the link
     * used and appends a {@code receipt.link.used} audit entry by the recipient. A used or expired link changes
     * nothing and says so in the result.
     *
     * @param reason required when the link records {@code declined}, refused otherwise
     * @throws GatewayException {@code not_found} when no link has this token (malformed tokens included); the
     *                          message never shows the token. {@code receipt_invalid} when the reason does not fit
     *                          the link's status, or when the copy's state no longer allows the link's receipt
     *                          (the message of {@link Receipts#record}); the link stays unused
     */
    public Redeemed redeem(String token, Optional<DeclineReason> reason) {
        return redeem(token, reason, link -> true);
    }

    /**
     * As {@link #redeem(String, Optional)}, but a link that {@code alive} refuses, tested on the locked row in
     * the same transaction, changes nothing and ends {@link Result#DEAD}: a link cannot slip through between a
     * check and its use.
     *
     * @param alive whether the link may still be used, given the deployment of now; called once, under the lock
     */
    public Redeemed redeem(String token, Optional<DeclineReason> reason, Predicate<LinkView> alive) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(alive, "alive");
        if (!TOKEN.matcher(token).matches()) {
            throw notFound();
        }
        Instant now = now();
        byte[] hash = hash(token);
        return Transactions.inTransaction(dataSource, "redeem a receipt link", c -> {
            // The link's row first, then (in Receipts) the referral's and the delivery's: no transaction locks a link
            // after a referral, so this order cannot deadlock with the store's.
            LinkView link = find(c, hash, now, true).orElseThrow(ReceiptLinks::notFound);
            if (!alive.test(link)) {
                return new Redeemed(Result.DEAD, link, Optional.empty());
            }
            if (link.used()) {
                return new Redeemed(Result.ALREADY_USED, link, Optional.empty());
            }
            if (link.expired()) {
                return new Redeemed(Result.EXPIRED, link, Optional.empty());
            }
            Receipts.checkReason(link.referralId(), link.status(), reason);
            ReceiptOutcome outcome =
                    Receipts.recordInside(c, link.referralId(), link.recipient(), link.status(), reason, now);
            try (PreparedStatement update =
                    c.prepareStatement("UPDATE receipt_link SET used_at = ? WHERE token_sha256 = ?")) {
                update.setObject(1, JdbcReferralStore.timestamp(now));
                update.setBytes(2, hash);
                update.executeUpdate();
            }
            Map<String, String> detail = new LinkedHashMap<>();
            detail.put("recipient", link.recipient().value());
            detail.put("status", link.status().code());
            detail.put("via", "link");
            AuditLog.append(c, link.recipient().value(), "receipt.link.used", Optional.of(link.referralId()), detail);
            return new Redeemed(Result.RECORDED, link, Optional.of(outcome));
        });
    }

    private static Optional<LinkView> find(Connection c, byte[] hash, Instant now, boolean lock) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT d.referral_id, r.type, d.recipient, l.status,"
                + " l.expires_at, l.used_at, d.state, d.route_ids, r.status, r.purged_at IS NOT NULL,"
                + " l.certificate_sha256"
                + " FROM receipt_link l JOIN delivery d ON d.id = l.delivery_id"
                + " JOIN referral r ON r.id = d.referral_id WHERE l.token_sha256 = ?"
                + (lock ? " FOR UPDATE OF l" : ""))) {
            select.setBytes(1, hash);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Instant expiresAt = JdbcReferralStore.instant(rs, 5);
                return Optional.of(new LinkView(
                        new ReferralId(rs.getObject(1, UUID.class)),
                        ReferralType.fromCode(rs.getString(2)),
                        PartnerId.of(rs.getString(3)),
                        ReceiptStatus.fromCode(rs.getString(4)),
                        expiresAt,
                        Optional.ofNullable(JdbcReferralStore.instant(rs, 6)),
                        !now.isBefore(expiresAt),
                        DeliveryState.fromCode(rs.getString(7)),
                        List.of((String[]) rs.getArray(8).getArray()),
                        LinkView.CLOSED_STATUSES.contains(rs.getString(9)) || rs.getBoolean(10),
                        Optional.ofNullable(rs.getString(11))));
            }
        }
    }

    private static GatewayException notFound() {
        return new GatewayException(
                ErrorCode.NOT_FOUND,
                "no receipt link with this token (expected: a link from a" + " Passerelle mail, copied whole)");
    }

    /** What the database keys a link by (never the token itself): the SHA-256 of the token's text. */
    public static byte[] hash(String token) {
        return Sha256.digest(token.getBytes(StandardCharsets.US_ASCII));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
