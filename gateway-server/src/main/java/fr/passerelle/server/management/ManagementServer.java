package fr.passerelle.server.management;

import fr.passerelle.core.GatewayException;
import fr.passerelle.server.net.GatewayServer;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The management listener: plain HTTP, without TLS or client certificate, serving {@code /livez},
 * {@code /readyz} and {@code /metrics} to the load balancer, the orchestrator and the operator's Prometheus. Owns
 * its event loop, the threads that compute the answers and the readiness check.
 */
public final class ManagementServer implements AutoCloseable {
    /** One event loop: a few probes a second, from a few machines. */
    static final int IO_THREADS = 1;
    /** Threads that compute answers, and answers that may wait for one: past that, 503 {@code busy}. */
    static final int PROBE_THREADS = 2;

    static final int PROBE_QUEUE = 16;
    /** A connection that sends nothing for this long is closed (Prometheus reconnects at its next scrape). */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    static final int MAX_INITIAL_LINE = 1024;
    static final int MAX_HEADER_SIZE = 8 * 1024;
    /** Probes have no body. */
    static final int MAX_BODY_BYTES = 1024;

    private final GatewayServer server;
    private final ThreadPoolExecutor probes;
    private final Readiness readiness;

    private ManagementServer(GatewayServer server, ThreadPoolExecutor probes, Readiness readiness) {
        this.server = server;
        this.probes = probes;
        this.readiness = readiness;
    }

    /**
     * Binds the listener. It owns {@code readiness} from now on, and closes it, even when the bind fails.
     *
     * @param port    0 for a free port (see {@link #port()})
     * @param loops   the event loops that {@code /livez} finds answering, or not: the other listeners'
     * @param metrics the metrics in Prometheus text format, read at each scrape
     * @throws GatewayException {@code config_invalid} when the address cannot be bound, naming it and the settings
     */
    public static ManagementServer start(
            String host, int port, List<EventExecutor> loops, Readiness readiness, Supplier<String> metrics) {
        Objects.requireNonNull(host, "host");
        Liveness liveness = new Liveness(loops);
        Objects.requireNonNull(readiness, "readiness");
        Objects.requireNonNull(metrics, "metrics");
        ThreadPoolExecutor probes = probeThreads();
        Map<String, Supplier<Answer>> paths = Map.of(
                "/livez", liveness::answer,
                "/readyz", readiness::answer,
                "/metrics", () -> new Answer(HttpResponseStatus.OK, Answer.PROMETHEUS, metrics.get()));
        try {
            GatewayServer server = GatewayServer.bind(
                    "for management ",
                    host,
                    port,
                    IO_THREADS,
                    64,
                    new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            ChannelPipeline pipeline = channel.pipeline();
                            pipeline.addLast(
                                    "read-timeout",
                                    new ReadTimeoutHandler(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
                            pipeline.addLast(
                                    "http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, MAX_BODY_BYTES));
                            pipeline.addLast("aggregate", new HttpObjectAggregator(MAX_BODY_BYTES, true));
                            pipeline.addLast("management", new ManagementHandler(paths, probes));
                        }
                    },
                    "management.host and management.port in gateway.yaml, or GATEWAY_MANAGEMENT_HOST and"
                            + " GATEWAY_MANAGEMENT_PORT");
            return new ManagementServer(server, probes, readiness);
        } catch (RuntimeException e) {
            probes.shutdownNow();
            readiness.close();
            throw e;
        }
    }

    private static ThreadPoolExecutor probeThreads() {
        AtomicInteger n = new AtomicInteger();
        return new ThreadPoolExecutor(
                PROBE_THREADS, PROBE_THREADS, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(PROBE_QUEUE), r -> {
                    Thread thread = new Thread(r, "passerelle-management-" + n.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** The bound port. */
    public int port() {
        return server.port();
    }

    /** From now on {@code /readyz} answers 503 {@code stopping}; the rest still answers, until {@link #close()}. */
    public void stopping() {
        readiness.stopping();
    }

    /** Stops accepting, closes every connection and the event loop, then the probes' threads. */
    @Override
    public void close() {
        server.close();
        probes.shutdownNow();
        readiness.close();
    }
}
