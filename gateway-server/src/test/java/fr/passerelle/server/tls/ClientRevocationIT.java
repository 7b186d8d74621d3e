package fr.passerelle.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import fr.passerelle.core.config.model.GatewaySettings.RevocationSettings;
import fr.passerelle.core.config.model.GatewaySettings.RevocationSettings.Mode;
import fr.passerelle.core.crypto.Fingerprints;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.testkit.Certificates;
import fr.passerelle.core.testkit.OcspResponder;
import fr.passerelle.core.testkit.OpenSsl;
import fr.passerelle.server.metrics.GatewayMetrics;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Client certificates that name a real {@code openssl ocsp} responder, presented by {@code openssl s_client} to a
 * real Netty TLS server built with {@link ServerTls} and {@link ClientRevocation}, all on 127.0.0.1.
 */
class ClientRevocationIT {
    /** A person's name, as an administrator's certificate may hold: it must never reach a log line. */
    private static final String SUBJECT = "CN=Jeanne Exemple,O=Association test";

    @TempDir
    Path dir;

    private final Certificates.Issued ca = Certificates.ca("Revocation test CA");
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeEach
    void writeTheServersCertificate() {
        OpenSsl.assumeAvailable();
        Certificates.write(dir.resolve("ca.pem"), ca.certificate());
        Certificates.Issued server = Certificates.certificate("CN=Passerelle gateway,O=Passerelle tests")
                .issuedBy(ca)
                .extendedKeyUsage(KeyPurposeId.id_kp_serverAuth)
                .ipAddress("127.0.0.1")
                .issue();
        Certificates.write(dir.resolve("server.pem"), server.certificate());
        PemFiles.writePrivateKey(dir.resolve("server-key.pem"), server.keys().getPrivate());
        log.start();
        ((Logger) LoggerFactory.getLogger(ClientRevocation.class)).addAppender(log);
    }

    @AfterEach
    void closeEverything() throws Exception {
        ((Logger) LoggerFactory.getLogger(ClientRevocation.class)).detachAppender(log);
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void acceptsACertificateThatItsResponderSaysValid() throws Exception {
        BigInteger serial = serial();
        OcspResponder responder = open(OcspResponder.start(dir, ca, Map.of(serial, Optional.empty())));
        X509Certificate client = writeClient(serial, responder.url());
        PeerEchoServer server = server(Mode.HARD_FAIL);

        String output = sClient(server);

        assertThat(output).contains("HTTP/1.1 200 OK", Fingerprints.sha256(client));
        assertThat(server.nextHandshake().isSuccess()).isTrue();
        assertThat(metrics.scrape())
                .contains("passerelle_revocation_checks_total{result=\"good\"} 1.0")
                .contains("passerelle_revocation_checks_total{result=\"revoked\"} 0.0");
    }

    @Test
    void refusesARevokedCertificateAtTheHandshake() throws Exception {
        BigInteger serial = serial();
        Instant revokedAt = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        OcspResponder responder = open(OcspResponder.start(dir, ca, Map.of(serial, Optional.of(revokedAt))));
        X509Certificate client = writeClient(serial, responder.url());
        PeerEchoServer server = server(Mode.SOFT_FAIL);

        String output = sClient(server);

        assertRefused(output, server, BasicReason.REVOKED);
        assertThat(metrics.scrape()).contains("passerelle_revocation_checks_total{result=\"revoked\"} 1.0");
        assertThat(warnings())
                .containsExactly("Refusing client certificate " + Fingerprints.sha256(client) + ": revoked on "
                        + revokedAt + " (OCSP " + responder.url() + ")");
    }

    @Test
    void softFailAcceptsACertificateWhoseResponderIsDownWithAWarning() throws Exception {
        BigInteger serial = serial();
        URI stopped = stoppedResponder(serial);
        X509Certificate client = writeClient(serial, stopped);
        PeerEchoServer server = server(Mode.SOFT_FAIL);

        String output = sClient(server);

        assertThat(output).contains("HTTP/1.1 200 OK");
        assertThat(server.nextHandshake().isSuccess()).isTrue();
        assertThat(metrics.scrape()).contains("passerelle_revocation_checks_total{result=\"unavailable\"} 1.0");
        assertThat(warnings())
                .containsExactly("Accepting client certificate " + Fingerprints.sha256(client)
                        + " unchecked (revocation: soft-fail): its revocation status cannot be obtained: OCSP "
                        + stopped + ": Connection refused");
        // The responder was waited for on the handshake pool, not on the event loop.
        assertThat(log.list).singleElement().satisfies(e -> assertThat(e.getThreadName())
                .startsWith("passerelle-tls-handshake-"));
    }

    @Test
    void hardFailRefusesACertificateWhoseResponderIsDown() throws Exception {
        BigInteger serial = serial();
        URI stopped = stoppedResponder(serial);
        writeClient(serial, stopped);
        PeerEchoServer server = server(Mode.HARD_FAIL);

        String output = sClient(server);

        assertRefused(output, server, BasicReason.UNDETERMINED_REVOCATION_STATUS);
        assertThat(metrics.scrape()).contains("passerelle_revocation_checks_total{result=\"unavailable\"} 1.0");
    }

    @Test
    void offAcceptsARevokedCertificateWithoutAsking() throws Exception {
        BigInteger serial = serial();
        Instant revokedAt = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        OcspResponder responder = open(OcspResponder.start(dir, ca, Map.of(serial, Optional.of(revokedAt))));
        writeClient(serial, responder.url());
        PeerEchoServer server = server(Mode.OFF);

        String output = sClient(server);

        assertThat(output).contains("HTTP/1.1 200 OK");
        assertThat(metrics.scrape()).doesNotContain("passerelle_revocation_checks_total");
    }

    @Test
    void letsASessionBeResumedNoLongerThanAnAnswerIsKept() {
        ClientRevocation revocation = open(ClientRevocation.start(
                new RevocationSettings(Mode.SOFT_FAIL, Duration.ofSeconds(120), Duration.ofSeconds(4)),
                metrics,
                Clock.systemUTC()));

        SslContext context = ServerTls.forServer(
                dir.resolve("server.pem"), dir.resolve("server-key.pem"), dir.resolve("ca.pem"), revocation);

        assertThat(context.sessionTimeout()).isEqualTo(120);
    }

    private PeerEchoServer server(Mode mode) throws InterruptedException {
        ClientRevocation revocation = open(ClientRevocation.start(
                new RevocationSettings(mode, Duration.ofSeconds(300), Duration.ofSeconds(4)),
                metrics,
                Clock.systemUTC()));
        return open(new PeerEchoServer(
                ServerTls.forServer(
                        dir.resolve("server.pem"), dir.resolve("server-key.pem"), dir.resolve("ca.pem"), revocation),
                revocation.handshakeTasks()));
    }

    /** Writes {@code client.pem} and {@code client-key.pem}: a certificate that names {@code responder}. */
    private X509Certificate writeClient(BigInteger serial, URI responder) {
        Certificates.Issued client = Certificates.certificate(SUBJECT)
                .issuedBy(ca)
                .serial(serial)
                .ocspResponder(responder.toString())
                .issue();
        Certificates.write(dir.resolve("client.pem"), client.certificate());
        PemFiles.writePrivateKey(dir.resolve("client-key.pem"), client.keys().getPrivate());
        return client.certificate();
    }

    /** The URL of a responder that ran and stopped: its port refuses connections. */
    private URI stoppedResponder(BigInteger serial) throws Exception {
        try (OcspResponder responder = OcspResponder.start(dir, ca, Map.of(serial, Optional.empty()))) {
            return responder.url();
        }
    }

    /** {@code openssl s_client} with the client certificate: see {@link PeerEchoServer#sClient}. */
    private String sClient(PeerEchoServer server) throws Exception {
        return server.sClient(dir, "-cert", "client.pem", "-key", "client-key.pem");
    }

    private List<String> warnings() {
        List<String> lines = log.list.stream()
                .filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage)
                .toList();
        assertThat(String.join("\n", lines)).doesNotContain("Jeanne", "Exemple");
        return lines;
    }

    /**
     * The client saw the handshake fail (the JDK's server answers a refused client certificate with
     * certificate_unknown), and the server's handshake failed for {@code reason}.
     */
    private static void assertRefused(String output, PeerEchoServer server, BasicReason reason) throws Exception {
        assertThat(output).contains("alert certificate unknown").doesNotContain("HTTP/1.1 200");
        SslHandshakeCompletionEvent handshake = server.nextHandshake();
        assertThat(handshake.isSuccess()).isFalse();
        assertThat(reasons(handshake.cause())).contains(reason);
    }

    private static List<BasicReason> reasons(Throwable failure) {
        List<BasicReason> reasons = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CertPathValidatorException v && v.getReason() instanceof BasicReason reason) {
                reasons.add(reason);
            }
        }
        return reasons;
    }

    private <T extends AutoCloseable> T open(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(ThreadLocalRandom.current().nextLong(1L << 32, 1L << 62));
    }
}
