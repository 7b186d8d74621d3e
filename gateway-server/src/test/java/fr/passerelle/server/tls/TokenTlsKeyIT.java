package fr.passerelle.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.config.ConfigLoader;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.crypto.ClientTls;
import fr.passerelle.core.crypto.Fingerprints;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.crypto.Pkcs11Token;
import fr.passerelle.core.testkit.Certificates;
import fr.passerelle.core.testkit.OpenSsl;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gateway's TLS listener serving a key that a real PKCS#11 token (SoftHSM2) keeps: the token signs each
 * handshake, and Java's and OpenSSL's clients complete it.
 */
class TokenTlsKeyIT {
    private static final String REQUEST = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";

    @TempDir
    static Path dir;

    private static SoftHsmToken hsm;
    private static CertifiedKey partner;
    private static PeerEchoServer server;

    @BeforeAll
    static void serveTheTokensKey() throws Exception {
        hsm = SoftHsmToken.shared();
        partner = Certificates.certificate("CN=police-75-brp,O=Passerelle tests")
                .issuedBy(hsm.ca())
                .extendedKeyUsage(KeyPurposeId.id_kp_clientAuth)
                .certifiedKey();
        Files.copy(hsm.dir().resolve("ca.pem"), dir.resolve("ca.pem"));
        PemFiles.writeCertificates(dir.resolve("partner.pem"), partner.chain());
        PemFiles.writePrivateKey(dir.resolve("partner-key.pem"), partner.key());
        server = new PeerEchoServer(ServerTls.forServer(
                hsm.dir().resolve("gateway-tls.pem"), hsm.key("gateway-tls"), dir.resolve("ca.pem")));
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
    void aJavaClientCompletesAHandshakeWithTheTokensKey() throws Exception {
        SSLContext client =
                ClientTls.sslContext(dir.resolve("partner.pem"), dir.resolve("partner-key.pem"), dir.resolve("ca.pem"));

        HttpResponse<String> response = HttpClient.newBuilder()
                .sslContext(client)
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port()))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(server.nextHandshake().isSuccess()).isTrue();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body())
                .startsWith(partner.certificate().getSubjectX500Principal().getName() + "|"
                        + Fingerprints.sha256(partner.certificate()) + "|TLSv1.3|");
        assertThat(response.sslSession().orElseThrow().getPeerCertificates()[0])
                .isEqualTo(PemFiles.readCertificates(hsm.dir().resolve("gateway-tls.pem"))
                        .get(0));
    }

    @Test
    void gatewayYamlNamesTheTokensKeysForTheListenerAndTheSigner() throws Exception {
        Path yaml = Files.writeString(
                dir.resolve("gateway.yaml"),
                "pki:\n  dir: " + hsm.dir() + "\ndata_dir: data\n"
                        + "pkcs11:\n  library: " + SoftHsmToken.LIBRARY + "\n  slot: " + hsm.slot() + "\n"
                        + "tls:\n  key: \"pkcs11:object=gateway-tls\"\n"
                        + "signing:\n  key: \"pkcs11:object=gateway-signing\"\n");
        GatewaySettings settings = ConfigLoader.settings(yaml, Map.of(Pkcs11Token.PIN_VARIABLE, SoftHsmToken.PIN));
        SSLContext client =
                ClientTls.sslContext(dir.resolve("partner.pem"), dir.resolve("partner-key.pem"), dir.resolve("ca.pem"));

        try (PeerEchoServer listener = new PeerEchoServer(
                ServerTls.forServer(settings.tlsCertificate(), settings.tlsKey(), settings.clientCa()))) {
            HttpResponse<String> response = HttpClient.newBuilder()
                    .sslContext(client)
                    .build()
                    .send(
                            HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + listener.port()))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
        }
        CertifiedKey signer = settings.signingKey().read(settings.signingCertificate());
        assertThat(signer.key().getEncoded()).isNull();
        assertThat(signer.certificate())
                .isEqualTo(PemFiles.readCertificates(hsm.dir().resolve("gateway-signing.pem"))
                        .get(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void opensslCompletesAHandshakeWithTheTokensKey(String protocol) throws Exception {
        OpenSsl.assumeAvailable();

        OpenSsl.Result result = OpenSsl.run(
                dir,
                REQUEST.getBytes(StandardCharsets.US_ASCII),
                "s_client",
                "-connect",
                "127.0.0.1:" + server.port(),
                "-CAfile",
                "ca.pem",
                "-verify_ip",
                "127.0.0.1",
                "-verify_return_error",
                "-cert",
                "partner.pem",
                "-key",
                "partner-key.pem",
                protocol.equals("TLSv1.2") ? "-tls1_2" : "-tls1_3",
                "-ign_eof");

        assertThat(server.nextHandshake().isSuccess()).isTrue();
        assertThat(result.output())
                .contains("Verify return code: 0 (ok)")
                .contains("HTTP/1.1 200 OK")
                .contains("|" + protocol + "|");
    }
}
