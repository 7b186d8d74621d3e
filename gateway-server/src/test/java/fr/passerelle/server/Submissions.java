package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Shelter requests from Kaz Lespwa to the SIAO of La Réunion, each with its own Idempotency-Key, as the gateway's
 * process tests send them: which were accepted (key → referral id), and which were cut (no answer, or not 202),
 * their fate unknown until they are sent again with the same key.
 */
final class Submissions {
    static final String SENDER = "association-974-kaz-lespwa";
    static final String SIAO = "siao-974";
    /** Failures a submitter of {@link #startStream} tolerates before the gateway first answers it. */
    static final int EARLY_FAILURES = 5;

    private final String prefix;
    private final String template;
    private final Map<String, String> accepted = new ConcurrentHashMap<>();
    private final Set<String> cut = ConcurrentHashMap.newKeySet();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final Map<PartnerClient, AtomicInteger> acceptedBy = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;
    private volatile boolean abandoned;

    /**
     * @param prefix the keys' prefix ({@code crash} gives {@code crash-1}, {@code crash-2}…), also the threads' and
     *               the output lines' name
     * @param sample the shipped shelter request, sent to department 974 with a case number of its own per key
     */
    Submissions(String prefix, byte[] sample) {
        this.prefix = prefix;
        String text = new String(sample, StandardCharsets.UTF_8);
        assertThat(text).contains("\"department\": \"75\"", "\"EX-2025-0002\"");
        this.template = text.replace("\"department\": \"75\"", "\"department\": \"974\"");
    }

    /**
     * Submits from {@code count} threads, each key once, until {@link #stopStream()} or until the gateway goes away
     * (a failure after the thread's first acceptance).
     */
    void startStream(PartnerClient client, int count) {
        start(count, () -> {
            // A gateway just started on a busy machine may miss its first answers: only a failure after this
            // thread's first acceptance means the gateway went away.
            int early = 0;
            boolean flowing = false;
            while (!stopped && next.get() < 500) {
                if (submit(client, newKey()).isPresent()) {
                    flowing = true;
                } else if (flowing || ++early >= EARLY_FAILURES) {
                    return;
                } else {
                    pause(Duration.ofMillis(500));
                }
            }
        });
    }

    /**
     * Submits from {@code count} threads until {@link #stopStream()}, as a patient sender does: a key that gets no
     * 202 is sent again, with the same key, until it does; only then does the thread take a new key.
     */
    void startRetryingStream(PartnerClient client, int count) {
        startRetryingStream(List.of(client), count);
    }

    /**
     * As {@link #startRetryingStream(PartnerClient, int)} over several instances, as a sender behind a load balancer
     * does: the keys go to the instances in turn, and a key that gets no 202 is sent again, with the same key, to
     * the next instance; after a failure on every instance, a pause.
     */
    void startRetryingStream(List<PartnerClient> clients, int count) {
        start(count, () -> {
            while (!stopped && next.get() < 2_000) {
                int number = next.incrementAndGet();
                String key = prefix + "-" + number;
                int attempt = 0;
                while (submit(clients.get((number + attempt) % clients.size()), key)
                                .isEmpty()
                        && !abandoned) {
                    if (++attempt % clients.size() == 0) {
                        pause(Duration.ofMillis(200));
                    }
                }
            }
        });
    }

    private void start(int count, Runnable submitter) {
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(submitter, prefix + "-submitter-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    private String newKey() {
        return prefix + "-" + next.incrementAndGet();
    }

    private static void pause(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the submitters and waits for them: each ends its current submission (and its retries) first. */
    void stopStream() throws InterruptedException {
        stopped = true;
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(40).toMillis());
            assertThat(thread.isAlive())
                    .as("%s still submitting 40 s after the stop", thread.getName())
                    .isFalse();
        }
    }

    /** Stops the submitters without waiting, their current submission left as it is: a failed test's cleanup. */
    void abandon() {
        abandoned = true;
        stopped = true;
    }

    /** The referral id, or empty when the answer never came (or was not 202): the key is then cut. */
    Optional<String> submit(PartnerClient client, String key) {
        byte[] body = template.replace("\"EX-2025-0002\"", "\"EX-" + prefix.toUpperCase(Locale.ROOT) + "-" + key + "\"")
                .getBytes(StandardCharsets.UTF_8);
        try {
            PartnerClient.Reply reply =
                    client.post("/v1/referrals", body, "application/json", Map.of("Idempotency-Key", key));
            if (reply.status() != 202) {
                failures.incrementAndGet();
                System.out.println(prefix + ": " + key + " answered " + reply.status());
                cut.add(key);
                return Optional.empty();
            }
            JsonNode json = Json.MAPPER.readTree(reply.body());
            assertThat(json.path("recipients").findValuesAsText("partner")).containsExactly(SIAO);
            String id = json.path("id").asText();
            String earlier = accepted.putIfAbsent(key, id);
            assertThat(earlier).as("referral of %s sent again", key).isIn(null, id);
            cut.remove(key);
            acceptedBy.computeIfAbsent(client, c -> new AtomicInteger()).incrementAndGet();
            return Optional.of(id);
        } catch (GatewayException | IOException e) {
            failures.incrementAndGet();
            System.out.println(
                    prefix + ": " + key + " got no answer (" + e.getClass().getSimpleName() + ")");
            cut.add(key);
            return Optional.empty();
        }
    }

    /** Sends every cut submission again with its key; each must now be accepted. */
    int retryCut(PartnerClient client) {
        List<String> keys = List.copyOf(cut);
        for (String key : keys) {
            assertThat(submit(client, key))
                    .as("submission %s sent again after the restart", key)
                    .isPresent();
        }
        return keys.size();
    }

    /** Key → referral id of every submission answered 202. */
    Map<String, String> accepted() {
        return new HashMap<>(accepted);
    }

    /** How many submissions {@code client} answered 202. */
    int acceptedBy(PartnerClient client) {
        AtomicInteger count = acceptedBy.get(client);
        return count == null ? 0 : count.get();
    }

    /** Submissions that got no answer, or one other than 202 (a 5xx while the database was away). */
    int failures() {
        return failures.get();
    }
}
