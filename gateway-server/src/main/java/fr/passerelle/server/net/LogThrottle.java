package fr.passerelle.server.net;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Decides when a repeated event deserves a log line: the first time for each key, then at most once per interval,
 * the line giving how many events came since the previous one. Events between two lines are counted, not lost; they
 * show on the next line (and on the metrics at once). Thread-safe.
 */
final class LogThrottle {
    private final Clock clock;
    private final Duration interval;
    private final Map<String, State> states = new HashMap<>();

    LogThrottle(Clock clock, Duration interval) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.interval = Objects.requireNonNull(interval, "interval");
    }

    /**
     * Records one event of {@code key}.
     *
     * @return when a line is due, the number of events of {@code key} it stands for (this one included); else empty
     */
    synchronized OptionalLong record(String key) {
        State state = states.computeIfAbsent(key, k -> new State());
        state.unlogged++;
        Instant now = clock.instant();
        if (state.lastLine != null && now.isBefore(state.lastLine.plus(interval))) {
            return OptionalLong.empty();
        }
        long count = state.unlogged;
        state.unlogged = 0;
        state.lastLine = now;
        return OptionalLong.of(count);
    }

    private static final class State {
        Instant lastLine;
        long unlogged;
    }
}
