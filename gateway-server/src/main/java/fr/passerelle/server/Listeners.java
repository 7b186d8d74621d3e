package fr.passerelle.server;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.config.versions.ConfigVersions;
import fr.passerelle.core.config.versions.LiveDeployment;
import fr.passerelle.core.keys.PayloadCipher;
import fr.passerelle.core.receipt.ReceiptLinks;
import fr.passerelle.core.referral.Domain;
import fr.passerelle.server.http.ApiHandler;
import fr.passerelle.server.http.EndpointTable;
import fr.passerelle.server.http.PartnerQuotas;
import fr.passerelle.server.lifecycle.Lifecycle;
import fr.passerelle.server.management.ManagementServer;
import fr.passerelle.server.management.Readiness;
import fr.passerelle.server.metrics.GatewayMetrics;
import fr.passerelle.server.metrics.ProcessMetrics;
import fr.passerelle.server.net.GatewayInitializer;
import fr.passerelle.server.net.GatewayServer;
import fr.passerelle.server.receipts.ReceiptLinkServer;
import fr.passerelle.server.tls.ClientRevocation;
import fr.passerelle.server.tls.ServerTls;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.EventExecutor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What listens: the partner API's HTTPS server, the public listener of receipt links when gateway.yaml has
 * {@code receipt_links:}, the request workers to which both hand their requests, and the management listener of
 * probes and metrics unless {@code management.enabled} is false. The receipt links listen from {@link #open}, as
 * the exchange needs their address; the API from {@link #serve}, once everything behind it runs, then the
 * management listener, which watches them both.
 */
final class Listeners implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Listeners.class);
    /** Requests waiting for a worker, per worker: with bodies up to 1 MiB, 16 workers hold at most 128 MiB. */
    static final int QUEUE_PER_WORKER = 8;

    private final CoreServices core;
    private final Duration drain;
    private final ThreadPoolExecutor workers;
    private final Optional<ReceiptLinkServer> receipts;
    /** The partner API's server; null until {@link #serve}. */
    private volatile GatewayServer api;
    /** The management listener and the process's metrics; null until {@link #serve}, and when turned off. */
    private volatile ManagementServer management;

    private volatile ProcessMetrics processMetrics;

    private Listeners(
            CoreServices core, Duration drain, ThreadPoolExecutor workers, Optional<ReceiptLinkServer> receipts) {
        this.core = core;
        this.drain = drain;
        this.workers = workers;
        this.receipts = receipts;
    }

    /**
     * Starts the request workers and, when configured, the receipt links' listener.
     *
     * @param drain how long {@link #close} lets the requests already running finish
     */
    static Listeners open(CoreServices core, Duration drain) {
        GatewaySettings settings = core.settings();
        // Nothing to stop if the receipt links cannot listen: the workers start a thread per request only.
        ThreadPoolExecutor workers = workers(settings.limits().workers());
        Optional<ReceiptLinkServer> receipts = settings.receiptLinks().map(links -> {
            ReceiptLinkServer server = ReceiptLinkServer.start(
                    links.host(),
                    links.port(),
                    ServerTls.forPublic(settings.tlsCertificate(), settings.tlsKey()),
                    new ReceiptLinks(core.database().dataSource(), core.clock()),
                    core.live(),
                    workers,
                    core.clock());
            log.info("Receipt links served on https://{}:{}", links.host(), server.port());
            return server;
        });
        return new Listeners(core, drain, workers, receipts);
    }

    private static ThreadPoolExecutor workers(int count) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                count, count, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(count * QUEUE_PER_WORKER), r -> {
                    Thread thread = new Thread(r, "passerelle-worker-" + n.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /**
     * Issues the links of one delivery, starting with the configured public URL, or with the listener's own
     * address on this machine when none is configured.
     */
    Supplier<ReceiptLinks.Issued> receiptLinkIssuer() {
        GatewaySettings settings = core.settings();
        if (settings.receiptLinks().isEmpty() || receipts.isEmpty()) {
            return () -> {
                throw new GatewayException(
                        ErrorCode.CONFIG_INVALID,
                        "a recipient answers by receipt links, but" + " gateway.yaml has no receipt_links section");
            };
        }
        GatewaySettings.ReceiptLinkSettings links = settings.receiptLinks().get();
        String base =
                links.publicUrl().orElse("https://localhost:" + receipts.get().port());
        Clock clock = core.clock();
        return () -> ReceiptLinks.issue(base, links.validity(), clock);
    }

    /**
     * Binds the partner API on {@code server.host} and {@code server.port}, serving {@code endpoints}, then the
     * management listener on {@code management.host} and {@code management.port}.
     *
     * @param versions the configuration versions, when the instance follows them: readiness compares
     */
    void serve(
            SslContext tls, ClientRevocation revocation, EndpointTable endpoints, Optional<ConfigVersions> versions) {
        GatewaySettings settings = core.settings();
        LiveDeployment live = core.live();
        GatewayMetrics metrics = core.metrics();
        PartnerQuotas quotas = new PartnerQuotas(id -> live.get().quotas(id), metrics);
        GatewayInitializer initializer = new GatewayInitializer(
                tls,
                revocation.handshakeTasks(),
                settings.limits(),
                metrics,
                core.clock(),
                () -> new ApiHandler(endpoints, live, workers, metrics, quotas));
        api = GatewayServer.start(settings.host(), settings.port(), initializer);
        settings.management().ifPresent(on -> management = manage(on, versions));
    }

    /** Starts the management listener, watching the other listeners' event loops and the database pool. */
    private ManagementServer manage(GatewaySettings.ManagementSettings on, Optional<ConfigVersions> versions) {
        ProcessMetrics process = new ProcessMetrics();
        processMetrics = process;
        core.database().trackMetrics(process.connectionPool());
        List<EventExecutor> loops = new ArrayList<>(api.eventLoops());
        process.watchEventLoops("api", api.eventLoops());
        receipts.ifPresent(r -> {
            loops.addAll(r.eventLoops());
            process.watchEventLoops("receipt-links", r.eventLoops());
        });
        PayloadCipher cipher = core.cipher();
        Readiness readiness = Readiness.of(
                core.database().dataSource(),
                versions,
                core.live(),
                () -> Arrays.stream(Domain.values())
                        .noneMatch(domain -> cipher.currentId(domain).isEmpty()),
                core.settings().versionPoll(),
                core.clock());
        GatewayMetrics metrics = core.metrics();
        ManagementServer server = ManagementServer.start(
                on.host(), on.port(), loops, readiness, () -> metrics.scrape() + process.scrape());
        log.info(
                "Probes and metrics served on http://{}:{} (/livez, /readyz, /metrics): plain HTTP without client"
                        + " certificate, for a private address only",
                on.host(),
                server.port());
        return server;
    }

    /** The partner API's port. */
    int port() {
        return api.port();
    }

    /** The port of the receipt-link listener, when it runs. */
    Optional<Integer> receiptLinkPort() {
        return receipts.map(ReceiptLinkServer::port);
    }

    /** The port of the management listener, when it runs. */
    Optional<Integer> managementPort() {
        return Optional.ofNullable(management).map(ManagementServer::port);
    }

    /**
     * Stops in the order that loses nothing: no new connections, then the requests already running finish and
     * their answers are written (the drain time at most), then the connections and event loops close. The
     * management listener answers to the end, {@code /readyz} with 503 {@code stopping}, and closes last.
     */
    @Override
    public void close() {
        GatewayServer server = api;
        ManagementServer probes = management;
        if (probes != null) {
            probes.stopping();
        }
        if (server != null) {
            server.stopAccepting();
        }
        // Receipt links are a click each: closing their listener first loses nothing a browser cannot retry.
        receipts.ifPresent(ReceiptLinkServer::close);
        if (!Lifecycle.drained(workers, drain)) {
            log.warn("Stopping with {} requests still running after {} s", workers.getActiveCount(), drain.toSeconds());
            workers.shutdownNow();
        }
        if (server != null) {
            server.close();
        }
        if (probes != null) {
            probes.close();
        }
        if (processMetrics != null) {
            processMetrics.close();
        }
    }
}
