package fr.passerelle.core.store;

import static fr.passerelle.core.referral.DeliveryState.ACCEPTED;
import static fr.passerelle.core.referral.DeliveryState.COMPLETED;
import static fr.passerelle.core.referral.DeliveryState.DECLINED;
import static fr.passerelle.core.referral.DeliveryState.DELIVERED;
import static fr.passerelle.core.referral.DeliveryState.FAILED;
import static fr.passerelle.core.referral.DeliveryState.PENDING;
import static fr.passerelle.core.referral.DeliveryState.RECEIVED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AggregateStatusTest {

    @Test
    void isCompletedAsSoonAsOneCopyIsCompleted() {
        assertThat(AggregateStatus.of(List.of(DECLINED, COMPLETED, PENDING))).isEqualTo("completed");
    }

    @Test
    void isAcceptedWhenOneCopyIsAcceptedAndNoneCompleted() {
        assertThat(AggregateStatus.of(List.of(DECLINED, ACCEPTED, RECEIVED))).isEqualTo("accepted");
    }

    @Test
    void isDeclinedOnlyWhenEveryCopyIsDeclined() {
        assertThat(AggregateStatus.of(List.of(DECLINED, DECLINED))).isEqualTo("declined");
        assertThat(AggregateStatus.of(List.of(DECLINED, PENDING))).isEqualTo("received");
    }

    @Test
    void isReceivedWhenACopyIsReceived() {
        assertThat(AggregateStatus.of(List.of(RECEIVED, DELIVERED))).isEqualTo("received");
    }

    @Test
    void isFailedOnlyWhenEveryCopyFailed() {
        assertThat(AggregateStatus.of(List.of(FAILED, FAILED))).isEqualTo("failed");
        assertThat(AggregateStatus.of(List.of(FAILED, PENDING))).isEqualTo("routed");
        assertThat(AggregateStatus.of(List.of(FAILED, DELIVERED))).isEqualTo("delivered");
    }

    @Test
    void isDeliveredWhenACopyIsDeliveredAndNoneAnswered() {
        assertThat(AggregateStatus.of(List.of(PENDING, DELIVERED))).isEqualTo("delivered");
    }

    @Test
    void isRoutedWhileEveryCopyIsPending() {
        assertThat(AggregateStatus.of(List.of(PENDING, PENDING))).isEqualTo("routed");
        assertThat(AggregateStatus.of(List.of())).isEqualTo("routed");
    }
}
