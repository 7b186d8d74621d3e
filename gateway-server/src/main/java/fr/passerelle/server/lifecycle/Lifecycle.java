package fr.passerelle.server.lifecycle;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The parts of a running process, closed in the reverse of the order they started. Each part registers as it
 * starts ({@link #add}); a start run by {@link #start} that fails closes what registered before the failure;
 * {@link #close} closes every part once. A part whose close fails does not keep the others open: every part is
 * closed, then the first failure is thrown with the others suppressed.
 *
 * <p>Thread-safe: parts register from the starting thread, while a shutdown hook may close.
 */
public final class Lifecycle implements AutoCloseable {
    private final Deque<Part> parts = new ArrayDeque<>();
    private boolean closed;

    private record Part(String name, AutoCloseable part) {}

    /**
     * Runs {@code start} with a new lifecycle. When it throws, whatever it throws, what it registered is closed in
     * reverse, and the failure is rethrown with those closes' failures suppressed.
     */
    public static <T> T start(Function<Lifecycle, T> start) {
        Lifecycle lifecycle = new Lifecycle();
        try {
            return start.apply(lifecycle);
        } catch (Throwable e) {
            // Throwable, not RuntimeException: a library may throw a checked exception undeclared (Netty's bind).
            lifecycle.closeAll().forEach(e::addSuppressed);
            throw e;
        }
    }

    /**
     * Registers a part that has started, to be closed before every part registered earlier.
     *
     * @param name the part, for the message of a failed close ("database", "delivery worker")
     * @return {@code part}
     * @throws IllegalStateException when this lifecycle is closed already; {@code part} is left open
     */
    public synchronized <T extends AutoCloseable> T add(String name, T part) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(part, "part");
        if (closed) {
            throw new IllegalStateException("lifecycle closed: cannot add " + name);
        }
        parts.push(new Part(name, part));
        return part;
    }

    /**
     * Closes every part, the last registered first; later calls do nothing.
     *
     * @throws RuntimeException the first failure, once every part was closed, with the others suppressed; a
     *                          checked one comes as a {@code GatewayException} ({@code internal}) naming the part
     */
    @Override
    public void close() {
        List<Throwable> failures = closeAll();
        if (failures.isEmpty()) {
            return;
        }
        Throwable first = failures.get(0);
        failures.subList(1, failures.size()).forEach(first::addSuppressed);
        if (first instanceof Error e) {
            throw e;
        }
        throw (RuntimeException) first;
    }

    /**
     * Closes the parts not closed yet, in reverse; a second caller waits until they are, so that nothing runs on
     * a part already closed.
     *
     * @return the failures, unchecked, in the order they happened
     */
    private synchronized List<Throwable> closeAll() {
        closed = true;
        List<Throwable> failures = new ArrayList<>();
        for (Part part = parts.poll(); part != null; part = parts.poll()) {
            try {
                part.part().close();
            } catch (Exception | Error e) {
                failures.add(unchecked(part.name(), e));
            }
        }
        return failures;
    }

    private static Throwable unchecked(String name, Throwable e) {
        if (e instanceof RuntimeException || e instanceof Error) {
            return e;
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new GatewayException(ErrorCode.INTERNAL, "closing " + name + " failed: " + e, e);
    }

    /**
     * Stops {@code pool} taking tasks and waits up to {@code drain} for the running ones to finish.
     *
     * @return whether they finished in time; false also when interrupted (the flag is restored)
     */
    public static boolean drained(ExecutorService pool, Duration drain) {
        pool.shutdown();
        try {
            return pool.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
