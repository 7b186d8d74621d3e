package fr.passerelle.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final Instant CREATED = Instant.parse("2025-07-11T09:30:00Z");
    private final RetryPolicy policy =
            new RetryPolicy(Duration.ofSeconds(5), Duration.ofMinutes(1), 6, Duration.ofHours(1));

    @Test
    void doublesTheDelayWithinHalfAndAllOfItUpToTheCap() {
        Random random = new Random(42);
        for (int attempt = 1; attempt <= 5; attempt++) {
            long full = Math.min(5_000L << (attempt - 1), 60_000L);
            for (int i = 0; i < 50; i++) {
                Instant next = policy.next(attempt, CREATED, CREATED, random).orElseThrow();
                assertThat(Duration.between(CREATED, next).toMillis()).isBetween(full / 2, full);
            }
        }
    }

    @Test
    void waitsHalfTheDelayWhenTheDrawIsZero() {
        assertThat(waitAfter(3, 0.0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(waitAfter(5, 0.0)).as("past the cap").isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void waitsAlmostTheWholeDelayWhenTheDrawIsHighest() {
        assertThat(waitAfter(3, Math.nextDown(1.0))).isEqualTo(Duration.ofMillis(19_999));
        assertThat(waitAfter(5, Math.nextDown(1.0))).as("past the cap").isEqualTo(Duration.ofMillis(59_999));
    }

    @Test
    void givesUpAfterTheLastAttempt() {
        assertThat(policy.next(6, CREATED, CREATED, new Random(1))).isEmpty();
    }

    @Test
    void givesUpWhenTheNextAttemptWouldComeAfterTheMaximumAge() {
        Instant late = CREATED.plus(Duration.ofMinutes(59)).plusSeconds(58);

        assertThat(policy.next(1, CREATED, late, new Random(1))).isEmpty();
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new RetryPolicy(Duration.ZERO, Duration.ofSeconds(1), 3, Duration.ofHours(1)))
                .hasMessage("delays PT0S to PT1S (expected: 0 < firstDelay <= maxDelay)");
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ofHours(1)))
                .hasMessage("maxAttempts 0 (expected: 1-100)");
    }

    private Duration waitAfter(int attempt, double draw) {
        return Duration.between(
                CREATED,
                policy.next(attempt, CREATED, CREATED, new FixedDraw(draw)).orElseThrow());
    }

    /** A random generator whose every draw is {@code value}. */
    private static final class FixedDraw implements RandomGenerator {
        private final double value;

        FixedDraw(double value) {
            this.value = value;
        }

        @Override
        public double nextDouble() {
            return value;
        }

        @Override
        public long nextLong() {
            throw new UnsupportedOperationException("the policy draws doubles");
        }
    }
}
