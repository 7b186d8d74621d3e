package fr.passerelle.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.receipt.Receipts;
import fr.passerelle.core.referral.DeclineReason;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReceiptStatus;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import fr.passerelle.core.testkit.FakeClock;
import fr.passerelle.core.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatisticsIT {
    private static final LocalDate DAY = LocalDate.parse("2025-09-01");
    private static final PartnerId ASSOCIATION_974 = PartnerId.of("association-974-kaz-lespwa");
    private final FakeClock clock = new FakeClock(Instant.parse("2025-09-01T08:00:00Z"));
    private final JdbcReferralStore store = new JdbcReferralStore(TestDatabase.dataSource(), clock, TestKeys.cipher());
    private final Receipts receipts = new Receipts(TestDatabase.dataSource(), clock);
    private final Statistics statistics = new Statistics(TestDatabase.dataSource(), 5);

    @BeforeEach
    void emptyTables() {
        TestDatabase.reset();
    }

    @Test
    void countsOutcomesAndTimesByDepartmentAndTypeHidingSmallGroups() {
        generate();

        Statistics.Report report = statistics.report(DAY, DAY, Optional.empty(), Optional.empty());

        assertThat(report.groups()).hasSize(2);
        Statistics.Group paris = report.groups().get(0);
        assertThat(paris.department()).isEqualTo(Department.of("75"));
        assertThat(paris.type()).isEqualTo(ReferralType.SHELTER_REQUEST);
        assertThat(paris.referrals()).hasToString("12");
        assertThat(shown(paris.outcomes()))
                .containsExactly(
                        Map.entry("routed", "<5"),
                        Map.entry("delivered", "0"),
                        Map.entry("received", "0"),
                        Map.entry("accepted", "6"),
                        Map.entry("declined", "<5"),
                        Map.entry("completed", "0"),
                        Map.entry("failed", "0"),
                        Map.entry("expired", "0"),
                        Map.entry("cancelled", "0"),
                        Map.entry("withdrawn", "0"));
        assertThat(paris.acknowledgment().median()).contains(Duration.ofMinutes(40));
        assertThat(paris.acknowledgment().p90()).contains(Duration.ofMinutes(64));
        assertThat(paris.acceptance().median()).contains(Duration.ofMinutes(210));
        assertThat(paris.acceptance().p90()).contains(Duration.ofMinutes(330));
        Statistics.Group reunion = report.groups().get(1);
        assertThat(reunion.department()).isEqualTo(Department.of("974"));
        assertThat(reunion.referrals()).hasToString("<5");
        assertThat(reunion.outcomes().get("routed")).hasToString("<5");
        assertThat(reunion.acknowledgment().suppressed()).isTrue();
        assertThat(report.total())
                .as("14 minus the 12 of Paris would give La Réunion's 2 back")
                .hasToString("<5");
    }

    @Test
    void hidesASecondOutcomeSoThatTheTotalDoesNotGiveALoneHiddenOneBack() {
        generate();

        Statistics.Group paris = statistics
                .report(DAY, DAY, Optional.of(Department.of("75")), Optional.empty())
                .groups()
                .get(0);

        long visible = paris.outcomes().values().stream()
                .filter(c -> !c.suppressed())
                .mapToLong(Statistics.Count::value)
                .sum();
        long hidden = paris.outcomes().values().stream()
                .filter(Statistics.Count::suppressed)
                .count();
        assertThat(paris.referrals().value() - visible).isEqualTo(6);
        assertThat(hidden).as("6 = 5 routed + 1 declined: two cells share it").isEqualTo(2);
    }

    @Test
    void filtersByDepartmentAndTypeAndShowsTheTotalWhenNoGroupIsHidden() {
        generate();

        Statistics.Report report = statistics.report(
                DAY, DAY, Optional.of(Department.of("75")), Optional.of(ReferralType.SHELTER_REQUEST));

        assertThat(report.groups()).extracting(g -> g.department().code()).containsExactly("75");
        assertThat(report.total()).hasToString("12");
        assertThat(report.acknowledgment().median()).contains(Duration.ofMinutes(40));
    }

    @Test
    void countsOnlyTheReferralsSubmittedInThePeriod() {
        generate();

        Statistics.Report report =
                statistics.report(DAY.plusDays(1), DAY.plusDays(7), Optional.empty(), Optional.empty());

        assertThat(report.groups()).isEmpty();
        assertThat(report.total()).hasToString("0");
    }

    @Test
    void readsOnlyTheDepartmentsOfAReaderLimitedToSome() {
        generate();
        submit(ReferralType.SHELTER_REQUEST, "974", "97411", false, Optional.of(DeclineReason.NO_CAPACITY));

        Statistics.Report report =
                statistics.report(DAY, DAY, Set.of(Department.of("75")), EnumSet.allOf(ReferralType.class));

        assertThat(report.groups()).extracting(g -> g.department().code()).containsOnly("75");
        assertThat(report.communes()).extracting(c -> c.department().code()).containsOnly("75");
        assertThat(report.declines()).extracting(c -> c.department().code()).containsOnly("75");
        assertThat(report.total()).hasToString("12");
    }

    @Test
    void countsByCommuneHidingALoneSmallCellAndTheSmallestBesideIt() {
        for (int i = 0; i < 7; i++) {
            submit(ReferralType.SHELTER_REQUEST, "75", "75056", false, Optional.empty());
        }
        for (int i = 0; i < 6; i++) {
            submit(ReferralType.SHELTER_REQUEST, "75", "75111", true, Optional.empty());
        }
        submit(ReferralType.SHELTER_REQUEST, "75", null, false, Optional.empty());
        submit(ReferralType.SHELTER_REQUEST, "75", null, false, Optional.empty());

        Statistics.Report report = statistics.report(DAY, DAY, Optional.empty(), Optional.empty());

        assertThat(report.communes())
                .extracting(c -> c.code() + "=" + c.count())
                .as("the department's 15 minus 7 would give the 2 without a commune back: 75111 is hidden too")
                .containsExactly("75056=7", "75111=<5", "none=<5");
        assertThat(report.groups().get(0).minors()).hasToString("6");
        assertThat(report.minors()).hasToString("6");
    }

    @Test
    void countsTheDeclinedCopiesByReasonWithTheSameRule() {
        for (int i = 0; i < 6; i++) {
            submit(ReferralType.SHELTER_REQUEST, "75", null, false, Optional.of(DeclineReason.OUT_OF_SCOPE));
        }
        for (int i = 0; i < 5; i++) {
            submit(ReferralType.SHELTER_REQUEST, "75", null, false, Optional.of(DeclineReason.DUPLICATE));
        }
        submit(ReferralType.SHELTER_REQUEST, "75", null, false, Optional.of(DeclineReason.NO_CAPACITY));

        Statistics.Report report = statistics.report(DAY, DAY, Optional.empty(), Optional.empty());

        assertThat(report.declines())
                .extracting(c -> c.code() + "=" + c.count())
                .containsExactly("duplicate=<5", "no-capacity=<5", "out-of-scope=6");
    }

    @Test
    void hidesTheMinorsWhenTheAdultsBesideThemAreFew() {
        for (int i = 0; i < 6; i++) {
            submit(ReferralType.SHELTER_REQUEST, "75", null, true, Optional.empty());
        }
        submit(ReferralType.SHELTER_REQUEST, "75", null, false, Optional.empty());

        Statistics.Report report = statistics.report(DAY, DAY, Optional.empty(), Optional.empty());

        assertThat(report.groups().get(0).referrals()).hasToString("7");
        assertThat(report.groups().get(0).minors())
                .as("7 minus 6 minors would show the one adult")
                .hasToString("<5");
        assertThat(report.minors()).hasToString("<5");
    }

    @Test
    void refusesAPeriodThatEndsBeforeItStarts() {
        assertThatThrownBy(() -> statistics.report(DAY, DAY.minusDays(1), Optional.empty(), Optional.empty()))
                .hasMessage("period 2025-09-01 to 2025-08-31 ends before it starts (expected: from on or before to)");
    }

    /**
     * Paris, shelter requests: 6 accepted (received after 10 to 60 minutes, accepted after 1 to 6 hours), one
     * declined (received after 70 minutes), 5 never answered. La Réunion, orientations: 2 never answered. One more
     * the day before, outside the period.
     */
    private void generate() {
        clock.advance(Duration.ofDays(-1));
        submit(ReferralType.SHELTER_REQUEST, "75", Referrals.SIAO);
        clock.advance(Duration.ofDays(1));
        Instant start = clock.instant();
        for (int i = 1; i <= 6; i++) {
            ReferralId id = submit(ReferralType.SHELTER_REQUEST, "75", Referrals.SIAO);
            at(start.plus(Duration.ofMinutes(10L * i)));
            receipts.record(id, Referrals.SIAO, ReceiptStatus.RECEIVED, Optional.empty());
            at(start.plus(Duration.ofHours(i)));
            receipts.record(id, Referrals.SIAO, ReceiptStatus.ACCEPTED, Optional.empty());
            at(start);
        }
        ReferralId declined = submit(ReferralType.SHELTER_REQUEST, "75", Referrals.SIAO);
        at(start.plus(Duration.ofMinutes(70)));
        receipts.record(declined, Referrals.SIAO, ReceiptStatus.DECLINED, Optional.of(DeclineReason.NO_CAPACITY));
        at(start);
        for (int i = 0; i < 5; i++) {
            submit(ReferralType.SHELTER_REQUEST, "75", Referrals.SIAO);
        }
        submit(ReferralType.VICTIM_ORIENTATION, "974", ASSOCIATION_974);
        submit(ReferralType.VICTIM_ORIENTATION, "974", ASSOCIATION_974);
    }

    private void at(Instant instant) {
        clock.advance(Duration.between(clock.instant(), instant));
    }

    private ReferralId submit(ReferralType type, String department, PartnerId recipient) {
        return submit(type, department, recipient, StatisticsFacets.NONE);
    }

    private void submit(
            ReferralType type, String department, String commune, boolean minor, Optional<DeclineReason> declined) {
        ReferralId id = submit(
                type,
                department,
                Referrals.SIAO,
                new StatisticsFacets(Optional.ofNullable(commune), Optional.of(minor)));
        declined.ifPresent(reason -> receipts.record(id, Referrals.SIAO, ReceiptStatus.DECLINED, Optional.of(reason)));
    }

    private ReferralId submit(ReferralType type, String department, PartnerId recipient, StatisticsFacets facets) {
        ReferralId id = ReferralId.random();
        store.submit(new NewReferral(
                id,
                Referrals.POLICE,
                type,
                Department.of(department),
                Urgency.URGENT,
                Optional.empty(),
                Referrals.digest(1),
                "{}".getBytes(StandardCharsets.UTF_8),
                "application/json",
                List.of(Referrals.delivery(
                        recipient, "route-" + recipient.kind().code())),
                Optional.empty(),
                SubmissionStep.NONE,
                Optional.empty(),
                Optional.empty(),
                List.of(),
                facets));
        return id;
    }

    private static Map<String, String> shown(Map<String, Statistics.Count> outcomes) {
        Map<String, String> shown = new LinkedHashMap<>();
        outcomes.forEach((k, v) -> shown.put(k, v.toString()));
        return shown;
    }
}
