package fr.passerelle.core.delivery;

import fr.passerelle.core.config.model.GatewaySettings.DeliverySettings;
import fr.passerelle.core.partner.PartnerId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One instance's view of which partners keep failing. After {@code failures} consecutive failed attempts
 * (retryable or permanent) a partner's breaker opens: the partner is paused for {@code pause}, during which the
 * worker claims none of its deliveries, so that a partner that is down does not hold the senders away from the
 * others. When the pause ends, one attempt is let through as a probe (and the pause starts again meanwhile): a
 * success closes the breaker, a failure pauses the partner again. Any success closes it.
 *
 * <p>The state lives in memory only: each gateway instance has its own, and a restart starts closed. Thread-safe.
 */
public final class CircuitBreaker {
    private final int failures;
    private final Duration pause;
    private final Clock clock;
    private final Map<PartnerId, State> states = new HashMap<>();

    /**
     * @param failures consecutive failures that open the breaker, 1-100
     * @param pause    how long an open breaker keeps the partner paused, more than zero
     */
    public CircuitBreaker(int failures, Duration pause, Clock clock) {
        if (failures < 1 || failures > 100) {
            throw new IllegalArgumentException("failures " + failures + " (expected: 1-100)");
        }
        Objects.requireNonNull(pause, "pause");
        if (pause.isNegative() || pause.isZero()) {
            throw new IllegalArgumentException("pause " + pause + " (expected: more than zero)");
        }
        this.failures = failures;
        this.pause = pause;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The breaker of gateway.yaml's {@code delivery:} section. */
    public static CircuitBreaker of(DeliverySettings settings, Clock clock) {
        return new CircuitBreaker(settings.breakerFailures(), settings.breakerPause(), clock);
    }

    /** The partners whose deliveries must not be claimed now: their pause has not ended. */
    public synchronized Set<PartnerId> paused() {
        Instant now = clock.instant();
        return states.entrySet().stream()
                .filter(e -> e.getValue().pausedAt(now))
                .map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Whether an attempt to deliver to {@code partner} may start now: always while the breaker is closed; once
     * its pause has ended when it is open, the attempt being the probe (the pause starts again until its outcome
     * is known); never while the partner is paused. A claim that is not let through is to be released.
     */
    public synchronized boolean admit(PartnerId partner) {
        State state = states.get(partner);
        if (state == null || state.openUntil == null) {
            return true;
        }
        Instant now = clock.instant();
        if (state.pausedAt(now)) {
            return false;
        }
        state.openUntil = now.plus(pause);
        return true;
    }

    /**
     * Counts a failed attempt.
     *
     * @return true when this failure opened the breaker (it was closed)
     */
    public synchronized boolean failed(PartnerId partner) {
        State state = states.computeIfAbsent(Objects.requireNonNull(partner, "partner"), p -> new State());
        state.consecutiveFailures++;
        if (state.consecutiveFailures < failures) {
            return false;
        }
        boolean opened = state.openUntil == null;
        state.openUntil = clock.instant().plus(pause);
        return opened;
    }

    /**
     * Counts a successful attempt: the breaker closes and the count of failures starts again.
     *
     * @return true when the breaker was open
     */
    public synchronized boolean succeeded(PartnerId partner) {
        State state = states.remove(Objects.requireNonNull(partner, "partner"));
        return state != null && state.openUntil != null;
    }

    /** Whether the partner's breaker is open: paused, or waiting for its probe's outcome. */
    public synchronized boolean isOpen(PartnerId partner) {
        State state = states.get(partner);
        return state != null && state.openUntil != null;
    }

    public int failures() {
        return failures;
    }

    public Duration pause() {
        return pause;
    }

    private static final class State {
        int consecutiveFailures;
        /** Null while closed. */
        Instant openUntil;

        boolean pausedAt(Instant now) {
            return openUntil != null && now.isBefore(openUntil);
        }
    }
}
