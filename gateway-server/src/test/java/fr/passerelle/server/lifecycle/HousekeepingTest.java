package fr.passerelle.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class HousekeepingTest {
    private static final Duration SOON = Duration.ofMillis(10);

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Housekeeping housekeeping = Housekeeping.start("housekeeping-test", Duration.ofSeconds(5));

    @BeforeEach
    void captureLog() {
        log.start();
        ((Logger) LoggerFactory.getLogger(Housekeeping.class)).addAppender(log);
    }

    @AfterEach
    void stop() {
        housekeeping.close();
        ((Logger) LoggerFactory.getLogger(Housekeeping.class)).detachAppender(log);
    }

    @Test
    void runsAFailingTaskAgainAndLogsEachFailureOnceWithTheTasksName() throws InterruptedException {
        CountDownLatch threeRuns = new CountDownLatch(3);

        housekeeping.every("purge", SOON, SOON, () -> {
            threeRuns.countDown();
            throw new IllegalStateException("database unavailable");
        });

        assertThat(threeRuns.await(5, TimeUnit.SECONDS)).isTrue();
        housekeeping.close();
        assertThat(log.list).hasSizeGreaterThanOrEqualTo(3).allSatisfy(event -> assertThat(event.getFormattedMessage())
                .isEqualTo("Housekeeping task purge failed (java.lang.IllegalStateException: database unavailable):"
                        + " it will be tried again"));
    }

    @Test
    void keepsRunningTheOtherTasksWhileOneFails() throws InterruptedException {
        CountDownLatch healthyRuns = new CountDownLatch(3);
        AtomicInteger failures = new AtomicInteger();

        housekeeping.every("re-wrap", SOON, SOON, () -> {
            failures.incrementAndGet();
            throw new IllegalStateException("no master key");
        });
        housekeeping.every("outbox figures", SOON, SOON, healthyRuns::countDown);

        assertThat(healthyRuns.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(failures).hasPositiveValue();
    }

    @Test
    void letsARunningTaskFinishWhenClosed() throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        AtomicBoolean interrupted = new AtomicBoolean();
        housekeeping.every("audit tree head", Duration.ZERO, Duration.ofHours(1), () -> {
            running.countDown();
            try {
                Thread.sleep(200);
                finished.set(true);
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
        });
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();

        housekeeping.close();

        assertThat(finished).isTrue();
        assertThat(interrupted).isFalse();
    }

    @Test
    void interruptsATaskThatOutlastsTheDrain() throws InterruptedException {
        Housekeeping impatient = Housekeeping.start("housekeeping-test", Duration.ofMillis(50));
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        impatient.every("re-wrap", Duration.ZERO, Duration.ofHours(1), () -> {
            running.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
        });
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();

        impatient.close();

        assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
    }
}
