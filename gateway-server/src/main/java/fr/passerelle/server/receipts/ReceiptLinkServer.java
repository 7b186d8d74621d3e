package fr.passerelle.server.receipts;

import fr.passerelle.core.GatewayException;
import fr.passerelle.core.store.ReceiptLinks;
import fr.passerelle.server.GatewayServer;
import io.netty.handler.ssl.SslContext;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The public receipt listener: HTTPS with the gateway's server certificate and no client certificate, serving
 * {@code /v1/receipts/{token}} to the people who open the links of a secure mail. Owns its event loops; the
 * database work runs on the executor the caller gives (and still owns).
 */
public final class ReceiptLinkServer implements AutoCloseable {
    /** Event loop threads: the listener serves a few people, not the partners' systems. */
    static final int IO_THREADS = 2;

    private final GatewayServer server;

    private ReceiptLinkServer(GatewayServer server) {
        this.server = server;
    }

    /**
     * Binds the listener.
     *
     * @param port         0 for a free port (see {@link #port()})
     * @param tls          a context without client authentication, such as {@code ServerTls.forPublic}
     * @param blockingWork runs the database work; a full or stopped executor gets a 503 page
     * @throws GatewayException {@code config_invalid} when the address cannot be bound, naming it
     */
    public static ReceiptLinkServer start(String host, int port, SslContext tls, ReceiptLinks links,
                                          Executor blockingWork) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(links, "links");
        Objects.requireNonNull(blockingWork, "blockingWork");
        return new ReceiptLinkServer(GatewayServer.bind("for receipt links ", host, port, IO_THREADS, 128,
                new ReceiptLinkInitializer(tls, links, blockingWork),
                "receipt_links.host and receipt_links.port in gateway.yaml, or GATEWAY_RECEIPT_LINKS_PORT"));
    }

    /** The bound port. */
    public int port() {
        return server.port();
    }

    /** Stops accepting, then closes every connection and the event loops. */
    @Override
    public void close() {
        server.close();
    }
}
