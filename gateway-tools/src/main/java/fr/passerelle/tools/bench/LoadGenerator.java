package fr.passerelle.tools.bench;

import fr.passerelle.devkit.PartnerClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Submits the same body over and over from {@code threads} clients, each with its own keep-alive HTTPS
 * connection and a fresh Idempotency-Key per request, for a fixed time, optionally paced to a target rate.
 */
final class LoadGenerator {
    private final Supplier<PartnerClient> clients;
    private final String path;
    private final byte[] body;
    private final String mediaType;
    private final int expectedStatus;
    final AtomicLong done = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong latencyNanos = new AtomicLong();
    /** The errors by the status answered, 0 for none (no connection, a timeout). */
    private final Map<Integer, AtomicLong> errorStatuses = new ConcurrentHashMap<>();

    LoadGenerator(Supplier<PartnerClient> clients, String path, byte[] body, String mediaType, int expectedStatus) {
        this.clients = clients;
        this.path = path;
        this.body = body;
        this.mediaType = mediaType;
        this.expectedStatus = expectedStatus;
    }

    /**
     * What one run measured.
     *
     * @param errorStatuses how many errors of each status (0 for no answer)
     */
    record Run(
            long requests, long errors, Map<Integer, Long> errorStatuses, double seconds, Latencies.Summary latency) {
        double perSecond() {
            return seconds == 0 ? 0 : requests / seconds;
        }
    }

    /**
     * @param ratePerSecond 0 for as fast as the server answers
     */
    Run run(int threads, double seconds, double ratePerSecond) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long beforeDone = done.get();
        long beforeErrors = errors.get();
        Map<Integer, Long> beforeStatuses = statuses();
        List<Latencies> latencies = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Latencies mine = new Latencies();
            latencies.add(mine);
            PartnerClient client = clients.get();
            long intervalNanos = ratePerSecond <= 0 ? 0 : (long) (threads * 1e9 / ratePerSecond);
            long offset = intervalNanos == 0 ? 0 : intervalNanos * i / threads;
            Thread worker = new Thread(() -> loop(client, mine, start + offset, end, intervalNanos), "bench-load-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        Map<Integer, Long> statuses = new TreeMap<>();
        statuses().forEach((status, n) -> {
            long during = n - beforeStatuses.getOrDefault(status, 0L);
            if (during > 0) {
                statuses.put(status, during);
            }
        });
        return new Run(
                done.get() - beforeDone,
                errors.get() - beforeErrors,
                statuses,
                elapsed,
                Latencies.summarise(latencies));
    }

    private Map<Integer, Long> statuses() {
        Map<Integer, Long> copy = new TreeMap<>();
        errorStatuses.forEach((status, n) -> copy.put(status, n.get()));
        return copy;
    }

    private void loop(PartnerClient client, Latencies mine, long first, long end, long intervalNanos) {
        long next = first;
        while (true) {
            long now = System.nanoTime();
            if (intervalNanos > 0) {
                if (next > now) {
                    sleepNanos(next - now);
                }
                next += intervalNanos;
            }
            long sent = System.nanoTime();
            if (sent >= end) {
                return;
            }
            try {
                PartnerClient.Reply reply = client.post(
                        path,
                        body,
                        mediaType,
                        Map.of("Idempotency-Key", UUID.randomUUID().toString()));
                long took = System.nanoTime() - sent;
                if (reply.status() == expectedStatus) {
                    mine.add(took);
                    done.incrementAndGet();
                    latencyNanos.addAndGet(took);
                } else {
                    errors.incrementAndGet();
                    errorStatuses
                            .computeIfAbsent(reply.status(), k -> new AtomicLong())
                            .incrementAndGet();
                }
            } catch (RuntimeException e) {
                errors.incrementAndGet();
                errorStatuses.computeIfAbsent(0, k -> new AtomicLong()).incrementAndGet();
            }
        }
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
