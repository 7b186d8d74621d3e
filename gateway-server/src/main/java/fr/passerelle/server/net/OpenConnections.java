package fr.passerelle.server.net;

import fr.passerelle.core.config.model.GatewaySettings.ConnectionCaps;
import fr.passerelle.server.metrics.GatewayMetrics;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the main API's open connections, in all and per client IP address, from the TCP accept: before the TLS
 * handshake, so that clients without a certificate cannot drive the process to its file-descriptor limit. A
 * connection over either cap is refused (its channel closed at once by the caller), counted on the metrics, and
 * logged the first time, then at most once a minute with the number refused since. Shared by every channel;
 * thread-safe.
 */
final class OpenConnections {
    private static final Logger log = LoggerFactory.getLogger(OpenConnections.class);
    static final Duration LOG_INTERVAL = Duration.ofMinutes(1);

    /** Why a connection was refused; the label of {@code passerelle_connections_refused_total}. */
    enum Refusal {
        TOTAL("total"),
        PER_ADDRESS("per-address");

        final String label;

        Refusal(String label) {
            this.label = label;
        }
    }

    private final ConnectionCaps caps;
    private final GatewayMetrics metrics;
    private final LogThrottle logs;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<Object, Integer> perAddress = new ConcurrentHashMap<>();

    OpenConnections(ConnectionCaps caps, GatewayMetrics metrics, Clock clock) {
        this.caps = Objects.requireNonNull(caps, "caps");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.logs = new LogThrottle(clock, LOG_INTERVAL);
        metrics.watchOpenConnections(open::get);
        metrics.showConnectionRefusalReasons(
                java.util.Arrays.stream(Refusal.values()).map(r -> r.label).toList());
    }

    /**
     * Counts {@code channel} in, and out again when it closes; or refuses it when a cap is reached.
     *
     * @return false if the connection is over a cap: the caller closes it, and it is not counted as open
     */
    boolean admit(Channel channel) {
        if (open.incrementAndGet() > caps.total()) {
            open.decrementAndGet();
            refuse(Refusal.TOTAL, channel.remoteAddress());
            return false;
        }
        Object address = addressOf(channel.remoteAddress());
        boolean[] over = {false};
        perAddress.compute(address, (key, count) -> {
            int current = count == null ? 0 : count;
            if (current >= caps.perAddress()) {
                over[0] = true;
                return count;
            }
            return current + 1;
        });
        if (over[0]) {
            open.decrementAndGet();
            refuse(Refusal.PER_ADDRESS, channel.remoteAddress());
            return false;
        }
        channel.closeFuture().addListener(closed -> release(address));
        return true;
    }

    /** The connections open now. */
    int open() {
        return open.get();
    }

    private void release(Object address) {
        perAddress.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
        open.decrementAndGet();
    }

    private void refuse(Refusal refusal, SocketAddress remote) {
        metrics.connectionRefused(refusal.label);
        OptionalLong due = logs.record(refusal.label);
        if (due.isEmpty()) {
            return;
        }
        if (refusal == Refusal.TOTAL) {
            log.warn(
                    "Refused {} connection(s) since the last such line: {} connections are open, the most that"
                            + " limits.max_connections allows (latest from {})",
                    due.getAsLong(),
                    caps.total(),
                    remote);
        } else {
            log.warn(
                    "Refused {} connection(s) since the last such line: a client address had {} connections open,"
                            + " the most that limits.max_connections_per_address allows (latest from {})",
                    due.getAsLong(),
                    caps.perAddress(),
                    remote);
        }
    }

    /** The client's IP address without its port; any other address as it stands (in-process channels). */
    private static Object addressOf(SocketAddress remote) {
        if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
            return inet.getAddress();
        }
        return String.valueOf(remote);
    }
}
