package fr.passerelle.adapters.https;

import fr.passerelle.core.spi.Transport;
import fr.passerelle.core.spi.TransportContext;
import fr.passerelle.core.spi.TransportProvider;
import java.util.List;
import java.util.Map;

/**
 * The transport {@code https}: POSTs each sealed delivery (a DER CMS envelope) to the partner's {@code url},
 * presenting the gateway's TLS client certificate and trusting only the context's trust anchors, over TLS 1.3
 * or 1.2 with host name verification.
 *
 * <p>Partner options: {@code url}, required, an absolute {@code https://} URL with a host, without user
 * information or fragment. Settings ({@code transports.https:}): {@code connect_timeout_seconds} (1-60, default
 * 5), {@code request_timeout_seconds} (1-300, default 30). Unknown keys are problems.
 *
 * <p>Each request carries {@code Content-Type} (the delivery's media type) and the headers
 * {@code Passerelle-Delivery-Id} (stable across attempts: the partner ignores a duplicate by it),
 * {@code Passerelle-Referral-Id}, {@code Passerelle-Type}, {@code Passerelle-Attempt} and, on a notice about the
 * referral rather than its copy, {@code Passerelle-Notice} (escalated, expired, cancelled). Outcomes: 2xx delivered;
 * 408, 429, 5xx, network failures, timeouts and TLS handshake failures (a server certificate that does not chain
 * to the anchors or does not name the host included: the operator may fix it) retryable; other statuses
 * permanent. Details hold the status and any {@code Retry-After}, never the answer's body.
 */
public final class HttpsPushTransportProvider implements TransportProvider {
    /** The id partner entries give as {@code delivery: {transport: https}}. */
    public static final String ID = "https";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<OptionProblem> checkPartner(Map<String, String> options) {
        return PartnerUrl.check(options);
    }

    @Override
    public List<OptionProblem> checkSettings(Map<String, String> settings) {
        return HttpsPushSettings.check(settings);
    }

    /** Connecting, then the whole exchange: the two timeouts end to end. */
    @Override
    public java.time.Duration longestAttempt(Map<String, String> settings) {
        HttpsPushSettings checked = HttpsPushSettings.of(settings);
        return checked.connectTimeout().plus(checked.requestTimeout());
    }

    /**
     * Builds the one HTTP client that every delivery worker shares; thread-safe.
     *
     * @throws fr.passerelle.core.GatewayException {@code CONFIG_INVALID} if the settings are wrong or there is no
     *         trust anchor; {@code PKI_FAILED} if the JVM cannot build the TLS context from the client key
     */
    @Override
    public Transport open(TransportContext context) {
        HttpsPushSettings settings = HttpsPushSettings.of(context.settings());
        return new HttpsPushTransport(settings, PushTls.context(context.clientKey(), context.trustAnchors()));
    }
}
