package fr.passerelle.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.config.model.GatewaySettings.DeliverySettings;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
    private static final PartnerId SIAO = PartnerId.of("siao-974");
    private static final PartnerId OTHER = PartnerId.of("siao-75");
    private static final Duration PAUSE = Duration.ofSeconds(60);

    private final FakeClock clock = new FakeClock(Instant.parse("2025-07-11T09:30:00Z"));
    private final CircuitBreaker breaker = new CircuitBreaker(3, PAUSE, clock);

    @Test
    void staysClosedBelowTheThreshold() {
        boolean opened = breaker.failed(SIAO) | breaker.failed(SIAO);

        assertThat(opened).isFalse();
        assertThat(breaker.isOpen(SIAO)).isFalse();
        assertThat(breaker.paused()).isEmpty();
        assertThat(breaker.admit(SIAO)).isTrue();
    }

    @Test
    void pausesAPartnerAfterConsecutiveFailuresAndOnlyThatPartner() {
        breaker.failed(SIAO);
        breaker.failed(SIAO);

        boolean opened = breaker.failed(SIAO);

        assertThat(opened).isTrue();
        assertThat(breaker.isOpen(SIAO)).isTrue();
        assertThat(breaker.paused()).containsExactly(SIAO);
        assertThat(breaker.admit(SIAO)).isFalse();
        assertThat(breaker.admit(OTHER)).isTrue();
    }

    @Test
    void reportsTheOpeningOnlyOnce() {
        open();

        boolean again = breaker.failed(SIAO);

        assertThat(again).isFalse();
        assertThat(breaker.isOpen(SIAO)).isTrue();
    }

    @Test
    void aSuccessInBetweenStartsTheCountAgain() {
        breaker.failed(SIAO);
        breaker.failed(SIAO);
        breaker.succeeded(SIAO);

        breaker.failed(SIAO);
        boolean opened = breaker.failed(SIAO);

        assertThat(opened).isFalse();
        assertThat(breaker.isOpen(SIAO)).isFalse();
    }

    @Test
    void letsOneProbeThroughWhenThePauseEnds() {
        open();
        clock.advance(PAUSE);

        assertThat(breaker.paused()).isEmpty();
        boolean probe = breaker.admit(SIAO);
        boolean second = breaker.admit(SIAO);

        assertThat(probe).isTrue();
        assertThat(second).isFalse();
        assertThat(breaker.paused()).containsExactly(SIAO);
        assertThat(breaker.isOpen(SIAO)).isTrue();
    }

    @Test
    void closesWhenTheProbeSucceeds() {
        open();
        clock.advance(PAUSE);
        breaker.admit(SIAO);

        boolean closed = breaker.succeeded(SIAO);

        assertThat(closed).isTrue();
        assertThat(breaker.isOpen(SIAO)).isFalse();
        assertThat(breaker.paused()).isEmpty();
        assertThat(breaker.admit(SIAO)).isTrue();
        assertThat(breaker.admit(SIAO)).isTrue();
    }

    @Test
    void pausesAgainWhenTheProbeFails() {
        open();
        clock.advance(PAUSE);
        breaker.admit(SIAO);
        clock.advance(Duration.ofSeconds(5));

        boolean opened = breaker.failed(SIAO);

        assertThat(opened).isFalse();
        clock.advance(PAUSE.minusSeconds(1));
        assertThat(breaker.paused()).containsExactly(SIAO);
        clock.advance(Duration.ofSeconds(1));
        assertThat(breaker.paused()).isEmpty();
        assertThat(breaker.admit(SIAO)).isTrue();
    }

    @Test
    void letsAnotherProbeThroughWhenTheFirstNeverAnswers() {
        open();
        clock.advance(PAUSE);
        breaker.admit(SIAO);

        clock.advance(PAUSE);

        assertThat(breaker.admit(SIAO)).isTrue();
    }

    @Test
    void aSuccessOfADeliveryStartedBeforeThePauseClosesIt() {
        open();

        boolean closed = breaker.succeeded(SIAO);

        assertThat(closed).isTrue();
        assertThat(breaker.paused()).isEmpty();
    }

    @Test
    void aSuccessOnAClosedBreakerIsNoTransition() {
        breaker.failed(SIAO);

        assertThat(breaker.succeeded(SIAO)).isFalse();
        assertThat(breaker.succeeded(OTHER)).isFalse();
    }

    @Test
    void takesItsSettingsFromGatewayYaml() {
        CircuitBreaker fromSettings = CircuitBreaker.of(DeliverySettings.defaults(), clock);

        assertThat(fromSettings.failures()).isEqualTo(5);
        assertThat(fromSettings.pause()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void refusesSettingsOutOfRange() {
        assertThatThrownBy(() -> new CircuitBreaker(0, PAUSE, clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("failures 0 (expected: 1-100)");
        assertThatThrownBy(() -> new CircuitBreaker(3, Duration.ZERO, clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pause PT0S (expected: more than zero)");
    }

    private void open() {
        breaker.failed(SIAO);
        breaker.failed(SIAO);
        breaker.failed(SIAO);
    }
}
