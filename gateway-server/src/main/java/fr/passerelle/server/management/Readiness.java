package fr.passerelle.server.management;

import fr.passerelle.core.config.versions.ConfigVersions;
import fr.passerelle.core.config.versions.LiveDeployment;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * {@code GET /readyz}: whether this instance should be sent traffic. It is ready when
 *
 * <ul>
 *   <li>{@code database}: the database answers within {@link #TIMEOUT};
 *   <li>{@code configuration}: the instance runs on the current configuration version: no later version failed
 *       to load on it, and it has not lagged behind the database's current version for longer than a few polls
 *       (a new version reaches every instance within one poll: a moment's lag is normal);
 *   <li>{@code keys}: the master keys of both families are loaded;
 * </ul>
 *
 * and it is not {@code stopping}. A failing check is named in a word, never with its cause: the log has that.
 *
 * <p>The database is asked on a thread of its own, at most one question at a time: a database that hangs holds
 * that thread, not the probes, which answer {@code database} after the timeout. Thread-safe.
 */
public final class Readiness implements AutoCloseable {
    /** How long the database has to answer. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** The shortest lag behind the current configuration version that counts as stale. */
    static final Duration MIN_GRACE = Duration.ofSeconds(10);

    private final Callable<OptionalInt> database;
    private final IntSupplier running;
    private final Supplier<Optional<LiveDeployment.Failure>> failure;
    private final BooleanSupplier keys;
    private final Duration grace;
    private final Duration timeout;
    private final Clock clock;
    private final ExecutorService asker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "passerelle-readiness");
        thread.setDaemon(true);
        return thread;
    });
    private Future<OptionalInt> question;
    private Lag lag;
    private volatile boolean stopping;

    /** Since when the instance has run behind a later current version. */
    private record Lag(int version, Instant since) {}

    /**
     * @param database    asks the database something; answers the current configuration version when the
     *                    instance follows versions, else empty; throws when the database does not answer
     * @param running     the configuration version the instance runs on
     * @param failure     the last version that failed to load on the instance
     * @param keys        whether the master keys are loaded
     * @param grace       how long the instance may run behind the current version
     */
    Readiness(
            Callable<OptionalInt> database,
            IntSupplier running,
            Supplier<Optional<LiveDeployment.Failure>> failure,
            BooleanSupplier keys,
            Duration grace,
            Duration timeout,
            Clock clock) {
        this.database = Objects.requireNonNull(database, "database");
        this.running = Objects.requireNonNull(running, "running");
        this.failure = Objects.requireNonNull(failure, "failure");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.grace = Objects.requireNonNull(grace, "grace");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The readiness of a gateway.
     *
     * @param versions    the configuration versions, when the instance follows them
     * @param versionPoll how often the instance looks for a new version: five polls of lag are stale (at least
     *                    {@link #MIN_GRACE})
     */
    public static Readiness of(
            DataSource dataSource,
            Optional<ConfigVersions> versions,
            LiveDeployment live,
            BooleanSupplier keys,
            Duration versionPoll,
            Clock clock) {
        Duration grace = versionPoll.multipliedBy(5);
        return new Readiness(
                () -> {
                    try (Connection connection = dataSource.getConnection()) {
                        if (!connection.isValid((int) TIMEOUT.toSeconds())) {
                            throw new SQLException("the connection is not valid");
                        }
                    }
                    return versions.map(ConfigVersions::current).orElse(OptionalInt.empty());
                },
                live::version,
                live::failure,
                keys,
                grace.compareTo(MIN_GRACE) < 0 ? MIN_GRACE : grace,
                TIMEOUT,
                clock);
    }

    /** The checks that fail now, in a word each; empty when the instance is ready. */
    List<String> failing() {
        List<String> failing = new ArrayList<>();
        if (stopping) {
            failing.add("stopping");
        }
        Optional<OptionalInt> current = askDatabase();
        if (current.isEmpty()) {
            failing.add("database");
        }
        if (!configurationCurrent(current.orElse(OptionalInt.empty()))) {
            failing.add("configuration");
        }
        if (!keysLoaded()) {
            failing.add("keys");
        }
        return failing;
    }

    Answer answer() {
        return Answer.of("ready", failing());
    }

    /** From now on, not ready: the instance is stopping and finishes the requests it has. */
    public void stopping() {
        stopping = true;
    }

    /** The database's answer, or empty when it failed or did not come within the timeout. */
    private Optional<OptionalInt> askDatabase() {
        Future<OptionalInt> asked;
        synchronized (this) {
            if (question == null || question.isDone()) {
                question = asker.submit(database);
            }
            asked = question;
        }
        try {
            return Optional.of(asked.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** @param current the database's current version, empty when unknown (no versions, or no answer) */
    private synchronized boolean configurationCurrent(OptionalInt current) {
        if (failure.get().isPresent()) {
            return false;
        }
        if (current.isEmpty() || current.getAsInt() == running.getAsInt()) {
            lag = null;
            return true;
        }
        Instant now = clock.instant();
        if (lag == null || lag.version() != current.getAsInt()) {
            lag = new Lag(current.getAsInt(), now);
        }
        return !now.isAfter(lag.since().plus(grace));
    }

    private boolean keysLoaded() {
        try {
            return keys.getAsBoolean();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        asker.shutdownNow();
    }
}
