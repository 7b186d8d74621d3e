package fr.passerelle.core.store;

import static fr.passerelle.core.store.Referrals.ASSOCIATION;
import static fr.passerelle.core.store.Referrals.POLICE;
import static fr.passerelle.core.store.Referrals.SIAO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.audit.AuditRecord;
import fr.passerelle.core.delivery.DeliveryAdmin;
import fr.passerelle.core.delivery.Outbox;
import fr.passerelle.core.receipt.Receipts;
import fr.passerelle.core.referral.DeliveryState;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReceiptStatus;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import fr.passerelle.core.spi.DeliveryOutcome;
import fr.passerelle.core.testkit.FakeClock;
import fr.passerelle.core.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeliveryAdminIT {
    private static final String ADMIN = "admin:exploitation";
    private final FakeClock clock = new FakeClock(Instant.parse("2025-07-11T09:30:00Z"));
    private final JdbcReferralStore store = new JdbcReferralStore(TestDatabase.dataSource(), clock, TestKeys.cipher());
    private final Receipts receipts = new Receipts(TestDatabase.dataSource(), clock);
    private final Outbox outbox = new Outbox(TestDatabase.dataSource(), TestKeys.cipher(), clock);
    private final DeliveryAdmin admin = new DeliveryAdmin(TestDatabase.dataSource(), clock, TestKeys.cipher());

    @BeforeEach
    void emptyTables() {
        TestDatabase.reset();
    }

    @Test
    void listsDeliveriesByStateAndRecipientWithTheirLastError() {
        ReferralId dead = pushedToSiao();
        deadLetter("HTTP 404");
        ReferralId pending = pushedToSiao();
        store.submit(Referrals.toSiaoAndAssociation());

        List<DeliveryAdmin.Row> failed = admin.list(Optional.of(DeliveryState.FAILED), Optional.of(SIAO), 0, 50);
        List<DeliveryAdmin.Row> siao = admin.list(Optional.empty(), Optional.of(SIAO), 0, 50);
        List<DeliveryAdmin.Row> page = admin.list(Optional.empty(), Optional.empty(), 0, 2);

        assertThat(failed).extracting(DeliveryAdmin.Row::referralId).containsExactly(dead);
        assertThat(failed.get(0).lastError()).contains("HTTP 404");
        assertThat(failed.get(0).transport()).isEqualTo("https");
        assertThat(siao)
                .extracting(DeliveryAdmin.Row::referralId)
                .contains(dead, pending)
                .hasSize(3);
        assertThat(page).hasSize(2);
        assertThat(admin.list(Optional.empty(), Optional.empty(), page.get(1).id(), 50))
                .hasSize(2);
        assertThatThrownBy(() -> admin.list(Optional.empty(), Optional.empty(), 0, 0))
                .hasMessage("limit 0 is out of range (expected: 1-200)");
    }

    @Test
    void replaysADeadLetterWithANewRetryBudgetAndAnAuditEntry() {
        ReferralId id = pushedToSiao();
        deadLetter("HTTP 503");
        clock.advance(Duration.ofDays(3));

        int replayed = admin.replay(SIAO, Optional.empty(), ADMIN);

        assertThat(replayed).isEqualTo(1);
        Outbox.Claim claim = outbox.claim(10, Duration.ofMinutes(1)).get(0);
        assertThat(claim.referralId()).isEqualTo(id);
        assertThat(claim.attempt()).isEqualTo(1);
        assertThat(claim.createdAt()).isEqualTo(clock.instant());
        AuditRecord entry = last();
        assertThat(entry.actor()).isEqualTo(ADMIN);
        assertThat(entry.action()).isEqualTo("delivery.replayed");
        assertThat(entry.detail()).containsEntry("recipient", "siao-75");
        assertThat(store.status(id, POLICE).orElseThrow().status()).isEqualTo("routed");
    }

    @Test
    void keepsAClaimFromBeforeAReplayFromDecidingAfterIt() {
        pushedToSiao();
        Outbox.Claim before = outbox.claim(1, Duration.ofMinutes(1)).get(0);
        outbox.failed(before, DeliveryOutcome.permanent("HTTP 404"), Optional.empty());
        admin.replay(SIAO, Optional.empty(), ADMIN);
        Outbox.Claim after = outbox.claim(1, Duration.ofMinutes(1)).get(0);

        boolean recorded = outbox.failed(before, DeliveryOutcome.permanent("HTTP 404"), Optional.empty());

        assertThat(after.attempt()).isEqualTo(1);
        assertThat(after.fence()).isEqualTo(2);
        assertThat(recorded).isFalse();
        assertThat(admin.list(Optional.of(DeliveryState.FAILED), Optional.of(SIAO), 0, 10))
                .isEmpty();
    }

    @Test
    void replaysOnlyTheDeadLettersOfTheTypesTheAdministratorMaySee() {
        pushedToSiao();
        deadLetter("HTTP 503");
        DeliveryAdmin.Row dead = admin.list(Optional.of(DeliveryState.FAILED), Optional.of(SIAO), 0, 1)
                .get(0);
        Set<ReferralType> others = EnumSet.complementOf(EnumSet.of(dead.type()));

        int elsewhere = admin.replay(SIAO, Optional.empty(), others, ADMIN);

        assertThat(elsewhere).isZero();
        assertThat(admin.list(Optional.empty(), Optional.of(SIAO), others, 0, 50))
                .isEmpty();
        assertThatThrownBy(() -> admin.replay(SIAO, Optional.of(dead.id()), others, ADMIN))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessage("no dead letter " + dead.id() + " for siao-75 (dead letters are deliveries in state failed:"
                        + " list them with GET /admin/v1/deliveries?state=failed&partner=siao-75)");
        assertThat(admin.replay(SIAO, Optional.of(dead.id()), Set.of(dead.type()), ADMIN))
                .isEqualTo(1);
    }

    @Test
    void refusesToReplayWhatIsNotADeadLetter() {
        pushedToSiao();
        long id = admin.list(Optional.empty(), Optional.of(SIAO), 0, 1).get(0).id();

        assertThatThrownBy(() -> admin.replay(SIAO, Optional.of(id), ADMIN))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessage("no dead letter " + id + " for siao-75 (dead letters are deliveries in state failed: list"
                        + " them with GET /admin/v1/deliveries?state=failed&partner=siao-75)");
        assertThat(admin.replay(SIAO, Optional.empty(), ADMIN)).isZero();
    }

    @Test
    void cancelsAReferralSoThatNothingMoreIsSentOrAnswered() {
        NewReferral referral = Referrals.toSiaoAndAssociation();
        store.submit(referral);
        store.inbox(ASSOCIATION, 0, 10);

        DeliveryAdmin.Cancelled cancelled = admin.cancel(referral.id(), ADMIN);

        assertThat(cancelled.stopped()).isEqualTo(2);
        assertThat(store.status(referral.id(), POLICE).orElseThrow().status()).isEqualTo("cancelled");
        assertThat(admin.list(Optional.of(DeliveryState.CANCELLED), Optional.empty(), 0, 10))
                .hasSize(2);
        assertThatThrownBy(() -> receipts.record(referral.id(), ASSOCIATION, ReceiptStatus.ACCEPTED, Optional.empty()))
                .hasMessageContaining("your copy is 'cancelled'");
        assertThat(last().action()).isEqualTo("referral.cancelled");
        assertThat(last().detail()).containsEntry("copiesStopped", "2").containsEntry("copiesAlreadyFinal", "0");
        assertThatThrownBy(() -> admin.cancel(referral.id(), ADMIN))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.STATE_CONFLICT))
                .hasMessage("referral " + referral.id() + " is cancelled: there is nothing left to cancel");
        assertThatThrownBy(() -> admin.cancel(ReferralId.random(), ADMIN))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.REFERRAL_NOT_FOUND));
    }

    private ReferralId pushedToSiao() {
        ReferralId id = ReferralId.random();
        store.submit(new NewReferral(
                id,
                POLICE,
                ReferralType.SHELTER_REQUEST,
                Department.of("75"),
                Urgency.URGENT,
                Optional.empty(),
                Referrals.digest(1),
                "{}".getBytes(StandardCharsets.UTF_8),
                "application/json",
                List.of(new NewDelivery(
                        SIAO,
                        List.of("route"),
                        "application/pkcs7-mime",
                        "sealed".getBytes(StandardCharsets.UTF_8),
                        "https",
                        List.of()))));
        return id;
    }

    private void deadLetter(String error) {
        Outbox.Claim claim = outbox.claim(1, Duration.ofMinutes(1)).get(0);
        outbox.failed(claim, DeliveryOutcome.permanent(error), Optional.empty());
    }

    private static AuditRecord last() {
        List<AuditRecord> entries = AuditLog.list(TestDatabase.dataSource(), Optional.empty());
        return entries.get(entries.size() - 1);
    }
}
