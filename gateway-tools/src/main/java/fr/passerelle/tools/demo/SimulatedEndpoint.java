package fr.passerelle.tools.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;
import fr.passerelle.core.spi.OutgoingDelivery;
import fr.passerelle.devkit.PartnerHttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A partner's own HTTPS endpoint, as the demo's SIAO runs it: mutual TLS (it asks for the gateway's client
 * certificate and trusts the development CA), one POST per delivery, 200 once the body is read.
 */
final class SimulatedEndpoint implements AutoCloseable {
    /** One delivery as the partner received it, and what the endpoint answered. */
    record Received(
            String deliveryId, String referralId, String attempt, String mediaType, byte[] body, int answered) {}

    private final HttpsServer server;
    private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger down = new java.util.concurrent.atomic.AtomicInteger();

    private SimulatedEndpoint(HttpsServer server) {
        this.server = server;
    }

    /** Listens on a free port of 127.0.0.1, with a certificate from the development CA in {@code pki}. */
    static SimulatedEndpoint start(Path pki, Path outDir, String id) throws IOException {
        HttpsServer server = PartnerHttpsServer.bind(pki, outDir, id, 0);
        SimulatedEndpoint endpoint = new SimulatedEndpoint(server);
        server.createContext("/", endpoint::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "demo-partner-endpoint");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return endpoint;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange;
                InputStream body = exchange.getRequestBody()) {
            byte[] bytes = body.readAllBytes();
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            // While "down", the partner's server answers as an overloaded one would.
            int status = down.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 503 : 200;
            received.add(new Received(
                    exchange.getRequestHeaders().getFirst(OutgoingDelivery.DELIVERY_ID_HEADER),
                    exchange.getRequestHeaders().getFirst("Passerelle-Referral-Id"),
                    exchange.getRequestHeaders().getFirst("Passerelle-Attempt"),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    bytes,
                    status));
            exchange.sendResponseHeaders(status, -1);
        }
    }

    /** Answers 503 to the next {@code requests} deliveries, as a partner that is down for a while. */
    void downFor(int requests) {
        down.set(requests);
    }

    URI url(String path) {
        return URI.create("https://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /**
     * The requests received so far (refused ones included), waiting up to {@code timeout} until {@code count} of them
     * were answered 200.
     */
    List<Received> await(int count, Duration timeout) throws InterruptedException {
        List<Received> all = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (all.stream().filter(r -> r.answered() == 200).count() < count) {
            Received next = received.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            all.add(next);
        }
        return all;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
