package fr.passerelle.adapters.https;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import fr.passerelle.core.crypto.CertifiedKey;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * A partner's HTTPS endpoint on 127.0.0.1 and a random port, as a partner would run it: its own server
 * certificate, a client certificate required and checked against one CA. It answers by path:
 * {@code /ok} 200, {@code /fail} 500, {@code /missing} 404, {@code /busy} 429 with {@code Retry-After: 30},
 * {@code /moved} 301, {@code /hang} never (until closed). Error answers carry a body that must never reach a
 * delivery's detail. Each request it reads is kept for the test to inspect.
 */
final class PartnerEndpoint implements AutoCloseable {
    /** The body of every error answer. */
    static final String ERROR_BODY = "Exemple FICTIF: the partner's error page, body-marker-7f3a";

    /** What the endpoint received. */
    record Received(String method, String path, Map<String, List<String>> headers, byte[] body,
                    X509Certificate clientCertificate) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final CountDownLatch released = new CountDownLatch(1);
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    PartnerEndpoint(CertifiedKey serverKey, X509Certificate clientCa) throws Exception {
        SSLContext tls = serverContext(serverKey, clientCa);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters parameters) {
                SSLParameters ssl = tls.getDefaultSSLParameters();
                ssl.setNeedClientAuth(true);
                parameters.setSSLParameters(ssl);
            }
        });
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** {@code https://localhost:<port><path>}. */
    String url(String path) {
        return "https://localhost:" + server.getAddress().getPort() + path;
    }

    /** {@code https://127.0.0.1:<port><path>}. */
    String ipUrl(String path) {
        return "https://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The requests read so far; a request is kept before it is answered. */
    List<Received> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            Certificate[] peer = ((HttpsExchange) exchange).getSSLSession().getPeerCertificates();
            received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders()), body, (X509Certificate) peer[0]));
            switch (exchange.getRequestURI().getPath()) {
                case "/ok" -> answer(exchange, 200, "");
                case "/fail" -> answer(exchange, 500, ERROR_BODY);
                case "/missing" -> answer(exchange, 404, ERROR_BODY);
                case "/busy" -> {
                    exchange.getResponseHeaders().add("Retry-After", "30");
                    answer(exchange, 429, ERROR_BODY);
                }
                case "/moved" -> {
                    exchange.getResponseHeaders().add("Location", "https://elsewhere.example/ok");
                    answer(exchange, 301, "");
                }
                case "/hang" -> released.await();
                default -> answer(exchange, 400, ERROR_BODY);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static SSLContext serverContext(CertifiedKey serverKey, X509Certificate clientCa) throws Exception {
        char[] password = new char[0];
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", serverKey.key(), password, serverKey.chainArray());
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("PKIX");
        keyManagers.init(keys, password);
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("ca", clientCa);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
        trustManagers.init(anchors);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), new SecureRandom());
        return context;
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
