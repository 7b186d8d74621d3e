package fr.passerelle.server.receipts;

import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.receipt.ReceiptLinks;
import fr.passerelle.server.net.GatewayServer;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.EventExecutor;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The public receipt listener: HTTPS with the gateway's server certificate and no client certificate, serving
 * {@code /v1/receipts/{token}} to the people who open the links of a secure mail. Owns its event loops and the
 * thread that logs the counts of unknown links once a minute; the database work runs on the executor the caller
 * gives (and still owns).
 */
public final class ReceiptLinkServer implements AutoCloseable {
    /** Event loop threads: the listener serves a few people, not the partners' systems. */
    static final int IO_THREADS = 2;
    /** How often the counts of unknown and dead links and of refused requests are logged. */
    static final Duration TALLY_PERIOD = Duration.ofMinutes(1);

    private final GatewayServer server;
    private final MissTally misses;
    private final ScheduledExecutorService tally;

    private ReceiptLinkServer(GatewayServer server, MissTally misses, ScheduledExecutorService tally) {
        this.server = server;
        this.misses = misses;
        this.tally = tally;
    }

    /**
     * Binds the listener, with the per-address limits of {@link AddressLimiter#standard()}.
     *
     * @param port         0 for a free port (see {@link #port()})
     * @param tls          a context without client authentication, such as {@code ServerTls.forPublic}
     * @param deployment   the deployment of now, read at each request: a link of a disabled partner or of a route
     *                     removed stops working as soon as the new configuration is live
     * @param blockingWork runs the database work; a full or stopped executor gets a 503 page
     * @param clock        tells when a previous certificate's rotation overlap has ended, killing its links
     * @throws GatewayException {@code config_invalid} when the address cannot be bound, naming it
     */
    public static ReceiptLinkServer start(
            String host,
            int port,
            SslContext tls,
            ReceiptLinks links,
            Supplier<Deployment> deployment,
            Executor blockingWork,
            Clock clock) {
        return start(host, port, tls, links, deployment, blockingWork, clock, AddressLimiter.standard());
    }

    /** As the public one, with other per-address limits (tests). */
    static ReceiptLinkServer start(
            String host,
            int port,
            SslContext tls,
            ReceiptLinks links,
            Supplier<Deployment> deployment,
            Executor blockingWork,
            Clock clock,
            AddressLimiter limiter) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(links, "links");
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(blockingWork, "blockingWork");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(limiter, "limiter");
        MissTally misses = new MissTally();
        GatewayServer server = GatewayServer.bind(
                "for receipt links ",
                host,
                port,
                IO_THREADS,
                128,
                new ReceiptLinkInitializer(
                        tls, links, new LinkLiveness(deployment, clock), limiter, misses, blockingWork),
                "receipt_links.host and receipt_links.port in gateway.yaml, or GATEWAY_RECEIPT_LINKS_PORT");
        ScheduledExecutorService tally = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "passerelle-receipt-link-tally");
            thread.setDaemon(true);
            return thread;
        });
        tally.scheduleAtFixedRate(
                misses::flush, TALLY_PERIOD.toMillis(), TALLY_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        return new ReceiptLinkServer(server, misses, tally);
    }

    /** The bound port. */
    public int port() {
        return server.port();
    }

    /** The listener's event loops, for the liveness probe and the metrics. */
    public List<EventExecutor> eventLoops() {
        return server.eventLoops();
    }

    /** Logs the counts now, as the minute's flush does (tests). */
    void flushTally() {
        misses.flush();
    }

    /** Stops accepting, then closes every connection and the event loops; logs the last counts. */
    @Override
    public void close() {
        server.close();
        tally.shutdownNow();
        misses.flush();
    }
}
