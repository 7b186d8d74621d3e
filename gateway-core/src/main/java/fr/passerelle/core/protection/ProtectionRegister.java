package fr.passerelle.core.protection;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.internal.Transactions;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.IsoDates;
import fr.passerelle.core.referral.Minority;
import fr.passerelle.core.referral.Notice;
import fr.passerelle.core.referral.Referral;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.store.SubmissionStep;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The protection register: for each person whom a referral the gateway carried showed to be protected from
 * removal, what protects her and until when, known only by the HMAC tokens of her identity keys
 * ({@link IdentityKeys}, {@link RegisterKeys}). It is no query API: it records from the referrals it carries and
 * answers only the exchange's question about a removal objective; its size is the only figure it shows.
 *
 * <p>What each type records (docs/PROTECTION.md): a reflection-period request or a victim orientation, an open
 * reflection period; a permit support, an open permit; the prefecture's reflection decision, the period's dates
 * (30 days from the récépissé's handover, or its early end) and a reminder on day 25; its permit decision, the
 * card's validity (an exit-pathway authorisation for an {@code aps-l425-4}) and a reminder 60 days before it
 * ends, or the end of the permit protection when refused; an exit-pathway decision with an APS, the term's dates
 * ({@link ExitPathways} reminds of the term's end, APS or not); any of them about a minor, minority until the 18th birthday (open when no birth date is known: presumption of minority).
 * Days are counted in Europe/Paris.
 *
 * <p>Thread-safe; every method is one transaction, or joins the submission's.
 */
public final class ProtectionRegister {
    /** The calendar the prefectures count days in. */
    public static final ZoneId ZONE = Department.PARIS;
    /** Day 25 of a 30-day period: 24 days after the handover day, which is day 1. */
    static final int REFLECTION_REMINDER_DAYS = 24;

    static final int PERMIT_REMINDER_DAYS = 60;

    private final DataSource dataSource;
    private final RegisterKeys keys;
    private final Clock clock;
    private final ExitPathways exitPathways;

    public ProtectionRegister(DataSource dataSource, RegisterKeys keys, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.exitPathways = new ExitPathways(dataSource);
    }

    /** The exit pathway's chain of terms, in the register's database. */
    public ExitPathways exitPathways() {
        return exitPathways;
    }

    /** A running protection that a removal objective's person matched. */
    public record Match(
            long protection, Basis basis, ReferralId source, PartnerId carrier, Optional<LocalDate> endsOn) {}

    /** A reminder due: tell the partners that received {@code decision}. */
    public record Reminder(long protection, Notice notice, ReferralId decision, LocalDate until) {}

    /** Today, in the prefectures' calendar. */
    public LocalDate today() {
        return LocalDate.now(clock.withZone(ZONE));
    }

    /** The types that the register learns from. */
    public static boolean records(ReferralType type) {
        return switch (type) {
            case VICTIM_ORIENTATION,
                    REFLECTION_PERIOD_REQUEST,
                    RESIDENCE_PERMIT_SUPPORT,
                    REFLECTION_PERIOD_DECISION,
                    RESIDENCE_PERMIT_DECISION,
                    EXIT_PATHWAY_DECISION,
                    PROCEEDING_OUTCOME -> true;
            default -> false;
        };
    }

    /** The request type a decision answers; empty for any other type. */
    public static Optional<ReferralType> answered(ReferralType decision) {
        return switch (decision) {
            case REFLECTION_PERIOD_DECISION -> Optional.of(ReferralType.REFLECTION_PERIOD_REQUEST);
            case RESIDENCE_PERMIT_DECISION -> Optional.of(ReferralType.RESIDENCE_PERMIT_SUPPORT);
            case EXIT_PATHWAY_OPINION, EXIT_PATHWAY_DECISION -> Optional.of(ReferralType.EXIT_PATHWAY_APPLICATION);
            default -> Optional.empty();
        };
    }

    /**
     * The partner that made the request a decision answers, after checking that the request is of the type the
     * decision answers and that {@code decider} received it.
     *
     * @throws GatewayException {@code rule_violation} naming what the decision must refer to, the same whether
     *                          the request does not exist or the decider never received it
     */
    public PartnerId requester(ReferralType decision, ReferralId request, PartnerId decider) {
        ReferralType expected = answered(decision).orElseThrow();
        Optional<PartnerId> found = Transactions.inTransaction(dataSource, "find the request " + request, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT r.sender FROM referral r WHERE r.id = ?"
                    + " AND r.type = ? AND EXISTS (SELECT 1 FROM delivery d WHERE d.referral_id = r.id"
                    + " AND d.recipient = ? AND d.notice IS NULL)")) {
                select.setObject(1, request.value());
                select.setString(2, expected.code());
                select.setString(3, decider.value());
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? Optional.of(PartnerId.of(rs.getString(1))) : Optional.empty();
                }
            }
        });
        return found.orElseThrow(() -> new GatewayException(
                ErrorCode.RULE_VIOLATION,
                "requestReferralId does not"
                        + " name a " + expected + " that " + decider + " received through the gateway: a " + decision
                        + " answers such a request, and goes to the partner that made it (give the id of the request as"
                        + " your inbox showed it)"));
    }

    /**
     * What a carried referral tells the register, as work for the transaction that stores it; {@link
     * SubmissionStep#NONE} for a type the register does not learn from.
     *
     * @param sender    the partner that sent it: the carrier of what it shows
     * @param requester for a decision, the partner that made the request ({@link #requester})
     */
    public SubmissionStep recording(PartnerId sender, Referral referral, Optional<PartnerId> requester) {
        if (!records(referral.type())) {
            return SubmissionStep.NONE;
        }
        JsonNode body = referral.body();
        if (referral.type() == ReferralType.PROCEEDING_OUTCOME) {
            requireSupport(ReferralId.parse(body.path("supportReferralId").asText()));
        }
        boolean cardOpen = referral.type() == ReferralType.PROCEEDING_OUTCOME && finalConviction(body);
        JsonNode subject = body.path("subject");
        LocalDate today = today();
        Set<RegisterKeys.Token> tokens = keys.tokens(IdentityKeys.recorded(subject, today));
        String department = referral.department().code();
        return (c, id, now) -> {
            List<Write> writes = writes(referral.type(), body, id, sender, requester, today);
            List<String> bases = new ArrayList<>();
            for (Write write : writes) {
                long protection = write.apply(c, department, now);
                insertTokens(c, protection, tokens);
                bases.add(write.basis().code());
            }
            if (writes.isEmpty()) {
                return List.of();
            }
            // The bases only: which protections a referral showed, never whom they protect.
            AuditLog.Entry recorded = new AuditLog.Entry(
                    "gateway",
                    "protection.recorded",
                    Optional.of(id),
                    Map.of("bases", String.join(",", bases), "tokens", Integer.toString(tokens.size())));
            if (!cardOpen) {
                return List.of(recorded);
            }
            // The final conviction opens the ten-year resident card: the prefecture's copy is its request.
            return List.of(
                    recorded,
                    new AuditLog.Entry(
                            "gateway",
                            "protection.card-open",
                            Optional.of(id),
                            Map.of(
                                    "card",
                                    "resident-l425-3",
                                    "support",
                                    body.path("supportReferralId").asText())));
        };
    }

    /** Whether a {@code proceeding.outcome} tells of a final conviction: what opens the L.425-3 card. */
    static boolean finalConviction(JsonNode body) {
        JsonNode judgment = body.path("judgment");
        return judgment.path("outcome").asText().equals("convicted")
                && judgment.path("final").asBoolean(false);
    }

    /**
     * @throws GatewayException {@code rule_violation} when {@code support} names no residence permit support the
     *                          gateway carried
     */
    private void requireSupport(ReferralId support) {
        boolean found = Transactions.inTransaction(dataSource, "find the permit support " + support, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM referral WHERE id = ? AND type = ?")) {
                select.setObject(1, support.value());
                select.setString(2, ReferralType.RESIDENCE_PERMIT_SUPPORT.code());
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next();
                }
            }
        });
        if (!found) {
            throw new GatewayException(
                    ErrorCode.RULE_VIOLATION,
                    "supportReferralId does not name a residence.permit.support that the gateway carried: a"
                            + " proceeding.outcome relates to the permit support of the person (give its id as the"
                            + " gateway answered it to its sender)");
        }
    }

    /** The running protections of the person that {@code subject} describes, most absolute basis first. */
    public List<Match> matches(JsonNode subject) {
        LocalDate today = today();
        Set<RegisterKeys.Token> probes = keys.probes(IdentityKeys.probes(subject, today));
        if (probes.isEmpty()) {
            return List.of();
        }
        return Transactions.inTransaction(dataSource, "look up the protection register", c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT DISTINCT p.id, p.basis, p.source_referral,"
                    + " p.carrier, p.ends_on FROM protection p JOIN protection_token t ON t.protection_id = p.id"
                    + " WHERE t.token = ANY (?) AND (p.ends_on IS NULL OR p.ends_on >= ?) ORDER BY p.id")) {
                select.setArray(
                        1,
                        c.createArrayOf(
                                "bytea",
                                probes.stream().map(RegisterKeys.Token::value).toArray(byte[][]::new)));
                select.setObject(2, today);
                List<Match> found = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        found.add(new Match(
                                rs.getLong(1),
                                Basis.fromCode(rs.getString(2)),
                                new ReferralId(rs.getObject(3, UUID.class)),
                                PartnerId.of(rs.getString(4)),
                                Optional.ofNullable(rs.getObject(5, LocalDate.class))));
                    }
                }
                found.sort(java.util.Comparator.comparing(Match::basis));
                return found;
            }
        });
    }

    /** How many protections the register holds, running or ended: the only figure it shows. */
    public long size() {
        return Transactions.inTransaction(dataSource, "count the protection register", c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT count(*) FROM protection");
                    ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    /** Reminders due today or before and not sent yet, oldest first. */
    public List<Reminder> dueReminders(int limit) {
        LocalDate today = today();
        return Transactions.inTransaction(dataSource, "find the register's due reminders", c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT id, remind_notice, remind_referral, ends_on"
                    + " FROM protection WHERE reminded_at IS NULL AND remind_on <= ? AND (ends_on IS NULL"
                    + " OR ends_on >= ?) ORDER BY remind_on, id LIMIT ?")) {
                select.setObject(1, today);
                select.setObject(2, today);
                select.setInt(3, limit);
                List<Reminder> due = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        due.add(new Reminder(
                                rs.getLong(1),
                                Notice.fromCode(rs.getString(2)),
                                new ReferralId(rs.getObject(3, UUID.class)),
                                rs.getObject(4, LocalDate.class)));
                    }
                }
                return due;
            }
        });
    }

    /**
     * Marks a reminder sent and runs {@code store} (which stores its notices) in the same transaction, once however
     * many instances try.
     *
     * @return false, doing nothing, when another instance sent it first
     */
    public boolean remind(Reminder reminder, Transactions.Work<String> store) {
        Instant now = clock.instant();
        return Transactions.inTransaction(dataSource, "send reminder of protection " + reminder.protection(), c -> {
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE protection SET reminded_at = ?" + " WHERE id = ? AND reminded_at IS NULL")) {
                update.setObject(1, java.time.OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC));
                update.setLong(2, reminder.protection());
                if (update.executeUpdate() == 0) {
                    return false;
                }
            }
            String notified = store.run(c);
            AuditLog.append(
                    c,
                    "gateway",
                    "protection.reminded",
                    Optional.of(reminder.decision()),
                    Map.of(
                            "notice",
                            reminder.notice().code(),
                            "until",
                            reminder.until().toString(),
                            "notified",
                            notified));
            return true;
        });
    }

    /** How many tokens each register key made, by key id: a key is retired only once none uses it. */
    public Map<String, Long> tokenUsage() {
        return Transactions.inTransaction(dataSource, "count the register's tokens by key", c -> {
            Map<String, Long> usage = new java.util.TreeMap<>();
            try (PreparedStatement select =
                            c.prepareStatement("SELECT key_id, count(*) FROM protection_token" + " GROUP BY key_id");
                    ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    usage.put(rs.getString(1), rs.getLong(2));
                }
            }
            return usage;
        });
    }

    /** A reminder to store with a protection: what, on which day, to the recipients of which decision. */
    private record Remind(Notice notice, LocalDate on, ReferralId decision) {}

    /** One protection to insert, or to update when its source already has one of its basis. */
    private record Write(
            ReferralId source,
            Basis basis,
            PartnerId carrier,
            Optional<LocalDate> startsOn,
            Optional<LocalDate> endsOn,
            Optional<Remind> remind) {

        Write(
                ReferralId source,
                Basis basis,
                PartnerId carrier,
                Optional<LocalDate> startsOn,
                Optional<LocalDate> endsOn) {
            this(source, basis, carrier, startsOn, endsOn, Optional.empty());
        }

        long apply(Connection c, String department, Instant now) throws SQLException {
            try (PreparedStatement upsert = c.prepareStatement("INSERT INTO protection (basis, source_referral,"
                    + " carrier, department, starts_on, ends_on, remind_on, remind_notice, remind_referral,"
                    + " recorded_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (source_referral, basis) DO UPDATE SET starts_on = COALESCE(EXCLUDED.starts_on,"
                    + " protection.starts_on), ends_on = EXCLUDED.ends_on, remind_on = EXCLUDED.remind_on,"
                    + " remind_notice = EXCLUDED.remind_notice, remind_referral = EXCLUDED.remind_referral,"
                    + " reminded_at = CASE WHEN EXCLUDED.remind_on IS DISTINCT FROM protection.remind_on THEN NULL"
                    + " ELSE protection.reminded_at END, updated_at = EXCLUDED.updated_at RETURNING id")) {
                java.time.OffsetDateTime at = java.time.OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC);
                upsert.setString(1, basis.code());
                upsert.setObject(2, source.value());
                upsert.setString(3, carrier.value());
                upsert.setString(4, department);
                upsert.setObject(5, startsOn.orElse(null));
                upsert.setObject(6, endsOn.orElse(null));
                upsert.setObject(7, remind.map(Remind::on).orElse(null));
                upsert.setString(8, remind.map(r -> r.notice().code()).orElse(null));
                upsert.setObject(9, remind.map(r -> r.decision().value()).orElse(null));
                upsert.setObject(10, at);
                upsert.setObject(11, at);
                try (ResultSet rs = upsert.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }
    }

    /** What a referral of this type records, minority included. */
    private static List<Write> writes(
            ReferralType type,
            JsonNode body,
            ReferralId id,
            PartnerId sender,
            Optional<PartnerId> requester,
            LocalDate today) {
        List<Write> writes = new ArrayList<>();
        switch (type) {
            case VICTIM_ORIENTATION, REFLECTION_PERIOD_REQUEST -> writes.add(new Write(
                    id,
                    Basis.REFLECTION_PERIOD,
                    sender,
                    IsoDates.of(body.path("choice").path("chosenAt")),
                    Optional.empty()));
            case RESIDENCE_PERMIT_SUPPORT -> writes.add(
                    new Write(id, Basis.PERMIT, sender, Optional.empty(), Optional.empty()));
            case REFLECTION_PERIOD_DECISION -> {
                ReferralId request = request(body);
                PartnerId carrier = requester.orElse(sender);
                JsonNode receipt = body.path("receipt");
                Optional<LocalDate> handover = IsoDates.of(receipt.path("handedOverOn"));
                Optional<LocalDate> early = IsoDates.of(body.path("earlyEnd").path("on"));
                // The last protected day: the period's end, or the day before the prefect ended it.
                Optional<LocalDate> ends = early.map(d -> d.minusDays(1)).or(() -> IsoDates.of(receipt.path("endsOn")));
                // Day 25 of the period, the handover being day 1; none once the prefect ended it early.
                Optional<Remind> remind = early.isPresent() || ends.isEmpty()
                        ? Optional.empty()
                        : handover.map(h ->
                                new Remind(Notice.REFLECTION_PERIOD_ENDING, h.plusDays(REFLECTION_REMINDER_DAYS), id));
                writes.add(new Write(request, Basis.REFLECTION_PERIOD, carrier, handover, ends, remind));
            }
            case RESIDENCE_PERMIT_DECISION -> {
                ReferralId request = request(body);
                PartnerId carrier = requester.orElse(sender);
                JsonNode decision = body.path("decision");
                Optional<LocalDate> decidedOn = IsoDates.of(decision.path("decidedOn"));
                if (decision.path("outcome").asText().equals("refused")) {
                    writes.add(new Write(
                            request,
                            Basis.PERMIT,
                            carrier,
                            Optional.empty(),
                            Optional.of(decidedOn.orElse(today).minusDays(1))));
                } else {
                    JsonNode card = body.path("card");
                    Optional<LocalDate> until = IsoDates.of(card.path("validUntil"));
                    Optional<Remind> remind =
                            until.map(u -> new Remind(Notice.PERMIT_EXPIRING, u.minusDays(PERMIT_REMINDER_DAYS), id));
                    Basis basis = card.path("kind").asText().equals("aps-l425-4") ? Basis.EXIT_PATHWAY : Basis.PERMIT;
                    writes.add(new Write(request, basis, carrier, IsoDates.of(card.path("validFrom")), until, remind));
                    if (basis == Basis.EXIT_PATHWAY) {
                        // The permit request was answered by an authorisation of another kind, which protects now.
                        writes.add(new Write(
                                request,
                                Basis.PERMIT,
                                carrier,
                                Optional.empty(),
                                Optional.of(decidedOn.orElse(today).minusDays(1))));
                    }
                }
            }
            case EXIT_PATHWAY_DECISION -> exitPathway(body, id, requester.orElse(sender))
                    .ifPresent(writes::add);
            case PROCEEDING_OUTCOME -> {
                // A final conviction: the permit protection of the support runs on, open-ended, while the
                // prefecture examines the L.425-3 card; an acquittal or a dismissal changes nothing here.
                if (finalConviction(body)) {
                    ReferralId support =
                            ReferralId.parse(body.path("supportReferralId").asText());
                    writes.add(new Write(support, Basis.PERMIT, sender, Optional.empty(), Optional.empty()));
                }
            }
            default -> {
                // Nothing else protects.
            }
        }
        minority(id, sender, body, today).ifPresent(writes::add);
        return writes;
    }

    /**
     * What an exit-pathway decision with an APS records (CESEDA L.425-4), keyed by the application it answers: a
     * term granted or renewed protects from its first to its last day; an ended one stops on the pathway's last
     * day. Without an APS (a French person, or one who holds a residence
     * card), it records nothing: no removal concerns her on this basis.
     */
    private static Optional<Write> exitPathway(JsonNode body, ReferralId id, PartnerId carrier) {
        JsonNode aps = body.path("aps");
        if (!aps.isObject()) {
            return Optional.empty();
        }
        JsonNode term = body.path("term");
        Optional<LocalDate> termEnd = IsoDates.of(term.path("until"));
        if (aps.path("action").asText().equals("end")) {
            return Optional.of(
                    new Write(request(body), Basis.EXIT_PATHWAY, carrier, Optional.empty(), termEnd, Optional.empty()));
        }
        // The reminder to apply for renewal is the exit pathway's own (ExitPathways), with or without an APS.
        return Optional.of(new Write(
                request(body),
                Basis.EXIT_PATHWAY,
                carrier,
                IsoDates.of(aps.path("validFrom")).or(() -> IsoDates.of(term.path("from"))),
                IsoDates.of(aps.path("validUntil")).or(() -> termEnd)));
    }

    /**
     * The minority the gateway decides ({@link Minority}), if any: until the day before her 18th birthday when her
     * birth date shows a minor; open otherwise (an estimated age, the sender's flag, or sources that disagree: the
     * person is presumed a minor, and the doubt benefits her).
     */
    private static Optional<Write> minority(ReferralId id, PartnerId carrier, JsonNode body, LocalDate today) {
        Minority minority = Minority.of(body, today);
        if (!minority.treatedAsMinor()) {
            return Optional.empty();
        }
        Optional<LocalDate> until = minority == Minority.MINOR
                ? IsoDates.of(body.path("subject").path("birthDate"))
                        .map(b -> b.plusYears(18).minusDays(1))
                : Optional.empty();
        return Optional.of(new Write(id, Basis.MINOR, carrier, Optional.empty(), until));
    }

    private static ReferralId request(JsonNode body) {
        return ReferralId.parse(body.path("requestReferralId").asText());
    }

    private static void insertTokens(Connection c, long protection, Set<RegisterKeys.Token> tokens)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO protection_token (protection_id, key_id,"
                + " token) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            for (RegisterKeys.Token token : tokens) {
                insert.setLong(1, protection);
                insert.setString(2, token.keyId());
                insert.setBytes(3, token.value());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
