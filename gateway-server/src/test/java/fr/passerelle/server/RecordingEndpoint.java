package fr.passerelle.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;
import fr.passerelle.core.spi.OutgoingDelivery;
import fr.passerelle.devkit.PartnerHttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A partner's HTTPS endpoint for delivery tests: mutual TLS with a server certificate from the development CA,
 * every POST recorded (delivery id, referral id, path) as it arrives, then answered 200. While {@link #hold()}
 * is in force, answers wait until {@link #release()}: the gateway then holds deliveries in flight, which a test
 * can cut by killing it. Records identifiers only, never the body.
 */
final class RecordingEndpoint implements AutoCloseable {
    /** One POST as it arrived; the same delivery may arrive more than once (at least once delivery). */
    record Received(long deliveryId, String referralId, String path) {
    }

    private static final long HOLD_LIMIT_SECONDS = 60;

    private final HttpsServer server;
    private final ExecutorService executor;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger held = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    private RecordingEndpoint(HttpsServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Listens on a free port of 127.0.0.1, with a certificate issued by the development CA in {@code pki}. */
    static RecordingEndpoint start(Path pki, Path dir) throws IOException {
        HttpsServer server = PartnerHttpsServer.bind(pki, dir, "partner-endpoint", 0);
        AtomicInteger n = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(16, r -> {
            Thread thread = new Thread(r, "recording-endpoint-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        RecordingEndpoint endpoint = new RecordingEndpoint(server, executor);
        server.createContext("/", endpoint::handle);
        server.setExecutor(executor);
        server.start();
        return endpoint;
    }

    private void handle(HttpExchange exchange) {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
            String deliveryId = exchange.getRequestHeaders().getFirst(OutgoingDelivery.DELIVERY_ID_HEADER);
            if (!exchange.getRequestMethod().equals("POST") || deliveryId == null) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            received.add(new Received(Long.parseLong(deliveryId),
                    exchange.getRequestHeaders().getFirst("Passerelle-Referral-Id"),
                    exchange.getRequestURI().getPath()));
            CountDownLatch current = gate;
            if (current.getCount() > 0) {
                held.incrementAndGet();
                current.await(HOLD_LIMIT_SECONDS, TimeUnit.SECONDS);
            }
            exchange.sendResponseHeaders(200, -1);
        } catch (IOException e) {
            // The gateway went away before the answer (it was killed): it will send the delivery again.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    URI url(String path) {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** Every POST so far, in order of arrival. */
    List<Received> received() {
        return List.copyOf(received);
    }

    /** From now on, answers wait for {@link #release()}. */
    void hold() {
        gate = new CountDownLatch(1);
    }

    /** Answers every POST that waits, and the next ones at once. */
    void release() {
        gate.countDown();
    }

    /** How many POSTs have waited for a release so far. */
    int held() {
        return held.get();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }
}
