package fr.passerelle.server;

import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.spi.Adapters;
import fr.passerelle.core.spi.Transport;
import fr.passerelle.core.spi.TransportContext;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transports that the deployment's partners use, opened once each: the gateway presents its TLS certificate as
 * a client and trusts the partners' servers that chain to its trust anchors. A new configuration version that
 * gives a partner a transport not open yet opens it ({@link #openFor}); a transport no partner uses any more stays
 * open until the gateway stops, so that no delivery in progress is cut.
 */
final class Transports implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Transports.class);

    private final Map<String, Transport> open = new ConcurrentHashMap<>();
    private final GatewaySettings settings;
    private final Adapters adapters;
    private final Function<String, String> env;
    private final Clock clock;

    private Transports(GatewaySettings settings, Adapters adapters, Function<String, String> env, Clock clock) {
        this.settings = settings;
        this.adapters = adapters;
        this.env = env;
        this.clock = clock;
    }

    /**
     * Opens every transport a partner's {@code delivery:} names (the pull inbox needs none).
     *
     * @param env the process environment, for the secrets that settings name
     */
    static Transports open(Deployment deployment, Adapters adapters, Function<String, String> env, Clock clock) {
        Transports transports = new Transports(deployment.settings(), adapters, env, clock);
        transports.openFor(deployment);
        return transports;
    }

    /**
     * Opens the transports that {@code deployment} needs and that are not open yet.
     *
     * @throws fr.passerelle.core.GatewayException when one cannot be opened; those opened by this call are closed
     */
    synchronized void openFor(Deployment deployment) {
        Map<String, Transport> opened = new TreeMap<>();
        if (deployment.partners().values().stream()
                .noneMatch(p ->
                        p.delivery().pushed() && !open.containsKey(p.delivery().transport()))) {
            return;
        }
        CertifiedKey clientKey = settings.tlsKey().read(settings.tlsCertificate());
        List<X509Certificate> trustAnchors = PemFiles.readCertificates(settings.clientCa());
        try {
            for (Partner partner : deployment.partners().values()) {
                String id = partner.delivery().transport();
                if (!partner.delivery().pushed() || open.containsKey(id) || opened.containsKey(id)) {
                    continue;
                }
                TransportContext context = new TransportContext(
                        clientKey,
                        trustAnchors,
                        settings.transports().getOrDefault(id, Map.of()),
                        env,
                        clock,
                        settings.file().getParent());
                opened.put(id, adapters.transport(id).open(context));
                log.info("Opened transport {}", id);
            }
        } catch (RuntimeException e) {
            opened.values().forEach(Transport::close);
            throw e;
        }
        open.putAll(opened);
    }

    /** The open transports by id: a live view, to which {@link #openFor} adds. */
    Map<String, Transport> open() {
        return open;
    }

    @Override
    public void close() {
        for (Map.Entry<String, Transport> transport : open.entrySet()) {
            try {
                transport.getValue().close();
            } catch (RuntimeException e) {
                log.warn("Closing transport {} failed ({})", transport.getKey(), e.toString());
            }
        }
    }
}
