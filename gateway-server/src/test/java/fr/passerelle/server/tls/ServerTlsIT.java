package fr.passerelle.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.crypto.ClientTls;
import fr.passerelle.core.crypto.DevelopmentPki;
import fr.passerelle.core.crypto.PkiResult;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.testkit.OpenSsl;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A real Netty TLS server built with {@link ServerTls}, against Java and OpenSSL clients. */
class ServerTlsIT {
    private static final PartnerId POLICE = PartnerId.of("police-75-brp");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path pkiDir;

    @TempDir
    static Path otherPkiDir;

    private static PkiResult pki;
    private static PkiResult otherPki;
    private static SslContext sslContext;
    private static PeerEchoServer server;

    @BeforeAll
    static void startServer() throws InterruptedException {
        pki = DevelopmentPki.init(pkiDir, List.of(POLICE), List.of(), Clock.systemUTC(), false);
        otherPki = DevelopmentPki.init(otherPkiDir, List.of(POLICE), List.of(), Clock.systemUTC(), false);
        sslContext = ServerTls.forServer(pki.gatewayTlsCertificate(), pki.gatewayTlsKey(), pki.caCertificate());
        server = new PeerEchoServer(sslContext);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void forgetEarlierHandshakes() {
        server.forgetHandshakes();
    }

    @Test
    void acceptsAPartnerCertificateOverTls13AndSeesThePeer() throws Exception {
        SSLContext client =
                ClientTls.sslContext(pki.partnerCertificate(POLICE), pki.partnerKey(POLICE), pki.caCertificate());

        HttpResponse<String> response = get(client);

        assertThat(server.nextHandshake().isSuccess()).isTrue();
        assertThat(response.statusCode()).isEqualTo(200);
        String[] seen = response.body().split("\\|");
        assertThat(seen[0]).isEqualTo("CN=police-75-brp,O=Passerelle development");
        assertThat(seen[1]).isEqualTo(pki.partnerFingerprints().get(POLICE));
        assertThat(seen[2]).isEqualTo("TLSv1.3");
        assertThat(ServerTls.TLS13_CIPHER_SUITES).contains(seen[3]);
    }

    @Test
    void refusesAClientWithoutCertificate() throws Exception {
        SSLContext client = ClientTls.trustOnly(pki.caCertificate());

        assertThatThrownBy(() -> get(client)).isInstanceOf(IOException.class);

        SslHandshakeCompletionEvent handshake = server.nextHandshake();
        assertThat(handshake.cause())
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("Empty client certificate chain");
    }

    @Test
    void refusesAClientCertificateFromAnotherCa() throws Exception {
        SSLContext client = ClientTls.sslContext(
                otherPki.partnerCertificate(POLICE), otherPki.partnerKey(POLICE), pki.caCertificate());

        assertThatThrownBy(() -> get(client)).isInstanceOf(IOException.class);

        SslHandshakeCompletionEvent handshake = server.nextHandshake();
        assertThat(handshake.cause())
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("PKIX path validation failed");
    }

    @Test
    void letsTheClientRefuseAServerFromAnotherCa() throws Exception {
        SSLContext client = ClientTls.sslContext(
                otherPki.partnerCertificate(POLICE), otherPki.partnerKey(POLICE), otherPki.caCertificate());

        assertThatThrownBy(() -> get(client))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("PKIX path validation failed");

        assertThat(server.nextHandshake().isSuccess()).isFalse();
    }

    @Test
    void refusesATls11ClientHelloWithAProtocolVersionAlert() throws Exception {
        byte[] reply = new byte[7];
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(tls11ClientHello());
            out.flush();
            InputStream in = socket.getInputStream();
            for (int read = 0; read < reply.length; ) {
                int n = in.read(reply, read, reply.length - read);
                if (n < 0) {
                    throw new AssertionError("connection closed after " + read + " bytes, before the alert");
                }
                read += n;
            }
        }

        assertThat(reply[0]).as("record type: alert").isEqualTo((byte) 21);
        assertThat(reply[5]).as("alert level: fatal").isEqualTo((byte) 2);
        assertThat(reply[6]).as("alert: protocol_version").isEqualTo((byte) 70);
        assertThat(server.nextHandshake().cause())
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("TLSv1.1");
    }

    @Test
    void limitsProtocolsCipherSuitesAndHandshakeTime() {
        SslHandler handler = ServerTls.newHandler(sslContext, ByteBufAllocator.DEFAULT);

        SSLEngine engine = handler.engine();
        assertThat(engine.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        assertThat(engine.getEnabledCipherSuites()).containsExactlyInAnyOrderElementsOf(ServerTls.CIPHER_SUITES);
        assertThat(engine.getNeedClientAuth()).isTrue();
        assertThat(handler.getHandshakeTimeoutMillis())
                .isEqualTo(ServerTls.HANDSHAKE_TIMEOUT.toMillis())
                .isEqualTo(10_000);
        assertThat(ServerTls.CIPHER_SUITES).hasSize(9).allSatisfy(suite -> assertThat(suite)
                .matches("TLS_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256"
                        + "|ECDHE_(ECDSA|RSA)_WITH_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256))"));
    }

    @Test
    void refusesAServerKeyThatIsNotItsCertificates() {
        assertThatThrownBy(() -> ServerTls.forServer(pki.gatewayTlsCertificate(), pki.adminKey(), pki.caCertificate()))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage())
                            .isEqualTo(pki.adminKey() + ": the private key does not belong to"
                                    + " the first certificate of " + pki.gatewayTlsCertificate()
                                    + " (expected: the key of"
                                    + " CN=Passerelle gateway,O=Passerelle development, fingerprint "
                                    + pki.gatewayTlsFingerprint() + ")");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    void completesAnOpensslHandshakeWithAPartnerCertificate(String protocol) throws Exception {
        String output =
                sClient(protocol, "-cert", "partners/police-75-brp.pem", "-key", "partners/police-75-brp-key.pem");

        assertThat(output)
                .contains(
                        "Verify return code: 0 (ok)",
                        "HTTP/1.1 200 OK",
                        "CN=police-75-brp,O=Passerelle development|"
                                + pki.partnerFingerprints().get(POLICE) + "|"
                                + (protocol.equals("-tls1_2") ? "TLSv1.2" : "TLSv1.3"));
        assertThat(server.nextHandshake().isSuccess()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_2", "-tls1_3"})
    void refusesAnOpensslClientWithoutCertificate(String protocol) throws Exception {
        String output = sClient(protocol);

        assertThat(output).contains("alert bad certificate").doesNotContain("HTTP/1.1 200");
        assertThat(server.nextHandshake().isSuccess()).isFalse();
    }

    @Test
    void refusesAnOpensslClientOfferingTls11Only() throws Exception {
        String output = sClient(
                "-tls1_1",
                "-cipher",
                "DEFAULT@SECLEVEL=0",
                "-cert",
                "partners/police-75-brp.pem",
                "-key",
                "partners/police-75-brp-key.pem");

        assertThat(output).contains("alert protocol version").doesNotContain("HTTP/1.1 200");
        assertThat(server.nextHandshake().isSuccess()).isFalse();
    }

    private static HttpResponse<String> get(SSLContext client) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder()
                .sslContext(client)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/"))
                .timeout(TIMEOUT)
                .GET()
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** {@code openssl s_client} from the development PKI's folder: see {@link PeerEchoServer#sClient}. */
    private static String sClient(String... options) throws IOException, InterruptedException {
        OpenSsl.assumeAvailable();
        return server.sClient(pkiDir, options);
    }

    /** A TLS 1.1 ClientHello, with ECDHE-CBC suites that TLS 1.1 knows and no supported_versions extension. */
    private static byte[] tls11ClientHello() {
        byte[] suites = {(byte) 0xC0, 0x09, (byte) 0xC0, 0x13, 0x00, 0x2F};
        byte[] extensions = {
            0x00, 0x0A, 0x00, 0x04, 0x00, 0x02, 0x00, 0x17, // supported_groups: secp256r1
            0x00, 0x0B, 0x00, 0x02, 0x01, 0x00
        }; // ec_point_formats: uncompressed
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(0x03);
        body.write(0x02);
        body.writeBytes(new byte[32]);
        body.write(0x00);
        body.write(0x00);
        body.write(suites.length);
        body.writeBytes(suites);
        body.write(0x01);
        body.write(0x00);
        body.write(0x00);
        body.write(extensions.length);
        body.writeBytes(extensions);
        byte[] hello = body.toByteArray();
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.writeBytes(new byte[] {0x16, 0x03, 0x02, 0x00, (byte) (hello.length + 4)});
        record.writeBytes(new byte[] {0x01, 0x00, 0x00, (byte) hello.length});
        record.writeBytes(hello);
        return record.toByteArray();
    }
}
