package fr.passerelle.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.server.metrics.GatewayMetrics;
import fr.passerelle.server.net.HandshakeFailures.Reason;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Clock;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLProtocolException;
import org.junit.jupiter.api.Test;

class HandshakeFailuresTest {
    @Test
    void namesAMissingClientCertificate() {
        assertThat(HandshakeFailures.classify(new SSLHandshakeException("Empty client certificate chain")))
                .isEqualTo(Reason.NO_CLIENT_CERTIFICATE);
    }

    @Test
    void namesACertificateFromAnUnknownAuthority() {
        SSLHandshakeException pkix = handshake(
                "PKIX path building failed",
                new CertificateException(
                        "unable to find valid certification path to requested target",
                        new CertPathBuilderException("unable to find valid certification path to requested target")));

        assertThat(HandshakeFailures.classify(pkix)).isEqualTo(Reason.UNKNOWN_CA);
        assertThat(HandshakeFailures.classify(new SSLHandshakeException(
                        "PKIX path building failed: unable to find" + " valid certification path to requested target")))
                .isEqualTo(Reason.UNKNOWN_CA);
    }

    @Test
    void namesAnExpiredCertificate() {
        SSLHandshakeException expired = handshake(
                "PKIX path validation failed",
                new CertPathValidatorException(
                        "validity check failed",
                        new CertificateExpiredException("NotAfter: ..."),
                        null,
                        -1,
                        CertPathValidatorException.BasicReason.EXPIRED));

        assertThat(HandshakeFailures.classify(expired)).isEqualTo(Reason.EXPIRED_CERTIFICATE);
    }

    @Test
    void namesARevokedCertificateAndAnUnknownRevocationStatus() {
        SSLHandshakeException revoked = handshake(
                "client certificate was revoked",
                new CertificateException(
                        "revoked",
                        new CertPathValidatorException(
                                "revoked", null, null, -1, CertPathValidatorException.BasicReason.REVOKED)));
        SSLHandshakeException unknown = handshake(
                "revocation status cannot be obtained",
                new CertificateException(
                        "unknown",
                        new CertPathValidatorException(
                                "unknown",
                                null,
                                null,
                                -1,
                                CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS)));

        assertThat(HandshakeFailures.classify(revoked)).isEqualTo(Reason.REVOKED_CERTIFICATE);
        assertThat(HandshakeFailures.classify(unknown)).isEqualTo(Reason.REVOCATION_UNKNOWN);
    }

    @Test
    void namesAnyOtherRefusedCertificateInvalid() {
        SSLHandshakeException notYet =
                handshake("PKIX path validation failed", new CertificateNotYetValidException("NotBefore: ..."));
        SSLHandshakeException badSignature =
                handshake("PKIX path validation failed", new CertPathValidatorException("signature check failed"));

        assertThat(HandshakeFailures.classify(notYet)).isEqualTo(Reason.INVALID_CERTIFICATE);
        assertThat(HandshakeFailures.classify(badSignature)).isEqualTo(Reason.INVALID_CERTIFICATE);
    }

    @Test
    void namesTimeoutsPlainTextClosesProtocolErrorsAndTheRest() {
        assertThat(HandshakeFailures.classify(new SslHandshakeTimeoutException("handshake timed out after 10000ms")))
                .isEqualTo(Reason.TIMEOUT);
        assertThat(HandshakeFailures.classify(new NotSslRecordException("not an SSL/TLS record")))
                .isEqualTo(Reason.NOT_TLS);
        assertThat(HandshakeFailures.classify(new ClosedChannelException())).isEqualTo(Reason.CLOSED_EARLY);
        assertThat(HandshakeFailures.classify(new SSLHandshakeException("no cipher suites in common")))
                .isEqualTo(Reason.PROTOCOL);
        assertThat(HandshakeFailures.classify(new SSLProtocolException("Unexpected handshake message")))
                .isEqualTo(Reason.PROTOCOL);
        assertThat(HandshakeFailures.classify(new IllegalStateException("boom")))
                .isEqualTo(Reason.OTHER);
    }

    @Test
    void countsEachFailureByReasonOnTheMetricsAndShowsEveryReasonAtZero() {
        GatewayMetrics metrics = new GatewayMetrics();
        HandshakeFailures failures = new HandshakeFailures(metrics, Clock.systemUTC());

        failures.failed(new EmbeddedChannel(), new SslHandshakeTimeoutException("handshake timed out"));
        failures.failed(new EmbeddedChannel(), new SslHandshakeTimeoutException("handshake timed out"));

        assertThat(metrics.scrape())
                .contains("passerelle_tls_handshake_failures_total{reason=\"timeout\"} 2.0")
                .contains("passerelle_tls_handshake_failures_total{reason=\"no-client-certificate\"} 0.0");
    }

    private static SSLHandshakeException handshake(String message, Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException(message);
        e.initCause(cause);
        return e;
    }
}
