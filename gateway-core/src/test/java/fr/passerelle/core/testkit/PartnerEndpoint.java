package fr.passerelle.core.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import fr.passerelle.core.spi.OutgoingDelivery;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.awaitility.Awaitility;

/**
 * A partner's HTTPS endpoint, as the gateway pushes to it: on 127.0.0.1, over mutual TLS, every request recorded
 * as it arrives, then answered. The answer is the next one of a script ({@link #answer}), else the endpoint's
 * routing by path ({@link #route}), else 200. While {@link #hold()} is in force, answers wait until
 * {@link #release()}: the gateway then holds deliveries in flight, which a test can cut by killing it.
 *
 * <p>{@link #start} listens at once on a free port; {@link #reserve} takes a port and stays down (connections
 * refused) until {@link #up()}, and {@link #down()} stops listening again: a partner that comes and goes at one
 * address. Safe to use from any thread.
 */
public final class PartnerEndpoint implements AutoCloseable {
    private static final long WAIT_LIMIT_SECONDS = 60;

    /** Makes the HTTPS server, not started, on a port of the loopback interface (0: a free one). */
    @FunctionalInterface
    public interface Binding {
        HttpsServer bind(int port) throws IOException;

        /** A server on 127.0.0.1 with {@code tls}, asking for a client certificate that it trusts. */
        static Binding of(SSLContext tls) {
            return port -> {
                HttpsServer server =
                        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
                server.setHttpsConfigurator(new HttpsConfigurator(tls) {
                    @Override
                    public void configure(HttpsParameters parameters) {
                        SSLParameters ssl = tls.getDefaultSSLParameters();
                        ssl.setNeedClientAuth(true);
                        parameters.setSSLParameters(ssl);
                    }
                });
                return server;
            };
        }
    }

    /** What the endpoint does with one request: a status, headers and a body, or {@link #HANG}. */
    public record Answer(int status, Map<String, String> headers, String body) {
        public static final Answer OK = status(200);
        public static final Answer ERROR = status(500);
        public static final Answer UNAVAILABLE = status(503);
        public static final Answer NOT_FOUND = status(404);
        /** Reads the request and never answers, until the endpoint closes. */
        public static final Answer HANG = status(0);

        public Answer {
            headers = Map.copyOf(headers);
            Objects.requireNonNull(body, "body");
        }

        public static Answer status(int status) {
            return new Answer(status, Map.of(), "");
        }

        public Answer withHeader(String name, String value) {
            Map<String, String> more = new HashMap<>(headers);
            more.put(name, value);
            return new Answer(status, more, body);
        }

        public Answer withBody(String text) {
            return new Answer(status, headers, text);
        }
    }

    /** One request as the endpoint read it, with the client's certificate and the answer it got. */
    public record Received(
            String method,
            String path,
            Map<String, List<String>> headers,
            byte[] body,
            X509Certificate clientCertificate,
            Answer answer) {
        /** The first value of a request header, whatever its case; null when absent. */
        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }

        public String deliveryId() {
            return header(OutgoingDelivery.DELIVERY_ID_HEADER);
        }

        public String referralId() {
            return header("Passerelle-Referral-Id");
        }

        public int attempt() {
            return Integer.parseInt(header("Passerelle-Attempt"));
        }

        /** The notice a push carries; empty on a referral's copy. */
        public String notice() {
            return Objects.requireNonNullElse(header(OutgoingDelivery.NOTICE_HEADER), "");
        }
    }

    private final Binding binding;
    private final int port;
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    private volatile Function<String, Answer> route = path -> Answer.OK;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger held = new AtomicInteger();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private HttpsServer server;
    private ExecutorService executor;

    private PartnerEndpoint(Binding binding, int port) {
        this.binding = binding;
        this.port = port;
    }

    /** An endpoint listening on a free port. */
    public static PartnerEndpoint start(Binding binding) throws IOException {
        PartnerEndpoint endpoint = new PartnerEndpoint(binding, 0);
        endpoint.up();
        return endpoint;
    }

    /** An endpoint that does not listen yet, on a port that was free a moment ago. */
    public static PartnerEndpoint reserve(Binding binding) {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new PartnerEndpoint(binding, probe.getLocalPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code https://127.0.0.1:<port><path>}. */
    public String url(String path) {
        return url("127.0.0.1", path);
    }

    /** {@code https://<host>:<port><path>}, for a test of the names in the endpoint's certificate. */
    public synchronized String url(String host, String path) {
        return "https://" + host + ":"
                + (server == null ? port : server.getAddress().getPort()) + path;
    }

    /** The answers of the next requests, in order, before the routing by path. */
    public PartnerEndpoint answer(Answer... next) {
        script.addAll(List.of(next));
        return this;
    }

    /** How to answer a request by its path once the script is spent (by default, 200). */
    public PartnerEndpoint route(Function<String, Answer> byPath) {
        route = byPath;
        return this;
    }

    /** Listens (on the reserved port, or a free one). */
    public synchronized void up() throws IOException {
        if (server != null) {
            return;
        }
        HttpsServer https = binding.bind(port);
        https.createContext("/", this::handle);
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "test-partner-endpoint-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        https.setExecutor(executor);
        https.start();
        server = https;
    }

    /** Stops listening: the next connections are refused. */
    public synchronized void down() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    private void handle(HttpExchange exchange) {
        try (exchange;
                InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            Answer scripted = script.poll();
            Answer answer = scripted != null
                    ? scripted
                    : route.apply(exchange.getRequestURI().getPath());
            received.add(new Received(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders()),
                    body,
                    clientCertificate(exchange),
                    answer));
            CountDownLatch current = gate;
            if (current.getCount() > 0) {
                held.incrementAndGet();
                current.await(WAIT_LIMIT_SECONDS, TimeUnit.SECONDS);
            }
            if (answer.equals(Answer.HANG)) {
                closing.await(WAIT_LIMIT_SECONDS, TimeUnit.SECONDS);
                return;
            }
            answer.headers().forEach(exchange.getResponseHeaders()::add);
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (IOException e) {
            // The gateway went away before the answer (it was killed, or gave up): it sends the delivery again.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static X509Certificate clientCertificate(HttpExchange exchange) {
        try {
            return (X509Certificate) ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0];
        } catch (SSLPeerUnverifiedException e) {
            throw new IllegalStateException(
                    "the endpoint asks for a client certificate: the TLS layer let a" + " request through without one",
                    e);
        }
    }

    /** From now on, answers wait for {@link #release()}. */
    public void hold() {
        gate = new CountDownLatch(1);
    }

    /** Answers every request that waits, and the next ones at once. */
    public void release() {
        gate.countDown();
    }

    /** How many requests have waited for a release so far. */
    public int held() {
        return held.get();
    }

    /** Forgets the script and what was received. */
    public void reset() {
        script.clear();
        received.clear();
    }

    /** Every request so far, in order of arrival; a request is kept before it is answered. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The requests so far, once there are at least {@code count} of them; fails after {@code timeout}. */
    public List<Received> await(int count, Duration timeout) {
        Awaitility.await(count + " requests at " + url("/"))
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> received.size() >= count);
        return received();
    }

    @Override
    public void close() {
        closing.countDown();
        release();
        down();
    }
}
