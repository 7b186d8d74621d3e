package fr.passerelle.server.management;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /livez}: the process runs and the event loops of its listeners answer. Each loop is handed an empty
 * task; a loop that has not run it within the timeout is stuck (a blocking call, a busy loop), and only a restart
 * helps. Runs off the event loops.
 */
final class Liveness {
    /** How long every event loop has, together, to run its empty task. */
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final List<EventExecutor> loops;
    private final Duration timeout;

    /** @param loops the event loops of the listeners that serve partners and people */
    Liveness(List<EventExecutor> loops) {
        this(loops, TIMEOUT);
    }

    Liveness(List<EventExecutor> loops, Duration timeout) {
        this.loops = List.copyOf(loops);
        this.timeout = timeout;
    }

    /** Whether every event loop ran an empty task within the timeout. */
    boolean live() {
        List<Future<?>> ran = new ArrayList<>();
        try {
            for (EventExecutor loop : loops) {
                ran.add(loop.submit(() -> {}));
            }
        } catch (RejectedExecutionException e) {
            // A loop that stopped: the listener is closing.
            return false;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Future<?> task : ran) {
            long left = Math.max(0, deadline - System.nanoTime());
            if (!task.awaitUninterruptibly(left, TimeUnit.NANOSECONDS) || !task.isSuccess()) {
                return false;
            }
        }
        return true;
    }

    Answer answer() {
        return Answer.of("live", live() ? List.of() : List.of("event-loops"));
    }
}
