package fr.passerelle.server.receipts;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A token bucket per remote address: each address may send {@code burst} requests at once, then one more each
 * {@code period / burst}. Remembers the {@link #MAX_ADDRESSES} addresses seen last; an address forgotten starts
 * again with a full bucket. Thread-safe (one lock: the work under it is a few arithmetic operations).
 */
final class AddressLimiter {
    /** Requests an address may send at once: a person opens a page, then confirms its form. */
    static final int BURST = 20;
    /** The time in which an empty bucket fills again: {@link #BURST} requests a minute in the long run. */
    static final Duration PERIOD = Duration.ofMinutes(1);
    /** Addresses remembered, least recently seen forgotten first. */
    static final int MAX_ADDRESSES = 10_000;

    private final int burst;
    private final double millisPerToken;
    private final Clock clock;
    private final Map<InetAddress, Bucket> buckets = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    private static final class Bucket {
        double tokens;
        long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }
    }

    /** The limits of production: {@link #BURST} requests, refilled over {@link #PERIOD}. */
    static AddressLimiter standard() {
        return new AddressLimiter(BURST, PERIOD, Clock.systemUTC());
    }

    AddressLimiter(int burst, Duration period, Clock clock) {
        if (burst < 1) {
            throw new IllegalArgumentException("receipt link burst: " + burst + " (expected: 1 or more)");
        }
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("receipt link refill period: " + period + " (expected: positive)");
        }
        this.burst = burst;
        this.millisPerToken = (double) period.toMillis() / burst;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Takes one request from the address's bucket.
     *
     * @return empty when the request may go on; else the whole seconds, at least 1, until it could
     */
    synchronized OptionalLong take(InetAddress address) {
        long now = clock.millis();
        Bucket bucket = buckets.computeIfAbsent(address, a -> new Bucket(burst, now));
        bucket.tokens = Math.min(burst, bucket.tokens + Math.max(0, now - bucket.at) / millisPerToken);
        bucket.at = now;
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return OptionalLong.empty();
        }
        double wait = (1 - bucket.tokens) * millisPerToken;
        return OptionalLong.of(Math.max(1, (long) Math.ceil(wait / 1000)));
    }
}
