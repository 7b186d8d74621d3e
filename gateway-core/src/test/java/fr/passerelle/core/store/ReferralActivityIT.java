package fr.passerelle.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.config.model.DeadlineRule;
import fr.passerelle.core.config.model.Recipient;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.receipt.Receipts;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.Domain;
import fr.passerelle.core.referral.ReceiptStatus;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import fr.passerelle.core.testkit.FakeClock;
import fr.passerelle.core.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReferralActivityIT {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    /** A Thursday. */
    private static final LocalDate TODAY = LocalDate.parse("2026-12-03");

    private static final Set<ReferralType> VICTIM_SUPPORT = EnumSet.allOf(ReferralType.class).stream()
            .filter(t -> t.domain() == Domain.VICTIM_SUPPORT)
            .collect(Collectors.toUnmodifiableSet());
    private static final DeadlineRule SHELTER = new DeadlineRule(
            ReferralType.SHELTER_REQUEST,
            Set.of(Urgency.URGENT),
            Optional.of(Duration.ofHours(2)),
            List.of(new Recipient.Named(PartnerId.of("monitoring-centre-de-veille"))),
            Optional.of(Duration.ofDays(2)));

    private final FakeClock clock = new FakeClock(Instant.parse("2026-12-03T10:00:00Z"));
    private final JdbcReferralStore store = new JdbcReferralStore(TestDatabase.dataSource(), clock, TestKeys.cipher());
    private final Receipts receipts = new Receipts(TestDatabase.dataSource(), clock);
    private final ReferralActivity activity = new ReferralActivity(TestDatabase.dataSource());

    @BeforeEach
    void emptyTables() {
        TestDatabase.reset();
    }

    @Test
    void countsTheReferralsOfTheDayAndOfTheWeekFromMondayInParisByStatus() {
        submitAt("2026-11-29T22:30:00Z", ReferralType.SHELTER_REQUEST, Urgency.URGENT); // Sunday 23:30 in Paris
        submitAt("2026-11-29T23:30:00Z", ReferralType.SHELTER_REQUEST, Urgency.URGENT); // Monday 00:30
        submitAt("2026-12-02T22:59:00Z", ReferralType.VICTIM_ORIENTATION, Urgency.URGENT); // Wednesday 23:59
        ReferralId accepted = submitAt("2026-12-02T23:00:00Z", ReferralType.SHELTER_REQUEST, Urgency.URGENT);
        submitAt("2026-12-03T09:00:00Z", ReferralType.SHELTER_REQUEST, Urgency.ROUTINE);
        submitAt("2026-12-03T09:30:00Z", ReferralType.REMOVAL_OBJECTIVE, Urgency.URGENT);
        receipts.record(accepted, Referrals.SIAO, ReceiptStatus.ACCEPTED, Optional.empty());

        ReferralActivity.Counts counts = activity.counts(TODAY, PARIS, VICTIM_SUPPORT);

        assertThat(counts.dayStart()).isEqualTo(Instant.parse("2026-12-02T23:00:00Z"));
        assertThat(counts.weekStart()).isEqualTo(Instant.parse("2026-11-29T23:00:00Z"));
        assertThat(counts.byStatus())
                .containsExactly(
                        new ReferralActivity.StatusCount("routed", 1, 3),
                        new ReferralActivity.StatusCount("accepted", 1, 1));
        assertThat(counts.today()).isEqualTo(2);
        assertThat(counts.week()).isEqualTo(4);
        assertThat(activity.counts(TODAY, PARIS, EnumSet.allOf(ReferralType.class))
                        .week())
                .as("the police and justice domain's removal objective too")
                .isEqualTo(5);
    }

    @Test
    void startsTheWeekOnTheDayItselfOnAMonday() {
        submitAt("2026-11-29T23:30:00Z", ReferralType.SHELTER_REQUEST, Urgency.URGENT);

        ReferralActivity.Counts counts = activity.counts(LocalDate.parse("2026-11-30"), PARIS, VICTIM_SUPPORT);

        assertThat(counts.weekStart()).isEqualTo(counts.dayStart());
        assertThat(counts.today()).isEqualTo(1);
        assertThat(counts.week()).isEqualTo(1);
    }

    @Test
    void findsTheReferralsWhoseDeadlinePassesInTheWindowSoonestFirst() {
        // Acknowledgements due at 10:30 and 11:30; the expiry, at 11:00, of one acknowledged two days ago.
        ReferralId soonest = submitAt("2026-12-03T08:30:00Z", ReferralType.SHELTER_REQUEST, Urgency.URGENT);
        ReferralId later = submitAt("2026-12-03T09:30:00Z", ReferralType.SHELTER_REQUEST, Urgency.URGENT);
        ReferralId expiring = submitAt("2026-12-01T11:00:00Z", ReferralType.SHELTER_REQUEST, Urgency.URGENT);
        receipts.record(expiring, Referrals.SIAO, ReceiptStatus.RECEIVED, Optional.empty());
        // Not due: already past (the watch is about to escalate it), escalated, accepted, not watched, too late.
        submitAt("2026-12-03T07:00:00Z", ReferralType.SHELTER_REQUEST, Urgency.URGENT);
        ReferralId escalated = submitAt("2026-12-03T09:00:00Z", ReferralType.SHELTER_REQUEST, Urgency.URGENT);
        escalate(escalated, Instant.parse("2026-12-03T09:59:00Z"));
        ReferralId accepted = submitAt("2026-12-03T09:45:00Z", ReferralType.SHELTER_REQUEST, Urgency.URGENT);
        receipts.record(accepted, Referrals.SIAO, ReceiptStatus.ACCEPTED, Optional.empty());
        submitAt("2026-12-03T09:00:00Z", ReferralType.SHELTER_REQUEST, Urgency.ROUTINE);
        submitAt("2026-12-03T09:00:00Z", ReferralType.VICTIM_ORIENTATION, Urgency.URGENT);
        at("2026-12-03T10:00:00Z");

        ReferralActivity.DueSoon due =
                activity.dueSoon(List.of(SHELTER), clock.instant(), Duration.ofHours(24), VICTIM_SUPPORT, 2);

        assertThat(due.count()).isEqualTo(3);
        assertThat(due.first())
                .containsExactly(
                        new ReferralActivity.Due(
                                soonest,
                                Instant.parse("2026-12-03T10:30:00Z"),
                                ReferralActivity.Deadline.ACKNOWLEDGEMENT),
                        new ReferralActivity.Due(
                                expiring, Instant.parse("2026-12-03T11:00:00Z"), ReferralActivity.Deadline.EXPIRY));
        assertThat(activity.dueSoon(List.of(SHELTER), clock.instant(), Duration.ofHours(24), VICTIM_SUPPORT, 10)
                        .first())
                .last()
                .isEqualTo(new ReferralActivity.Due(
                        later, Instant.parse("2026-12-03T11:30:00Z"), ReferralActivity.Deadline.ACKNOWLEDGEMENT));
    }

    @Test
    void countsAReferralOnceAtTheFirstOfItsDeadlinesInTheWindow() {
        DeadlineRule immediate = new DeadlineRule(
                ReferralType.SHELTER_REQUEST,
                Set.of(Urgency.IMMEDIATE),
                Optional.of(Duration.ofMinutes(30)),
                List.of(new Recipient.Named(PartnerId.of("monitoring-centre-de-veille"))),
                Optional.of(Duration.ofHours(24)));
        ReferralId id = submitAt("2026-12-03T09:59:59Z", ReferralType.SHELTER_REQUEST, Urgency.IMMEDIATE);
        at("2026-12-03T10:00:00Z");

        ReferralActivity.DueSoon due =
                activity.dueSoon(List.of(immediate), clock.instant(), Duration.ofHours(24), VICTIM_SUPPORT, 5);

        assertThat(due)
                .isEqualTo(new ReferralActivity.DueSoon(
                        1,
                        List.of(new ReferralActivity.Due(
                                id,
                                Instant.parse("2026-12-03T10:29:59Z"),
                                ReferralActivity.Deadline.ACKNOWLEDGEMENT))));
    }

    @Test
    void findsNoDeadlineOutsideTheAdministratorsDomainsOrWithoutRules() {
        submitAt("2026-12-03T09:30:00Z", ReferralType.SHELTER_REQUEST, Urgency.URGENT);

        Set<ReferralType> policeJustice = EnumSet.complementOf(EnumSet.copyOf(VICTIM_SUPPORT));

        assertThat(activity.dueSoon(List.of(SHELTER), clock.instant(), Duration.ofHours(24), policeJustice, 5))
                .isEqualTo(new ReferralActivity.DueSoon(0, List.of()));
        assertThat(activity.dueSoon(List.of(), clock.instant(), Duration.ofHours(24), VICTIM_SUPPORT, 5))
                .isEqualTo(new ReferralActivity.DueSoon(0, List.of()));
    }

    @Test
    void listsTheEscalationsSinceADateLatestFirstWithinTheDomains() {
        ReferralId old = submitAt("2026-11-20T08:00:00Z", ReferralType.SHELTER_REQUEST, Urgency.URGENT);
        escalate(old, Instant.parse("2026-11-20T10:00:00Z"));
        ReferralId first = submitAt("2026-12-01T08:00:00Z", ReferralType.SHELTER_REQUEST, Urgency.URGENT);
        escalate(first, Instant.parse("2026-12-01T10:00:00Z"));
        ReferralId second = submitAt("2026-12-02T08:00:00Z", ReferralType.VICTIM_ORIENTATION, Urgency.URGENT);
        escalate(second, Instant.parse("2026-12-02T10:00:00Z"));
        ReferralId police = submitAt("2026-12-02T08:00:00Z", ReferralType.REMOVAL_OBJECTIVE, Urgency.URGENT);
        escalate(police, Instant.parse("2026-12-02T11:00:00Z"));

        ReferralActivity.Escalations escalations =
                activity.escalatedSince(Instant.parse("2026-11-26T10:00:00Z"), VICTIM_SUPPORT, 5);

        assertThat(escalations.count()).isEqualTo(2);
        assertThat(escalations.latest())
                .containsExactly(
                        new ReferralActivity.Escalation(second, Instant.parse("2026-12-02T10:00:00Z")),
                        new ReferralActivity.Escalation(first, Instant.parse("2026-12-01T10:00:00Z")));
    }

    private ReferralId submitAt(String instant, ReferralType type, Urgency urgency) {
        at(instant);
        ReferralId id = ReferralId.random();
        store.submit(new NewReferral(
                id,
                Referrals.POLICE,
                type,
                Department.of("75"),
                urgency,
                Optional.empty(),
                Referrals.digest(1),
                "{}".getBytes(StandardCharsets.UTF_8),
                "application/json",
                List.of(Referrals.delivery(Referrals.SIAO, "route-siao"))));
        return id;
    }

    private void at(String instant) {
        clock.advance(Duration.between(clock.instant(), Instant.parse(instant)));
    }

    /** What the deadline watch marks on a referral it escalates. */
    private static void escalate(ReferralId id, Instant at) {
        try (Connection c = TestDatabase.dataSource().getConnection();
                PreparedStatement update = c.prepareStatement("UPDATE referral SET escalated_at = ? WHERE id = ?")) {
            update.setObject(1, JdbcReferralStore.timestamp(at));
            update.setObject(2, id.value());
            update.executeUpdate();
        } catch (SQLException e) {
            throw new AssertionError("cannot escalate referral " + id, e);
        }
    }
}
