package fr.passerelle.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;
import fr.passerelle.core.spi.OutgoingDelivery;
import fr.passerelle.devkit.PartnerHttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A partner's HTTPS endpoint for delivery tests: mutual TLS on a fixed port of 127.0.0.1, with scriptable
 * answers. It starts down (connections refused); {@link #up(Path)} listens, {@link #down()} stops listening
 * again. Each POST takes the next scripted answer, or 200 when the script is empty.
 */
final class PartnerEndpoint implements AutoCloseable {
    /** What the endpoint does with one delivery. */
    enum Answer {
        OK(200), ERROR(500), UNAVAILABLE(503), NOT_FOUND(404),
        /** Reads the request and never answers (until the endpoint closes). */
        HANG(0);

        final int status;

        Answer(int status) {
            this.status = status;
        }
    }

    /**
     * One request as the endpoint saw it, with the answer it got: {@code notice} is its Passerelle-Notice header
     * (empty on a referral's copy), {@code body} the sealed envelope.
     */
    record Received(String deliveryId, String referralId, int attempt, Answer answer, String notice, byte[] body) {
    }

    private final int port;
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private HttpsServer server;
    private ExecutorService executor;

    private PartnerEndpoint(int port) {
        this.port = port;
    }

    /** An endpoint that does not listen yet, on a port that was free a moment ago. */
    static PartnerEndpoint reserve() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new PartnerEndpoint(probe.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url(String path) {
        return "https://127.0.0.1:" + port + path;
    }

    /** The answers of the next requests, in order. */
    PartnerEndpoint answer(Answer... next) {
        script.addAll(List.of(next));
        return this;
    }

    /**
     * Listens, with a server certificate issued by the development CA in {@code pki} (which the gateway trusts),
     * asking for a client certificate from the same CA.
     */
    synchronized void up(Path pki) throws IOException {
        if (server != null) {
            return;
        }
        HttpsServer https = PartnerHttpsServer.bind(pki, pki.resolveSibling("partner-endpoint"), "siao-974-endpoint",
                port);
        https.createContext("/", this::handle);
        executor = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "test-partner-endpoint");
            thread.setDaemon(true);
            return thread;
        });
        https.setExecutor(executor);
        https.start();
        server = https;
    }

    /** Stops listening: the next connections are refused. */
    synchronized void down() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            byte[] envelope = body.readAllBytes();
            Answer answer = script.poll();
            answer = answer == null ? Answer.OK : answer;
            received.add(new Received(exchange.getRequestHeaders().getFirst(OutgoingDelivery.DELIVERY_ID_HEADER),
                    exchange.getRequestHeaders().getFirst("Passerelle-Referral-Id"),
                    Integer.parseInt(exchange.getRequestHeaders().getFirst("Passerelle-Attempt")), answer,
                    Objects.requireNonNullElse(exchange.getRequestHeaders().getFirst(OutgoingDelivery.NOTICE_HEADER), ""),
                    envelope));
            if (answer == Answer.HANG) {
                closing.await(30, TimeUnit.SECONDS);
                return;
            }
            exchange.sendResponseHeaders(answer.status, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Forgets the script and what was received. */
    void reset() {
        script.clear();
        received.clear();
    }

    /** Every request so far, in the order they arrived. */
    List<Received> received() {
        return List.copyOf(received);
    }

    /** The requests so far, once there are at least {@code count} of them; fails after {@code timeout}. */
    List<Received> await(int count, Duration timeout) {
        Awaitility.await(count + " requests at " + url("/")).atMost(timeout).pollInterval(Duration.ofMillis(20))
                .until(() -> received.size() >= count);
        return new ArrayList<>(received);
    }

    @Override
    public void close() {
        closing.countDown();
        down();
    }
}
