package fr.passerelle.core.store;

import static fr.passerelle.core.store.Referrals.ASSOCIATION;
import static fr.passerelle.core.store.Referrals.SIAO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.audit.AuditRecord;
import fr.passerelle.core.referral.DeliveryState;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.Urgency;
import fr.passerelle.core.testkit.FakeClock;
import fr.passerelle.core.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbcReferralStoreInboxIT {
    private final FakeClock clock = new FakeClock(Instant.parse("2025-07-11T09:30:00Z"));
    private final JdbcReferralStore store = new JdbcReferralStore(TestDatabase.dataSource(), clock, TestKeys.cipher());

    @BeforeEach
    void emptyTables() {
        TestDatabase.reset();
    }

    @Test
    void pagesThroughTheInboxInCursorOrder() {
        List<ReferralId> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(store.submit(Referrals.toSiaoAndAssociation()).id());
        }

        InboxPage first = store.inbox(SIAO, 0, 2);
        InboxPage second = store.inbox(SIAO, first.next(), 2);
        InboxPage third = store.inbox(SIAO, second.next(), 2);
        InboxPage end = store.inbox(SIAO, third.next(), 2);

        assertThat(first.items()).extracting(InboxItem::referralId).containsExactly(sent.get(0), sent.get(1));
        assertThat(second.items()).extracting(InboxItem::referralId).containsExactly(sent.get(2), sent.get(3));
        assertThat(third.items()).extracting(InboxItem::referralId).containsExactly(sent.get(4));
        assertThat(first.next()).isEqualTo(first.items().get(1).cursor());
        assertThat(second.next()).isGreaterThan(first.next());
        assertThat(third.next()).isEqualTo(third.items().get(0).cursor());
        assertThat(end.items()).isEmpty();
        assertThat(end.next()).isEqualTo(third.next());
    }

    @Test
    void listsOnlyTheRecipientsOwnCopiesWithTheirRoutingMetadata() {
        NewReferral referral = Referrals.toSiaoAndAssociation();
        store.submit(referral);
        store.submit(Referrals.referral(Optional.empty(), Referrals.digest(2), ASSOCIATION));

        InboxPage page = store.inbox(SIAO, 0, 100);

        assertThat(page.items()).hasSize(1);
        InboxItem item = page.items().get(0);
        assertThat(item.referralId()).isEqualTo(referral.id());
        assertThat(item.type()).isEqualTo(referral.type());
        assertThat(item.sender()).isEqualTo(referral.sender());
        assertThat(item.department()).isEqualTo(referral.department());
        assertThat(item.urgency()).isEqualTo(referral.urgency());
        assertThat(item.submittedAt()).isEqualTo(Instant.parse("2025-07-11T09:30:00Z"));
        assertThat(item.mediaType()).isEqualTo("application/pkcs7-mime");
        assertThat(new String(item.payload(), StandardCharsets.UTF_8)).isEqualTo("sealed for siao-75");
    }

    @Test
    void marksPulledCopiesDeliveredOnceWithOneAuditEntryEach() {
        NewReferral referral = Referrals.toSiaoAndAssociation();
        store.submit(referral);
        clock.advance(Duration.ofMinutes(1));

        InboxPage pulled = store.inbox(SIAO, 0, 10);
        InboxPage pulledAgain = store.inbox(SIAO, 0, 10);

        assertThat(pulled.items()).extracting(InboxItem::state).containsExactly(DeliveryState.DELIVERED);
        assertThat(pulledAgain.items()).extracting(InboxItem::state).containsExactly(DeliveryState.DELIVERED);
        List<AuditRecord> pulls = AuditLog.list(TestDatabase.dataSource(), Optional.of(referral.id())).stream()
                .filter(e -> e.action().equals("delivery.pulled"))
                .toList();
        assertThat(pulls).hasSize(1);
        assertThat(pulls.get(0).actor()).isEqualTo("siao-75");
        assertThat(pulls.get(0).detail())
                .containsEntry("recipient", "siao-75")
                .containsEntry("cursor", Long.toString(pulled.items().get(0).cursor()));
        ReferralStatus status = store.status(referral.id(), referral.sender()).orElseThrow();
        assertThat(status.status()).isEqualTo("delivered");
        assertThat(status.deliveries())
                .extracting(DeliveryStatus::state)
                .containsExactly(DeliveryState.DELIVERED, DeliveryState.PENDING);
        assertThat(status.deliveries().get(0).updatedAt()).isEqualTo(Instant.parse("2025-07-11T09:31:00Z"));
    }

    @Test
    void marksEveryReferralOfAPulledPageDeliveredButLeavesAWithdrawnOneWithdrawn() throws Exception {
        List<ReferralId> sent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sent.add(store.submit(Referrals.toSiaoAndAssociation()).id());
        }
        try (Connection c = TestDatabase.dataSource().getConnection();
                PreparedStatement withdraw =
                        c.prepareStatement("UPDATE referral SET status = 'withdrawn' WHERE id = ?")) {
            withdraw.setObject(1, sent.get(3).value());
            withdraw.executeUpdate();
        }

        InboxPage pulled = store.inbox(SIAO, 0, 10);

        assertThat(pulled.items()).extracting(InboxItem::state).containsOnly(DeliveryState.DELIVERED);
        assertThat(sent)
                .extracting(
                        id -> store.status(id, Referrals.POLICE).orElseThrow().status())
                .containsExactly("delivered", "delivered", "delivered", "withdrawn");
        assertThat(AuditLog.list(TestDatabase.dataSource(), Optional.empty()).stream()
                        .filter(e -> e.action().equals("delivery.pulled")))
                .hasSize(4);
    }

    @Test
    void letsAnUrgentReferralPassAFloodOfRoutineOnesWithoutLosingOrRepeatingAny() {
        List<ReferralId> routine = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            routine.add(store.submit(ofUrgency(Urgency.ROUTINE)).id());
        }
        InboxPage first = store.inbox(SIAO, 0, 100);
        ReferralId urgent = store.submit(ofUrgency(Urgency.URGENT)).id();

        InboxPage next = store.inbox(SIAO, first.next(), 100);

        assertThat(next.items().get(0).referralId()).isEqualTo(urgent);
        List<ReferralId> seen = new ArrayList<>(
                first.items().stream().map(InboxItem::referralId).toList());
        InboxPage page = next;
        while (!page.items().isEmpty()) {
            page.items().forEach(i -> seen.add(i.referralId()));
            page = store.inbox(SIAO, page.next(), 100);
        }
        List<ReferralId> expected = new ArrayList<>(routine);
        expected.add(urgent);
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void listsImmediateThenUrgentThenRoutineAmongCopiesNotYetTaken() {
        ReferralId routine = store.submit(ofUrgency(Urgency.ROUTINE)).id();
        ReferralId urgent = store.submit(ofUrgency(Urgency.URGENT)).id();
        ReferralId immediate = store.submit(ofUrgency(Urgency.IMMEDIATE)).id();

        InboxPage page = store.inbox(SIAO, 0, 10);

        assertThat(page.items()).extracting(InboxItem::referralId).containsExactly(immediate, urgent, routine);
        assertThat(page.next())
                .isEqualTo(
                        page.items().stream().mapToLong(InboxItem::cursor).max().orElseThrow());
    }

    @Test
    void givesBackWhatWasTakenAfterASavedCursorBeforeWhatIsNew() {
        List<ReferralId> taken = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            taken.add(store.submit(ofUrgency(Urgency.ROUTINE)).id());
        }
        store.inbox(SIAO, 0, 3);
        ReferralId immediate = store.submit(ofUrgency(Urgency.IMMEDIATE)).id();

        InboxPage resumed = store.inbox(SIAO, 0, 2);
        InboxPage rest = store.inbox(SIAO, resumed.next(), 2);
        InboxPage end = store.inbox(SIAO, rest.next(), 2);

        assertThat(resumed.items()).extracting(InboxItem::referralId).containsExactly(taken.get(0), taken.get(1));
        assertThat(rest.items()).extracting(InboxItem::referralId).containsExactly(taken.get(2), immediate);
        assertThat(end.items()).isEmpty();
    }

    @Test
    void fetchesOneItemByItsCursorWhateverItsUrgency() {
        store.submit(ofUrgency(Urgency.IMMEDIATE));
        ReferralId routine = store.submit(ofUrgency(Urgency.ROUTINE)).id();
        long cursor = store.inbox(SIAO, 0, 2).items().get(1).cursor();

        Optional<InboxItem> item = store.inboxItem(SIAO, cursor);

        assertThat(item).map(InboxItem::referralId).contains(routine);
        assertThat(store.inboxItem(ASSOCIATION, cursor)).isEmpty();
    }

    private static NewReferral ofUrgency(Urgency urgency) {
        return Referrals.referral(urgency, Optional.empty(), Referrals.digest(1), SIAO);
    }

    @Test
    void refusesALimitOutsideOneToAHundred() {
        assertThatThrownBy(() -> store.inbox(SIAO, 0, 0)).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.REQUEST_INVALID);
            assertThat(e.getMessage()).isEqualTo("limit 0 is out of range (expected: 1-100)");
        });
        assertThatThrownBy(() -> store.inbox(SIAO, 0, 101)).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.REQUEST_INVALID);
            assertThat(e.getMessage()).isEqualTo("limit 101 is out of range (expected: 1-100)");
        });
    }

    @Test
    void refusesANegativeCursor() {
        assertThatThrownBy(() -> store.inbox(SIAO, -1, 10)).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.REQUEST_INVALID);
            assertThat(e.getMessage())
                    .isEqualTo("after -1 is not a cursor (expected: 0 or the 'next' of a previous page)");
        });
    }

    @Test
    void acceptsTheBoundsOfTheLimit() {
        store.submit(Referrals.toSiaoAndAssociation());

        assertThat(store.inbox(SIAO, 0, 1).items()).hasSize(1);
        assertThat(store.inbox(SIAO, 0, 100).items()).hasSize(1);
    }
}
