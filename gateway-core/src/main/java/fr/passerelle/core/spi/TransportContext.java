package fr.passerelle.core.spi;

import fr.passerelle.core.crypto.CertifiedKey;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a transport gets when it is opened.
 *
 * @param clientKey    the gateway's TLS key and chain, to present as a client (HTTPS push)
 * @param trustAnchors the certificates a partner's server certificate must chain to, unless the partner's
 *                     options name others
 * @param settings     the transport's section of gateway.yaml ({@code transports.<id>:}), already checked
 * @param env          the process environment, for secrets that settings name ({@code password_env})
 * @param clock        the gateway's clock
 * @param configDir    the folder of gateway.yaml, against which relative paths in settings and options resolve
 */
public record TransportContext(
        CertifiedKey clientKey,
        List<X509Certificate> trustAnchors,
        Map<String, String> settings,
        Function<String, String> env,
        Clock clock,
        Path configDir) {
    public TransportContext {
        Objects.requireNonNull(clientKey, "clientKey");
        trustAnchors = List.copyOf(trustAnchors);
        settings = Map.copyOf(settings);
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(configDir, "configDir");
    }

    /** Shows no setting values: one of them may name a secret. */
    @Override
    public String toString() {
        return "TransportContext[" + clientKey + ", " + trustAnchors.size() + " trust anchors, settings "
                + settings.keySet() + "]";
    }
}
