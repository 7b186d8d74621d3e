package fr.passerelle.core.testkit;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A CRL distribution point on 127.0.0.1 and a port the system picks: serves the CRL last {@link #publish}ed, in
 * DER, at {@link #url()}, and counts the downloads.
 */
public final class CrlPoint implements AutoCloseable {
    private final HttpServer server;
    private final AtomicReference<byte[]> crl = new AtomicReference<>(new byte[0]);
    private final AtomicInteger downloads = new AtomicInteger();

    private CrlPoint(HttpServer server) {
        this.server = server;
    }

    public static CrlPoint start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        CrlPoint point = new CrlPoint(server);
        server.createContext("/ca.crl", exchange -> {
            point.downloads.incrementAndGet();
            byte[] body = point.crl.get();
            exchange.getResponseHeaders().set("Content-Type", "application/pkix-crl");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return point;
    }

    public void publish(X509CRL next) {
        try {
            crl.set(next.getEncoded());
        } catch (CRLException e) {
            throw new IllegalStateException("the test CRL has no DER encoding", e);
        }
    }

    /** {@code http://127.0.0.1:<port>/ca.crl}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ca.crl");
    }

    public int downloads() {
        return downloads.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
