package fr.passerelle.core.spi;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/** The adapters found on the class path, loaded once at start-up. */
public final class Adapters {
    private final Map<String, InboundAdapter> inbound;
    private final Map<String, OutboundAdapter> outbound;
    private final Map<String, TransportProvider> transports;

    private Adapters(
            Map<String, InboundAdapter> inbound,
            Map<String, OutboundAdapter> outbound,
            Map<String, TransportProvider> transports) {
        this.inbound = Map.copyOf(inbound);
        this.outbound = Map.copyOf(outbound);
        this.transports = Map.copyOf(transports);
        if (transports.containsKey(TransportProvider.INBOX)) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "transport provider "
                            + transports.get(TransportProvider.INBOX).getClass().getName() + " claims the reserved id '"
                            + TransportProvider.INBOX + "' (expected: another id; the pull inbox needs no provider)");
        }
    }

    public static Adapters load() {
        return load(Adapters.class.getClassLoader());
    }

    public static Adapters load(ClassLoader loader) {
        return new Adapters(
                index(ServiceLoader.load(InboundAdapter.class, loader), InboundAdapter::id),
                index(ServiceLoader.load(OutboundAdapter.class, loader), OutboundAdapter::id),
                index(ServiceLoader.load(TransportProvider.class, loader), TransportProvider::id));
    }

    private static <T> Map<String, T> index(ServiceLoader<T> loader, Function<T, String> id) {
        Map<String, T> found = new TreeMap<>();
        for (T adapter : loader) {
            T previous = found.putIfAbsent(id.apply(adapter), adapter);
            if (previous != null) {
                throw new GatewayException(
                        ErrorCode.CONFIG_INVALID,
                        "two adapters claim the id '"
                                + id.apply(adapter) + "': "
                                + previous.getClass().getName() + " and "
                                + adapter.getClass().getName());
            }
        }
        return found;
    }

    public InboundAdapter inbound(String id) {
        InboundAdapter adapter = inbound.get(id);
        if (adapter == null) {
            throw new GatewayException(
                    ErrorCode.ADAPTER_UNKNOWN,
                    "no inbound adapter '" + id + "' (available: " + String.join(", ", new TreeMap<>(inbound).keySet())
                            + ")");
        }
        return adapter;
    }

    public OutboundAdapter outbound(String id) {
        OutboundAdapter adapter = outbound.get(id);
        if (adapter == null) {
            throw new GatewayException(
                    ErrorCode.ADAPTER_UNKNOWN,
                    "no outbound adapter '" + id + "' (available: "
                            + String.join(", ", new TreeMap<>(outbound).keySet()) + ")");
        }
        return adapter;
    }

    /**
     * The transport provider named {@code id}.
     *
     * @throws GatewayException {@code adapter_unknown} listing the ids available
     */
    public TransportProvider transport(String id) {
        TransportProvider provider = transports.get(id);
        if (provider == null) {
            throw new GatewayException(
                    ErrorCode.ADAPTER_UNKNOWN,
                    "no transport '" + id + "' (available: "
                            + TransportProvider.INBOX + (transports.isEmpty() ? "" : ", ")
                            + String.join(", ", new TreeMap<>(transports).keySet()) + ")");
        }
        return provider;
    }

    /** The transport provider named {@code id}, if one was found. */
    public Optional<TransportProvider> findTransport(String id) {
        return Optional.ofNullable(transports.get(id));
    }

    /** Every transport provider found, by id. */
    public Map<String, TransportProvider> transports() {
        return new TreeMap<>(transports);
    }

    /** The ids of the inbound adapters found, sorted. */
    public SortedSet<String> inboundIds() {
        return new TreeSet<>(inbound.keySet());
    }

    /** The ids of the outbound adapters found, sorted. */
    public SortedSet<String> outboundIds() {
        return new TreeSet<>(outbound.keySet());
    }

    public boolean hasInbound(String id) {
        return inbound.containsKey(id);
    }

    public boolean hasOutbound(String id) {
        return outbound.containsKey(id);
    }
}
