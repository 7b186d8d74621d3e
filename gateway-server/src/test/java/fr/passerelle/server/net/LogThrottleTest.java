package fr.passerelle.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.testkit.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class LogThrottleTest {
    private final FakeClock clock = new FakeClock(Instant.parse("2025-07-11T09:30:00Z"));
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
}
