package fr.passerelle.core.store;

import static fr.passerelle.core.store.Referrals.ASSOCIATION;
import static fr.passerelle.core.store.Referrals.POLICE;
import static fr.passerelle.core.store.Referrals.SIAO;
import static fr.passerelle.core.store.Referrals.STRANGER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import fr.passerelle.core.audit.AuditRecord;
import fr.passerelle.core.receipt.Receipts;
import fr.passerelle.core.referral.DeclineReason;
import fr.passerelle.core.referral.DeliveryState;
import fr.passerelle.core.referral.ReceiptStatus;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.testkit.FakeClock;
import fr.passerelle.core.testkit.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbcReferralStoreStatusIT {
    private final FakeClock clock = new FakeClock(Instant.parse("2025-07-11T09:30:00Z"));
    private final JdbcReferralStore store = new JdbcReferralStore(TestDatabase.dataSource(), clock, TestKeys.cipher());
    private final Receipts receipts = new Receipts(TestDatabase.dataSource(), clock);
    private NewReferral referral;

    @BeforeEach
    void submitPullAndAnswer() {
        TestDatabase.reset();
        referral = Referrals.toSiaoAndAssociation();
        store.submit(referral);
        clock.advance(Duration.ofMinutes(10));
        store.inbox(SIAO, 0, 10);
        store.inbox(ASSOCIATION, 0, 10);
        clock.advance(Duration.ofMinutes(10));
        receipts.record(referral.id(), SIAO, ReceiptStatus.ACCEPTED, Optional.empty());
        receipts.record(referral.id(), ASSOCIATION, ReceiptStatus.DECLINED, Optional.of(DeclineReason.OUT_OF_SCOPE));
    }

    @Test
    void showsTheSenderEveryCopyAndTheWholeHistory() {
        ReferralStatus status = store.status(referral.id(), POLICE).orElseThrow();

        assertThat(status.id()).isEqualTo(referral.id());
        assertThat(status.type()).isEqualTo(referral.type());
        assertThat(status.sender()).isEqualTo(POLICE);
        assertThat(status.department()).isEqualTo(referral.department());
        assertThat(status.urgency()).isEqualTo(referral.urgency());
        assertThat(status.submittedAt()).isEqualTo(Instant.parse("2025-07-11T09:30:00Z"));
        assertThat(status.status()).isEqualTo("accepted");
        assertThat(status.deliveries())
                .extracting(
                        DeliveryStatus::recipient,
                        DeliveryStatus::state,
                        DeliveryStatus::updatedAt,
                        DeliveryStatus::reason)
                .containsExactly(
                        tuple(SIAO, DeliveryState.ACCEPTED, Instant.parse("2025-07-11T09:50:00Z"), Optional.empty()),
                        tuple(
                                ASSOCIATION,
                                DeliveryState.DECLINED,
                                Instant.parse("2025-07-11T09:50:00Z"),
                                Optional.of(DeclineReason.OUT_OF_SCOPE)));
        assertThat(status.deliveries()).allSatisfy(d -> {
            assertThat(d.transport()).isEqualTo("inbox");
            assertThat(d.createdAt()).isEqualTo(Instant.parse("2025-07-11T09:30:00Z"));
            assertThat(d.deliveredAt()).isPresent();
            assertThat(d.attempts()).isZero();
            assertThat(d.nextAttempt()).isEmpty();
        });
        assertThat(status.history())
                .extracting(AuditRecord::actor, AuditRecord::action)
                .containsExactly(
                        tuple("police-75-brp", "referral.submitted"),
                        tuple("gateway", "referral.routed"),
                        tuple("siao-75", "delivery.pulled"),
                        tuple("association-75-amicale", "delivery.pulled"),
                        tuple("siao-75", "receipt.recorded"),
                        tuple("association-75-amicale", "receipt.recorded"));
    }

    @Test
    void showsARecipientOnlyItsOwnCopyAndItsOwnEntries() {
        ReferralStatus status = store.status(referral.id(), ASSOCIATION).orElseThrow();

        assertThat(status.status()).isEqualTo("declined");
        assertThat(status.deliveries())
                .extracting(
                        DeliveryStatus::recipient,
                        DeliveryStatus::state,
                        DeliveryStatus::updatedAt,
                        DeliveryStatus::reason)
                .containsExactly(tuple(
                        ASSOCIATION,
                        DeliveryState.DECLINED,
                        Instant.parse("2025-07-11T09:50:00Z"),
                        Optional.of(DeclineReason.OUT_OF_SCOPE)));
        assertThat(status.history())
                .extracting(AuditRecord::actor, AuditRecord::action)
                .containsExactly(
                        tuple("police-75-brp", "referral.submitted"),
                        tuple("association-75-amicale", "delivery.pulled"),
                        tuple("association-75-amicale", "receipt.recorded"));
    }

    @Test
    void showsAStrangerNothingExactlyAsForAReferralThatDoesNotExist() {
        assertThat(store.status(referral.id(), STRANGER)).isEmpty();
        assertThat(store.status(ReferralId.random(), POLICE)).isEmpty();
    }
}
