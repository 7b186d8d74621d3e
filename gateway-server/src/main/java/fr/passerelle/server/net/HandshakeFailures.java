package fr.passerelle.server.net;

import fr.passerelle.server.metrics.GatewayMetrics;
import io.netty.channel.Channel;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main API's failed TLS handshakes: each is classified into a {@link Reason}, counted on
 * {@code passerelle_tls_handshake_failures_total{reason}}, and logged the first time for its reason, then at most
 * once a minute with the number since. A line names the reason, the client's address and the channel; never a
 * certificate's content. Thread-safe.
 */
final class HandshakeFailures {
    private static final Logger log = LoggerFactory.getLogger(HandshakeFailures.class);
    static final Duration LOG_INTERVAL = Duration.ofMinutes(1);
    private static final int MAX_DETAIL = 160;

    /** Why a handshake failed: a closed set, the label of the metric. */
    enum Reason {
        /** The client sent no certificate, though the main API requires one. */
        NO_CLIENT_CERTIFICATE("no-client-certificate"),
        /** The client's certificate does not chain to the configured client CA. */
        UNKNOWN_CA("unknown-ca"),
        /** The client's certificate has expired. */
        EXPIRED_CERTIFICATE("expired-certificate"),
        /** The client's certificate was revoked, as its OCSP responder or CRL says ({@code revocation:}). */
        REVOKED_CERTIFICATE("revoked-certificate"),
        /** The revocation status of the client's certificate cannot be obtained, in {@code hard-fail}. */
        REVOCATION_UNKNOWN("revocation-unknown"),
        /** The client's certificate is refused for another reason: not yet valid, bad signature, key usage. */
        INVALID_CERTIFICATE("invalid-certificate"),
        /** No protocol version or cipher suite in common, a malformed message, an alert from the client. */
        PROTOCOL("protocol"),
        /** The client did not speak TLS at all (plain HTTP to the HTTPS port, for instance). */
        NOT_TLS("not-tls"),
        /** The client did not complete the handshake in time. */
        TIMEOUT("timeout"),
        /** The connection closed before the handshake completed (a TCP probe, a client that gave up). */
        CLOSED_EARLY("closed-early"),
        OTHER("other");

        final String label;

        Reason(String label) {
            this.label = label;
        }
    }

    private final GatewayMetrics metrics;
    private final LogThrottle logs;

    HandshakeFailures(GatewayMetrics metrics, Clock clock) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.logs = new LogThrottle(clock, LOG_INTERVAL);
        metrics.showHandshakeFailureReasons(
                Arrays.stream(Reason.values()).map(r -> r.label).toList());
    }

    /** Counts and perhaps logs the failure of {@code channel}'s handshake. */
    void failed(Channel channel, Throwable cause) {
        Reason reason = classify(cause);
        metrics.handshakeFailed(reason.label);
        OptionalLong due = logs.record(reason.label);
        if (due.isEmpty()) {
            return;
        }
        String detail = detail(reason, cause);
        if (reason == Reason.CLOSED_EARLY) {
            log.info(
                    "TLS handshakes failed ({}): {} since the last such line; latest from {} on channel {}{}",
                    reason.label,
                    due.getAsLong(),
                    channel.remoteAddress(),
                    channel.id().asShortText(),
                    detail);
        } else {
            log.warn(
                    "TLS handshakes failed ({}): {} since the last such line; latest from {} on channel {}{}",
                    reason.label,
                    due.getAsLong(),
                    channel.remoteAddress(),
                    channel.id().asShortText(),
                    detail);
        }
    }

    /** The reason of a failed handshake, from its exception and the exception's causes. */
    static Reason classify(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && chain.size() < 16 && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        for (Throwable t : chain) {
            if (t instanceof SslHandshakeTimeoutException) {
                return Reason.TIMEOUT;
            }
            if (t instanceof NotSslRecordException) {
                return Reason.NOT_TLS;
            }
            if (t instanceof CertPathValidatorException v
                    && v.getReason() == CertPathValidatorException.BasicReason.REVOKED) {
                return Reason.REVOKED_CERTIFICATE;
            }
            if (t instanceof CertPathValidatorException v
                    && v.getReason() == CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS) {
                return Reason.REVOCATION_UNKNOWN;
            }
            if (t instanceof CertificateExpiredException
                    || t instanceof CertPathValidatorException v
                            && v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return Reason.EXPIRED_CERTIFICATE;
            }
        }
        for (Throwable t : chain) {
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t instanceof CertPathBuilderException || message.contains("unable to find valid certification path")) {
                return Reason.UNKNOWN_CA;
            }
            if (message.contains("empty client certificate chain") || message.contains("certificate_required")) {
                return Reason.NO_CLIENT_CERTIFICATE;
            }
        }
        for (Throwable t : chain) {
            if (t instanceof CertificateNotYetValidException
                    || t instanceof CertPathValidatorException
                    || t instanceof CertificateException) {
                return Reason.INVALID_CERTIFICATE;
            }
        }
        if (chain.get(0) instanceof ClosedChannelException) {
            return Reason.CLOSED_EARLY;
        }
        return chain.stream().anyMatch(SSLException.class::isInstance) ? Reason.PROTOCOL : Reason.OTHER;
    }

    /**
     * For a protocol or unclassified failure, the exception's type and message (the JDK's words about versions,
     * suites and alerts), shortened and printable; nothing for a certificate, whose messages may quote it.
     */
    private static String detail(Reason reason, Throwable cause) {
        if (reason != Reason.PROTOCOL && reason != Reason.OTHER) {
            return "";
        }
        String text = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        text = text.replaceAll("[^\\x20-\\x7E]", "?");
        return " (" + (text.length() > MAX_DETAIL ? text.substring(0, MAX_DETAIL) + "…" : text) + ")";
    }
}
