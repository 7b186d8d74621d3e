package fr.passerelle.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.partner.PartnerId;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Building client contexts; the handshakes against a real server are in gateway-server's ServerTlsIT. */
class ClientTlsTest {
    private static final PartnerId POLICE = TestPki.POLICE;

    @TempDir
    static Path pkiDir;

    private static PkiResult pki;

    @BeforeAll
    static void makePki() {
        pki = TestPki.create(pkiDir);
    }

    @Test
    void buildsATls13ContextFromAPartnersPemFiles() {
        SSLContext context =
                ClientTls.sslContext(pki.partnerCertificate(POLICE), pki.partnerKey(POLICE), pki.caCertificate());

        assertThat(context.getProtocol()).isEqualTo("TLSv1.3");
        assertThat(context.getDefaultSSLParameters().getProtocols())
                .contains("TLSv1.3")
                .doesNotContain("TLSv1.1", "TLSv1");
    }

    @Test
    void buildsATrustOnlyContext() {
        SSLContext context = ClientTls.trustOnly(pki.caCertificate());

        assertThat(context.getProtocol()).isEqualTo("TLSv1.3");
    }

    @Test
    void refusesAKeyThatIsNotTheCertificates() {
        assertThatThrownBy(
                        () -> ClientTls.sslContext(pki.partnerCertificate(POLICE), pki.adminKey(), pki.caCertificate()))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage())
                            .startsWith(pki.adminKey() + ": the private key does not belong to"
                                    + " the first certificate of " + pki.partnerCertificate(POLICE));
                });
    }

    @Test
    void refusesAMissingCaFile() {
        Path missing = pkiDir.resolve("no-such-ca.pem");

        assertThatThrownBy(() -> ClientTls.trustOnly(missing)).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
            assertThat(e.getMessage())
                    .isEqualTo(
                            missing + ": does not exist (expected: one or more PEM" + " blocks 'BEGIN CERTIFICATE')");
        });
    }
}
