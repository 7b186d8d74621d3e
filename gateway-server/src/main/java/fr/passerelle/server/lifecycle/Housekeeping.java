package fr.passerelle.server.lifecycle;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic tasks of a process, each named, run one at a time on one daemon thread. A task that fails is
 * logged once, with its name, and runs again at its next period; it never stops the others. Closing lets a
 * running task finish (interrupting it mid-query would break its connection) for a bounded time.
 */
public final class Housekeeping implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);

    private final ScheduledExecutorService scheduler;
    private final Duration drain;

    private Housekeeping(String thread, Duration drain) {
        this.drain = Objects.requireNonNull(drain, "drain");
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, thread);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * @param thread the name of the thread that runs the tasks
     * @param drain  how long {@link #close} waits for a running task before interrupting it
     */
    public static Housekeeping start(String thread, Duration drain) {
        return new Housekeeping(Objects.requireNonNull(thread, "thread"), drain);
    }

    /**
     * Runs {@code task} after {@code initialDelay}, then again {@code period} after each run ends.
     *
     * @param name what the task does, for the log line of a failure ("purge", "audit tree head")
     */
    public void every(String name, Duration initialDelay, Duration period, Runnable task) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(task, "task");
        scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        log.warn("Housekeeping task {} failed ({}): it will be tried again", name, e.toString());
                    }
                },
                initialDelay.toMillis(),
                period.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Stops the tasks: a running one finishes, or is interrupted once the drain time has passed. */
    @Override
    public void close() {
        if (!Lifecycle.drained(scheduler, drain)) {
            scheduler.shutdownNow();
        }
    }
}
