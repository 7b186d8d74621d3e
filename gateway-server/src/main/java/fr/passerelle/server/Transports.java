package fr.passerelle.server;

import fr.passerelle.core.config.Deployment;
import fr.passerelle.core.config.GatewaySettings;
import fr.passerelle.core.config.Partner;
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
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transports that the deployment's partners use, opened once: the gateway presents its TLS certificate as a
 * client and trusts the partners' servers that chain to its trust anchors.
 */
final class Transports implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Transports.class);

    private final Map<String, Transport> open;

    private Transports(Map<String, Transport> open) {
        this.open = Map.copyOf(open);
    }

    /**
     * Opens every transport a partner's {@code delivery:} names (the pull inbox needs none).
     *
     * @param env the process environment, for the secrets that settings name
     */
    static Transports open(Deployment deployment, Adapters adapters, Function<String, String> env, Clock clock) {
        GatewaySettings settings = deployment.settings();
        Map<String, Transport> open = new TreeMap<>();
        if (deployment.partners().values().stream().noneMatch(p -> p.delivery().pushed())) {
            return new Transports(open);
        }
        CertifiedKey clientKey = PemFiles.readCertifiedKey(settings.tlsCertificate(), settings.tlsKey());
        List<X509Certificate> trustAnchors = PemFiles.readCertificates(settings.clientCa());
        try {
            for (Partner partner : deployment.partners().values()) {
                String id = partner.delivery().transport();
                if (!partner.delivery().pushed() || open.containsKey(id)) {
                    continue;
                }
                TransportContext context = new TransportContext(clientKey, trustAnchors,
                        settings.transports().getOrDefault(id, Map.of()), env, clock, settings.file().getParent());
                open.put(id, adapters.transport(id).open(context));
                log.info("Opened transport {}", id);
            }
        } catch (RuntimeException e) {
            open.values().forEach(Transport::close);
            throw e;
        }
        return new Transports(open);
    }

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
