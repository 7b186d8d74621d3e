package fr.passerelle.core.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When a failed delivery is tried again: exponential backoff from {@code firstDelay}, doubling up to
 * {@code maxDelay}, with equal jitter (a random delay between half and all of it, so that the deliveries that
 * failed together do not all come back together), until {@code maxAttempts} attempts or {@code maxAge} since the
 * referral was sealed; then never.
 *
 * <p>Equal, not full jitter (anywhere between zero and the delay): a partner that is down gets at least half the
 * backoff between two attempts, and {@code maxAttempts} attempts span at least half the undelayed schedule,
 * rather than being spent in a few seconds by unlucky draws before the partner is back.
 */
public record RetryPolicy(Duration firstDelay, Duration maxDelay, int maxAttempts, Duration maxAge) {
    public RetryPolicy {
        Objects.requireNonNull(firstDelay, "firstDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(maxAge, "maxAge");
        if (firstDelay.isNegative() || firstDelay.isZero() || maxDelay.compareTo(firstDelay) < 0) {
            throw new IllegalArgumentException(
                    "delays " + firstDelay + " to " + maxDelay + " (expected: 0 < firstDelay <= maxDelay)");
        }
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("maxAttempts " + maxAttempts + " (expected: 1-100)");
        }
    }

    /** Five seconds, doubling to an hour, for at most 20 attempts or two days. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(Duration.ofSeconds(5), Duration.ofHours(1), 20, Duration.ofDays(2));
    }

    /** The gateway's policy from gateway.yaml's {@code delivery:} section. */
    public static RetryPolicy of(fr.passerelle.core.config.model.GatewaySettings.DeliverySettings settings) {
        return new RetryPolicy(settings.firstRetry(), settings.maxRetry(), settings.maxAttempts(), settings.maxAge());
    }

    /** This policy with a partner's own limits, where its entry sets them. */
    public RetryPolicy forPartner(fr.passerelle.core.config.model.PartnerDelivery delivery) {
        return new RetryPolicy(
                firstDelay,
                maxDelay,
                delivery.maxAttempts().orElse(maxAttempts),
                delivery.maxAge().orElse(maxAge));
    }

    /**
     * @param attempt   the number of the attempt that just failed, 1 for the first
     * @param createdAt when the delivery was created
     * @return when to try again, or empty to give up
     */
    public Optional<Instant> next(int attempt, Instant createdAt, Instant now, RandomGenerator random) {
        if (attempt >= maxAttempts) {
            return Optional.empty();
        }
        long cap = maxDelay.toMillis();
        long delay = firstDelay.toMillis() << Math.min(attempt - 1, 30);
        delay = delay <= 0 || delay > cap ? cap : delay;
        // Equal jitter: half the delay for sure, the other half drawn.
        long jittered = delay / 2 + (long) (random.nextDouble() * (delay - delay / 2));
        Instant at = now.plusMillis(Math.max(1, jittered));
        if (at.isAfter(createdAt.plus(maxAge))) {
            return Optional.empty();
        }
        return Optional.of(at);
    }
}
