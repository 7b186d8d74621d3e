package fr.passerelle.core.protection;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.internal.Transactions;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.core.referral.IsoDates;
import fr.passerelle.core.referral.Referral;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.store.SubmissionStep;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The exit pathway's chain (CASF L.121-9): who may apply, which decision a renewal follows, the 24 months, and the
 * reminder 45 days before a term ends, with or without an APS. The
 * gateway keeps for it ids, codes and dates only (tables {@code exit_pathway_application} and
 * {@code exit_pathway_term}), which outlive the purge of the referrals' content. A decision's own rules (a term of 6
 * months at most, an APS and an AFIS that agree with the outcome) are the validator's.
 *
 * <p>Thread-safe; checks read in their own transaction, records join the submission's.
 */
public final class ExitPathways {
    /** The prefectoral approval an association needs to apply (partner files, {@code approvals:}). */
    public static final String APPROVAL = "exit-pathway";
    /** How long the pathway lasts at most, renewals included (CASF L.121-9). */
    static final int TOTAL_MONTHS = 24;
    /**
     * The partners that received a decision are reminded this many days before its term ends: time for the
     * association to present the renewal to the commission, which meets about once a month.
     */
    static final int REMINDER_DAYS = 45;

    static final String RENEWAL_OVERLAPS = "exit-pathway renewal overlaps: term.from is on or before the last day"
            + " of the term it renews; begin the renewed term the day after the renewed one ends (CASF L.121-9)";
    static final String LONGER_THAN_24_MONTHS = "exit-pathway longer than 24 months: term.until is more than 24"
            + " months after the first day of the pathway (term.from of its first decision), and the pathway lasts 24"
            + " months at most, renewals included (CASF L.121-9); end the term within 24 months of that day, less one"
            + " day, or refuse the renewal";

    private final DataSource dataSource;

    ExitPathways(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Whether a decision's route to {@code kind} delivers beside the association that applied: the foreigners'
     * department for the APS and the CAF for the AFIS. Every other recipient of a decision is the requester alone.
     */
    public static boolean besideRequester(ReferralType type, PartnerKind kind) {
        return type == ReferralType.EXIT_PATHWAY_DECISION
                && (kind == PartnerKind.PREFECTURE || kind == PartnerKind.CAF);
    }

    /**
     * Whether a recipient of {@code kind} needs this referral at all: the foreigners' department only an application
     * that asks for an APS or a decision that carries one, the CAF only a decision that carries the AFIS. A route
     * says who may receive; this says when.
     */
    public static boolean needs(Referral referral, PartnerKind kind) {
        JsonNode body = referral.body();
        return switch (referral.type()) {
            case EXIT_PATHWAY_APPLICATION -> kind != PartnerKind.PREFECTURE
                    || body.path("requests").path("aps").asBoolean(false);
            case EXIT_PATHWAY_DECISION -> switch (kind) {
                case PREFECTURE -> body.path("aps").isObject();
                case CAF -> body.path("afis").isObject();
                default -> true;
            };
            default -> true;
        };
    }

    /**
     * Checks an application: its sender holds a running exit-pathway approval for the department, and a renewal
     * names a decision that granted or renewed a term, that the sender received and that no granted renewal
     * followed yet.
     *
     * @return the work that records the application with the submission
     * @throws GatewayException {@code rule_violation} naming the rule and the fix
     */
    public SubmissionStep application(Partner sender, Referral referral, LocalDate today) {
        if (!sender.holds(APPROVAL, referral.department(), today)) {
            throw new GatewayException(
                    ErrorCode.RULE_VIOLATION,
                    "exit-pathway approval missing: " + sender.id() + " holds no running " + APPROVAL
                            + " approval for department " + referral.department() + ", and only an association the"
                            + " prefect approved presents an application to the commission (CASF L.121-9); the"
                            + " gateway's administrator records the approval and its expiry in the partner file"
                            + " (approvals:)");
        }
        JsonNode application = referral.body().path("application");
        String kind = application.path("kind").asText();
        Optional<ReferralId> renews = kind.equals("renewal")
                ? Optional.of(
                        ReferralId.parse(application.path("renewsDecisionId").asText()))
                : Optional.empty();
        renews.ifPresent(decision -> renewable(decision, sender.id()));
        String department = referral.department().code();
        return (c, id, now) -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO exit_pathway_application (application,"
                    + " association, department, kind, renews_decision, recorded_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                insert.setObject(1, id.value());
                insert.setString(2, sender.id().value());
                insert.setString(3, department);
                insert.setString(4, kind);
                insert.setObject(5, renews.map(ReferralId::value).orElse(null));
                insert.setObject(6, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                insert.executeUpdate();
            }
            return List.of();
        };
    }

    /**
     * Checks a decision on {@code application} (which the sender received: {@link ProtectionRegister#requester}):
     * granted answers an initial application and renewed a renewal, once each; a renewal's term begins after the
     * term it renews and ends within 24 months of the pathway's first day; ended ends a term the application opened.
     *
     * @return the work that records the term with the submission; none for a refusal
     * @throws GatewayException {@code rule_violation} naming the rule and the fix
     */
    public SubmissionStep decision(ReferralId application, Referral referral) {
        JsonNode body = referral.body();
        String outcome = body.path("decision").path("outcome").asText();
        if (outcome.equals("refused")) {
            return SubmissionStep.NONE;
        }
        LocalDate from = IsoDates.of(body.path("term").path("from")).orElseThrow();
        LocalDate until = IsoDates.of(body.path("term").path("until")).orElseThrow();
        Chain chain = Transactions.inTransaction(dataSource, "check the exit pathway of " + application, c -> {
            Optional<Applied> applied = applied(c, application);
            Optional<Term> current = term(c, application, "outcome IN ('granted', 'renewed')");
            return switch (outcome) {
                case "granted" -> granted(applied, current, from);
                case "renewed" -> renewed(c, applied, current, from, until);
                default -> ended(current);
            };
        });
        boolean ends = outcome.equals("ended");
        return (c, id, now) -> {
            if (chain.previous().isPresent()) {
                // A term renewed or ended needs no reminder any more.
                try (PreparedStatement clear = c.prepareStatement("UPDATE exit_pathway_term SET remind_on = NULL"
                        + " WHERE decision = ? AND reminded_at IS NULL")) {
                    clear.setObject(1, chain.previous().get().value());
                    clear.executeUpdate();
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO exit_pathway_term (decision, application,"
                    + " outcome, first_decision, pathway_starts_on, starts_on, ends_on, remind_on, recorded_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setObject(1, id.value());
                insert.setObject(2, application.value());
                insert.setString(3, outcome);
                insert.setObject(4, chain.firstDecision().orElse(id).value());
                insert.setObject(5, chain.startsOn());
                insert.setObject(6, ends ? null : from);
                insert.setObject(7, until);
                insert.setObject(8, ends ? null : until.minusDays(REMINDER_DAYS));
                insert.setObject(9, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                insert.executeUpdate();
            }
            return List.of();
        };
    }

    /**
     * Checks a renewed term {@code from}–{@code until} against the term it renews, which ends on {@code renewedEnd},
     * in a pathway that began on {@code pathwayStart}: it begins after the renewed term and ends within 24 months.
     *
     * @throws GatewayException {@code rule_violation} naming the rule and the fix
     */
    static void renewal(LocalDate renewedEnd, LocalDate pathwayStart, LocalDate from, LocalDate until) {
        if (!from.isAfter(renewedEnd)) {
            throw violation(RENEWAL_OVERLAPS);
        }
        if (until.isAfter(lastDay(pathwayStart))) {
            throw violation(LONGER_THAN_24_MONTHS);
        }
    }

    /** A reminder due: tell the partners that received {@code decision} that its term ends on {@code until}. */
    public record Reminder(ReferralId decision, LocalDate until) {}

    /** Reminders due on {@code today} or before and not sent yet, for terms not over, oldest first. */
    public List<Reminder> dueReminders(LocalDate today, int limit) {
        return Transactions.inTransaction(dataSource, "find the exit pathway's due reminders", c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT decision, ends_on FROM exit_pathway_term"
                    + " WHERE reminded_at IS NULL AND remind_on <= ? AND ends_on >= ? ORDER BY remind_on, decision"
                    + " LIMIT ?")) {
                select.setObject(1, today);
                select.setObject(2, today);
                select.setInt(3, limit);
                List<Reminder> due = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        due.add(new Reminder(
                                new ReferralId(rs.getObject(1, UUID.class)), rs.getObject(2, LocalDate.class)));
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
    public boolean remind(Reminder reminder, Instant now, Transactions.Work<String> store) {
        return Transactions.inTransaction(dataSource, "send the exit-pathway reminder of " + reminder.decision(), c -> {
            try (PreparedStatement update = c.prepareStatement("UPDATE exit_pathway_term SET reminded_at = ?"
                    + " WHERE decision = ? AND reminded_at IS NULL AND remind_on IS NOT NULL")) {
                update.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                update.setObject(2, reminder.decision().value());
                if (update.executeUpdate() == 0) {
                    return false;
                }
            }
            String notified = store.run(c);
            AuditLog.append(
                    c,
                    "gateway",
                    "exit-pathway.reminded",
                    Optional.of(reminder.decision()),
                    Map.of("until", reminder.until().toString(), "notified", notified));
            return true;
        });
    }

    /** The last day of a pathway that began on {@code startsOn}. */
    static LocalDate lastDay(LocalDate startsOn) {
        return startsOn.plusMonths(TOTAL_MONTHS).minusDays(1);
    }

    /** An application the gateway recorded: for a renewal, the decision it renews. */
    private record Applied(Optional<ReferralId> renews) {}

    /** A term the gateway recorded. */
    private record Term(ReferralId decision, ReferralId firstDecision, LocalDate pathwayStartsOn, LocalDate endsOn) {}

    /**
     * Where a new term stands in its chain: its first decision (empty: itself), the pathway's first day, and the
     * decision of the term it renews or ends, if any.
     */
    private record Chain(Optional<ReferralId> firstDecision, LocalDate startsOn, Optional<ReferralId> previous) {}

    private static Chain granted(Optional<Applied> applied, Optional<Term> current, LocalDate from) {
        if (applied.filter(a -> a.renews().isPresent()).isPresent()) {
            throw violation("exit-pathway outcome does not fit the application: decision.outcome is granted but the"
                    + " application asks for a renewal; answer a renewal with renewed (CASF L.121-9)");
        }
        once(current);
        return new Chain(Optional.empty(), from, Optional.empty());
    }

    private static Chain renewed(
            Connection c, Optional<Applied> applied, Optional<Term> current, LocalDate from, LocalDate until)
            throws SQLException {
        if (applied.flatMap(Applied::renews).isEmpty()) {
            throw violation("exit-pathway outcome does not fit the application: decision.outcome is renewed but the"
                    + " application is not a renewal; answer an initial application with granted (CASF L.121-9)");
        }
        once(current);
        ReferralId renewedDecision = applied.get().renews().orElseThrow();
        Term previous = decided(c, renewedDecision)
                .orElseThrow(() -> violation("exit-pathway renewal without its term: the decision the application"
                        + " renews opened no term the gateway knows; check application.renewsDecisionId"));
        renewal(previous.endsOn(), previous.pathwayStartsOn(), from, until);
        return new Chain(
                Optional.of(previous.firstDecision()), previous.pathwayStartsOn(), Optional.of(previous.decision()));
    }

    private static Chain ended(Optional<Term> current) {
        Term term = current.orElseThrow(() -> violation("exit-pathway end without a term: decision.outcome is ended"
                + " but the application it answers opened no term; end the pathway by answering the application of"
                + " its current term (CASF L.121-9)"));
        return new Chain(Optional.of(term.firstDecision()), term.pathwayStartsOn(), Optional.of(term.decision()));
    }

    private static void once(Optional<Term> current) {
        if (current.isPresent()) {
            throw violation("exit-pathway application already decided: a decision already granted or renewed a term on"
                    + " this application; to go on, the association applies for a renewal, and to stop, answer with"
                    + " ended (CASF L.121-9)");
        }
    }

    /** A renewal names a decision that opened a term, that the association received, and that is not renewed yet. */
    private void renewable(ReferralId decision, PartnerId association) {
        boolean ok = Transactions.inTransaction(dataSource, "find the renewed decision " + decision, c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT 1 FROM exit_pathway_term t WHERE t.decision = ?"
                    + " AND t.outcome IN ('granted', 'renewed') AND EXISTS (SELECT 1 FROM delivery d WHERE"
                    + " d.referral_id = t.decision AND d.recipient = ? AND d.notice IS NULL)")) {
                select.setObject(1, decision.value());
                select.setString(2, association.value());
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                }
            }
            try (PreparedStatement renewed = c.prepareStatement("SELECT 1 FROM exit_pathway_application a JOIN"
                    + " exit_pathway_term t ON t.application = a.application AND t.outcome = 'renewed'"
                    + " WHERE a.renews_decision = ?")) {
                renewed.setObject(1, decision.value());
                try (ResultSet rs = renewed.executeQuery()) {
                    if (rs.next()) {
                        throw violation("exit-pathway term already renewed: the decision that"
                                + " application.renewsDecisionId names was renewed already; name the decision of the"
                                + " current term, the last renewal (CASF L.121-9)");
                    }
                }
            }
            return true;
        });
        if (!ok) {
            throw violation("exit-pathway renewal without its decision: application.renewsDecisionId does not name an"
                    + " exit.pathway.decision that granted or renewed a term and that " + association + " received"
                    + " through the gateway; a renewal follows the decision of the current term (give its id as your"
                    + " inbox showed it)");
        }
    }

    /** The application as recorded: empty when the gateway never recorded it. */
    private static Optional<Applied> applied(Connection c, ReferralId application) throws SQLException {
        try (PreparedStatement select =
                c.prepareStatement("SELECT renews_decision FROM exit_pathway_application WHERE application = ?")) {
            select.setObject(1, application.value());
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Applied(
                        Optional.ofNullable(rs.getObject(1, UUID.class)).map(ReferralId::new)));
            }
        }
    }

    private static Optional<Term> term(Connection c, ReferralId application, String which) throws SQLException {
        return select(c, "application = ? AND " + which, application);
    }

    private static Optional<Term> decided(Connection c, ReferralId decision) throws SQLException {
        return select(c, "decision = ? AND outcome IN ('granted', 'renewed')", decision);
    }

    private static Optional<Term> select(Connection c, String where, ReferralId id) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT decision, first_decision, pathway_starts_on,"
                + " ends_on FROM exit_pathway_term WHERE " + where)) {
            select.setObject(1, id.value());
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Term(
                        new ReferralId(rs.getObject(1, UUID.class)),
                        new ReferralId(rs.getObject(2, UUID.class)),
                        rs.getObject(3, LocalDate.class),
                        rs.getObject(4, LocalDate.class)));
            }
        }
    }

    private static GatewayException violation(String message) {
        return new GatewayException(ErrorCode.RULE_VIOLATION, message);
    }
}
