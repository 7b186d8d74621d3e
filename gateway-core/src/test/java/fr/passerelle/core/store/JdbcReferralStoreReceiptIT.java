package fr.passerelle.core.store;

import static fr.passerelle.core.store.Referrals.ASSOCIATION;
import static fr.passerelle.core.store.Referrals.POLICE;
import static fr.passerelle.core.store.Referrals.SIAO;
import static fr.passerelle.core.store.Referrals.STRANGER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.audit.AuditRecord;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.receipt.ReceiptOutcome;
import fr.passerelle.core.receipt.Receipts;
import fr.passerelle.core.referral.DeclineReason;
import fr.passerelle.core.referral.DeliveryState;
import fr.passerelle.core.referral.ReceiptStatus;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.testkit.FakeClock;
import fr.passerelle.core.testkit.TestDatabase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbcReferralStoreReceiptIT {
    private final FakeClock clock = new FakeClock(Instant.parse("2025-07-11T09:30:00Z"));
    private final JdbcReferralStore store = new JdbcReferralStore(TestDatabase.dataSource(), clock, TestKeys.cipher());
    private final Receipts receipts = new Receipts(TestDatabase.dataSource(), clock);
    private ReferralId id;

    @BeforeEach
    void submitToSiaoAndAssociation() {
        TestDatabase.reset();
        id = store.submit(Referrals.toSiaoAndAssociation()).id();
    }

    @Test
    void movesACopyThroughReceivedAcceptedAndCompleted() {
        ReceiptOutcome received = receipts.record(id, SIAO, ReceiptStatus.RECEIVED, Optional.empty());
        ReceiptOutcome accepted = receipts.record(id, SIAO, ReceiptStatus.ACCEPTED, Optional.empty());
        ReceiptOutcome completed = receipts.record(id, SIAO, ReceiptStatus.COMPLETED, Optional.empty());

        assertThat(received).isEqualTo(new ReceiptOutcome(id, SIAO, DeliveryState.RECEIVED, "received"));
        assertThat(accepted).isEqualTo(new ReceiptOutcome(id, SIAO, DeliveryState.ACCEPTED, "accepted"));
        assertThat(completed).isEqualTo(new ReceiptOutcome(id, SIAO, DeliveryState.COMPLETED, "completed"));
        assertThat(JdbcReferralStoreSubmitIT.count("receipt")).isEqualTo(3);
        assertThat(receiptEntries())
                .extracting(AuditRecord::actor, AuditRecord::detail)
                .containsExactly(
                        tuple("siao-75", Map.of("recipient", "siao-75", "status", "received")),
                        tuple("siao-75", Map.of("recipient", "siao-75", "status", "accepted")),
                        tuple("siao-75", Map.of("recipient", "siao-75", "status", "completed")));
    }

    @Test
    void recordsADeclineWithItsReason() {
        ReceiptOutcome declined =
                receipts.record(id, ASSOCIATION, ReceiptStatus.DECLINED, Optional.of(DeclineReason.NO_CAPACITY));

        assertThat(declined).isEqualTo(new ReceiptOutcome(id, ASSOCIATION, DeliveryState.DECLINED, "received"));
        assertThat(store.status(id, POLICE).orElseThrow().deliveries())
                .extracting(
                        DeliveryStatus::recipient,
                        DeliveryStatus::state,
                        DeliveryStatus::updatedAt,
                        DeliveryStatus::reason)
                .containsExactly(
                        tuple(SIAO, DeliveryState.PENDING, Instant.parse("2025-07-11T09:30:00Z"), Optional.empty()),
                        tuple(
                                ASSOCIATION,
                                DeliveryState.DECLINED,
                                Instant.parse("2025-07-11T09:30:00Z"),
                                Optional.of(DeclineReason.NO_CAPACITY)));
        assertThat(receiptEntries().get(0).detail())
                .isEqualTo(
                        Map.of("recipient", "association-75-amicale", "status", "declined", "reason", "no-capacity"));
    }

    @Test
    void derivesTheReferralStatusFromAllItsCopies() {
        receipts.record(id, ASSOCIATION, ReceiptStatus.DECLINED, Optional.of(DeclineReason.OUT_OF_SCOPE));

        ReceiptOutcome bothDeclined =
                receipts.record(id, SIAO, ReceiptStatus.DECLINED, Optional.of(DeclineReason.NO_CAPACITY));

        assertThat(bothDeclined.referralStatus()).isEqualTo("declined");
        assertThat(store.status(id, POLICE).orElseThrow().status()).isEqualTo("declined");
    }

    @Test
    void refusesATransitionThatTheCopyDoesNotAllow() {
        receipts.record(id, SIAO, ReceiptStatus.RECEIVED, Optional.empty());

        assertThatThrownBy(() -> receipts.record(id, SIAO, ReceiptStatus.COMPLETED, Optional.empty()))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RECEIPT_INVALID);
                    assertThat(e.getMessage())
                            .isEqualTo("cannot record 'completed' for referral " + id
                                    + ": your copy is 'received' (expected: accepted)");
                });
        assertThat(JdbcReferralStoreSubmitIT.count("receipt")).isEqualTo(1);
    }

    @Test
    void refusesToAcceptADeclinedCopyListingTheStatesThatWouldAllowIt() {
        receipts.record(id, SIAO, ReceiptStatus.DECLINED, Optional.of(DeclineReason.DUPLICATE));

        assertThatThrownBy(() -> receipts.record(id, SIAO, ReceiptStatus.ACCEPTED, Optional.empty()))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RECEIPT_INVALID);
                    assertThat(e.getMessage())
                            .isEqualTo("cannot record 'accepted' for referral " + id
                                    + ": your copy is 'declined' (expected: pending, delivered or received)");
                });
    }

    @Test
    void recordingTheSameReceiptAgainChangesNothing() {
        ReceiptOutcome first = receipts.record(id, SIAO, ReceiptStatus.ACCEPTED, Optional.empty());
        long entries = AuditLog.count(TestDatabase.dataSource());

        ReceiptOutcome again = receipts.record(id, SIAO, ReceiptStatus.ACCEPTED, Optional.empty());

        assertThat(again).isEqualTo(first);
        assertThat(JdbcReferralStoreSubmitIT.count("receipt")).isEqualTo(1);
        assertThat(AuditLog.count(TestDatabase.dataSource())).isEqualTo(entries);
    }

    @Test
    void refusesADeclineWithoutReason() {
        assertThatThrownBy(() -> receipts.record(id, SIAO, ReceiptStatus.DECLINED, Optional.empty()))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RECEIPT_INVALID);
                    assertThat(e.getMessage())
                            .isEqualTo("receipt 'declined' for referral " + id + " needs a reason"
                                    + " (expected one of: " + DeclineReason.codes() + ")");
                });
    }

    @Test
    void refusesAReasonOnAnythingButADecline() {
        assertThatThrownBy(() -> receipts.record(id, SIAO, ReceiptStatus.ACCEPTED, Optional.of(DeclineReason.OTHER)))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RECEIPT_INVALID);
                    assertThat(e.getMessage())
                            .isEqualTo("receipt 'accepted' for referral " + id
                                    + " takes no reason (only 'declined' does)");
                });
    }

    @Test
    void answersAStrangerExactlyAsForAReferralThatDoesNotExist() {
        ReferralId missing = ReferralId.random();

        GatewayException stranger = receiptFailure(id, STRANGER);
        GatewayException sender = receiptFailure(id, POLICE);
        GatewayException nonexistent = receiptFailure(missing, SIAO);

        assertThat(stranger.code()).isEqualTo(ErrorCode.REFERRAL_NOT_FOUND);
        assertThat(stranger.getMessage()).isEqualTo("no referral " + id + " that you are party to");
        assertThat(sender.code()).isEqualTo(ErrorCode.REFERRAL_NOT_FOUND);
        assertThat(sender.getMessage()).isEqualTo(stranger.getMessage());
        assertThat(nonexistent.code()).isEqualTo(ErrorCode.REFERRAL_NOT_FOUND);
        assertThat(nonexistent.getMessage()).isEqualTo("no referral " + missing + " that you are party to");
        assertThat(JdbcReferralStoreSubmitIT.count("receipt")).isZero();
    }

    private GatewayException receiptFailure(ReferralId referral, PartnerId who) {
        try {
            receipts.record(referral, who, ReceiptStatus.RECEIVED, Optional.empty());
        } catch (GatewayException e) {
            return e;
        }
        throw new AssertionError("a receipt by " + who + " was recorded");
    }

    private List<AuditRecord> receiptEntries() {
        return AuditLog.list(TestDatabase.dataSource(), Optional.of(id)).stream()
                .filter(e -> e.action().equals("receipt.recorded"))
                .toList();
    }
}
