package fr.passerelle.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The recipients, pulling their inboxes as fast as items come, timing each item from its submission. What they
 * pull is counted in a {@link Window}: the items submitted from its start on.
 */
final class Pullers {
    /**
     * How long a recipient waits after an empty page, as a partner's system polling its inbox would. A tighter loop
     * measures the bench's own polling more than the gateway: at 10 ms, three idle pollers cost more CPU than the
     * submissions.
     */
    static final long POLL_INTERVAL_MS = 100;

    private final List<PartnerClient> clients = new ArrayList<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final List<Thread> threads = new ArrayList<>();
    /** Every copy pulled, counted or not, for the progress lines. */
    final AtomicLong pulled = new AtomicLong();

    private volatile Window window;

    Pullers(List<String> recipients, Path pki, URI base) {
        recipients.forEach(r -> clients.add(PartnerClient.forPartner(r, pki, base)));
        window = new Window(Instant.MAX, clients.size());
    }

    void start() {
        for (int i = 0; i < clients.size(); i++) {
            int index = i;
            PartnerClient client = clients.get(i);
            Thread t = new Thread(() -> pull(client, index), "bench-pull-" + client.name());
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Counts from now on the items submitted from {@code from} on, until the next window. */
    Window open(Instant from) {
        Window opened = new Window(from, clients.size());
        window = opened;
        return opened;
    }

    /** Counts nothing more: what is pulled from now on belongs to no window. */
    void close() {
        window = new Window(Instant.MAX, clients.size());
    }

    private void pull(PartnerClient client, int index) {
        String after = "0";
        while (!stopped.get()) {
            try {
                PartnerClient.Reply reply = client.get("/v1/inbox?limit=100&after=" + after);
                JsonNode page = Json.MAPPER.readTree(reply.body());
                Instant now = Instant.now();
                Window current = window;
                for (JsonNode item : page.path("items")) {
                    pulled.incrementAndGet();
                    current.count(index, item, now);
                }
                if (page.path("items").isEmpty()) {
                    Thread.sleep(POLL_INTERVAL_MS);
                } else {
                    after = page.path("next").asText();
                }
            } catch (IOException | RuntimeException e) {
                // A failed pull is retried: the inbox loses nothing.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    void stop() throws InterruptedException {
        stopped.set(true);
        for (Thread t : threads) {
            t.join(5000);
        }
    }

    /** What the recipients pulled of the items submitted from a given instant on. */
    static final class Window {
        private final Instant from;
        private final int recipients;
        private final List<Latencies> latencies = new ArrayList<>();
        private final Map<String, AtomicInteger> copies = new ConcurrentHashMap<>();
        private final AtomicLong fullyDelivered = new AtomicLong();
        private final long started = System.nanoTime();
        private final AtomicLong lastDelivery = new AtomicLong(started);

        private Window(Instant from, int recipients) {
            this.from = from;
            this.recipients = recipients;
            for (int i = 0; i < recipients; i++) {
                latencies.add(new Latencies());
            }
        }

        /** Called by the puller {@code index} only: each has its own histogram. */
        private void count(int index, JsonNode item, Instant now) {
            Instant submitted = Instant.parse(item.path("submittedAt").asText());
            if (submitted.isBefore(from)) {
                return;
            }
            latencies
                    .get(index)
                    .add(Math.max(0, Duration.between(submitted, now).toNanos()));
            int seen = copies.computeIfAbsent(item.path("referralId").asText(), k -> new AtomicInteger())
                    .incrementAndGet();
            if (seen == recipients) {
                fullyDelivered.incrementAndGet();
                lastDelivery.set(System.nanoTime());
            }
        }

        long fullyDelivered() {
            return fullyDelivered.get();
        }

        /** Referrals that reached all their recipients, per second from the window's start to the last of them. */
        double deliveredPerSecond() {
            return fullyDelivered.get() / Math.max((lastDelivery.get() - started) / 1e9, 1e-9);
        }

        /** @return whether all {@code expected} referrals reached all their recipients within {@code maxSeconds} */
        boolean awaitDelivered(long expected, int maxSeconds) throws InterruptedException {
            long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
            while (fullyDelivered.get() < expected && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            return fullyDelivered.get() >= expected;
        }

        /** From submission to pull; read once the window is closed. */
        Latencies.Summary latency() {
            return Latencies.summarise(latencies);
        }
    }
}
