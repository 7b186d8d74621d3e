package fr.passerelle.server.management;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.config.versions.LiveDeployment;
import fr.passerelle.core.testkit.FakeClock;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class ReadinessTest {
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final FakeClock clock = new FakeClock(Instant.parse("2026-03-02T08:00:00Z"));
    private final AtomicReference<Optional<LiveDeployment.Failure>> failure = new AtomicReference<>(Optional.empty());

    private Readiness readiness(Callable<OptionalInt> database, int running, BooleanSupplier keys) {
        return new Readiness(database, () -> running, failure::get, keys, GRACE, Duration.ofMillis(200), clock);
    }

    @Test
    void isReadyWhenTheDatabaseAnswersOnTheCurrentVersionWithTheKeys() {
        try (Readiness readiness = readiness(() -> OptionalInt.of(4), 4, () -> true)) {
            Answer answer = readiness.answer();

            assertThat(answer.status()).isEqualTo(HttpResponseStatus.OK);
            assertThat(answer.body()).isEqualTo("ok\n");
        }
    }

    @Test
    void namesTheDatabaseWhenItRefusesWithoutShowingWhy() {
        try (Readiness readiness = readiness(
                () -> {
                    throw new SQLException("Connection to db.internal:5432 refused, password=secret");
                },
                4,
                () -> true)) {
            Answer answer = readiness.answer();

            assertThat(answer.status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
            assertThat(answer.body()).isEqualTo("not ready: database\n");
        }
    }

    @Test
    void namesTheDatabaseWhenItDoesNotAnswerInTime() throws Exception {
        CountDownLatch hang = new CountDownLatch(1);
        try (Readiness readiness = readiness(
                () -> {
                    hang.await();
                    return OptionalInt.of(4);
                },
                4,
                () -> true)) {
            List<String> first = readiness.failing();
            List<String> second = readiness.failing();

            assertThat(first).containsExactly("database");
            assertThat(second).containsExactly("database");
        } finally {
            hang.countDown();
        }
    }

    @Test
    void toleratesAMomentsLagBehindANewVersionThenCallsTheConfigurationStale() {
        try (Readiness readiness = readiness(() -> OptionalInt.of(5), 4, () -> true)) {
            List<String> atOnce = readiness.failing();
            clock.advance(GRACE);
            List<String> withinGrace = readiness.failing();
            clock.advance(Duration.ofSeconds(1));
            List<String> past = readiness.failing();

            assertThat(atOnce).isEmpty();
            assertThat(withinGrace).isEmpty();
            assertThat(past).containsExactly("configuration");
        }
    }

    @Test
    void callsTheConfigurationStaleWhenALaterVersionFailedToLoad() {
        failure.set(Optional.of(new LiveDeployment.Failure(5, "partners/siao-75.yaml: config_invalid")));
        try (Readiness readiness = readiness(() -> OptionalInt.of(5), 4, () -> true)) {
            Answer answer = readiness.answer();

            assertThat(answer.body()).isEqualTo("not ready: configuration\n");
        }
    }

    @Test
    void namesTheKeysWhenTheyAreNotLoaded() {
        try (Readiness readiness = readiness(() -> OptionalInt.empty(), 0, () -> {
            throw new IllegalStateException("no master key");
        })) {
            assertThat(readiness.failing()).containsExactly("keys");
        }
    }

    @Test
    void isNotReadyOnceStoppingWhateverElseHolds() {
        try (Readiness readiness = readiness(() -> OptionalInt.of(4), 4, () -> true)) {
            readiness.stopping();

            assertThat(readiness.answer().body()).isEqualTo("not ready: stopping\n");
        }
    }
}
