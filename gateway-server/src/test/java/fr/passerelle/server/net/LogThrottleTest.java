package fr.passerelle.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class LogThrottleTest {
    private final MovableClock clock = new MovableClock();
    private final LogThrottle throttle = new LogThrottle(clock, Duration.ofMinutes(1));

    @Test
    void logsTheFirstEventOfEachKeyAtOnce() {
        OptionalLong first = throttle.record("timeout");
        OptionalLong other = throttle.record("unknown-ca");

        assertThat(first).hasValue(1);
        assertThat(other).hasValue(1);
    }

    @Test
    void staysSilentWithinTheMinuteThenGivesTheCountSinceTheLastLine() {
        throttle.record("timeout");
        clock.advance(Duration.ofSeconds(20));
        OptionalLong second = throttle.record("timeout");
        clock.advance(Duration.ofSeconds(39));
        OptionalLong third = throttle.record("timeout");
        clock.advance(Duration.ofSeconds(1));

        OptionalLong afterAMinute = throttle.record("timeout");

        assertThat(second).isEmpty();
        assertThat(third).isEmpty();
        assertThat(afterAMinute).hasValue(3);
        assertThat(throttle.record("timeout")).isEmpty();
    }

    @Test
    void throttlesEachKeyOnItsOwn() {
        throttle.record("timeout");
        throttle.record("timeout");

        OptionalLong other = throttle.record("protocol");

        assertThat(other).hasValue(1);
    }

    /** A UTC clock that stands still until the test moves it. */
    static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2025-07-11T09:30:00Z");

        synchronized void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public synchronized Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("stays in UTC");
        }
    }
}
