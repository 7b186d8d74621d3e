package fr.passerelle.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.audit.SignedTreeHead;
import fr.passerelle.core.audit.TreeHead;
import fr.passerelle.core.audit.TreeHeadSigner;
import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.crypto.CmsSealer;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.testkit.FakeClock;
import fr.passerelle.core.testkit.OpenSsl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's signing key in a real PKCS#11 token (SoftHSM2), which never lets it out: the token signs the CMS
 * that OpenSSL verifies and the audit log's tree heads.
 */
class TokenSigningKeyIT {
    private static final byte[] BODY = "{\"referral\":\"token-signed\"}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private static SoftHsmToken hsm;

    @BeforeAll
    static void putTheKeysInAToken() throws Exception {
        hsm = SoftHsmToken.shared();
    }

    private static CertifiedKey signingKey() {
        return hsm.key("gateway-signing").read(hsm.dir().resolve("gateway-signing.pem"));
    }

    @Test
    void opensslVerifiesACmsSignatureMadeByTheToken() throws Exception {
        OpenSsl.assumeAvailable();
        CertifiedKey signer = signingKey();
        CmsSealer sealer = new CmsSealer(signer, new FakeClock(Instant.parse("2026-03-02T10:00:00Z")));
        Files.copy(hsm.dir().resolve("ca.pem"), dir.resolve("ca.pem"));

        Files.write(dir.resolve("receipt.cms"), sealer.sign(BODY));
        String verify = OpenSsl.ok(
                dir,
                "cms",
                "-verify",
                "-inform",
                "DER",
                "-in",
                "receipt.cms",
                "-CAfile",
                "ca.pem",
                "-signer",
                "signer.pem",
                "-out",
                "receipt.json");

        assertThat(verify).contains("Verification successful");
        assertThat(Files.readAllBytes(dir.resolve("receipt.json"))).isEqualTo(BODY);
        assertThat(PemFiles.readCertificates(dir.resolve("signer.pem"))).containsExactly(signer.certificate());
    }

    @Test
    void aTreeHeadSignedByTheTokenVerifiesWithTheCertificate() {
        CertifiedKey signer = signingKey();
        TreeHead head = new TreeHead(42, new byte[32], Instant.parse("2026-03-02T10:00:00Z"));

        SignedTreeHead signed = TreeHeadSigner.sign(head, signer);

        assertThat(TreeHeadSigner.verify(signed, signer.certificate())).isTrue();
    }

    @Test
    void theTokenNeverLetsTheKeysOut() throws Exception {
        CertifiedKey tls = hsm.key("gateway-tls").read(hsm.dir().resolve("gateway-tls.pem"));
        CertifiedKey signing = signingKey();

        for (CertifiedKey key : List.of(tls, signing)) {
            assertThat(key.key().getEncoded()).isNull();
            assertThat(key.key().getFormat()).isNull();
            // SunPKCS11 shows the token's CKA_TOKEN, CKA_SENSITIVE and CKA_EXTRACTABLE in the key's description.
            assertThat(key.key().toString()).contains("token object", "sensitive", "unextractable");
            KeyFactory factory = KeyFactory.getInstance("EC", key.provider().orElseThrow());
            assertThatThrownBy(() -> factory.getKeySpec(key.key(), ECPrivateKeySpec.class))
                    .isInstanceOf(InvalidKeySpecException.class);
            assertThatThrownBy(() -> factory.getKeySpec(key.key(), PKCS8EncodedKeySpec.class))
                    .isInstanceOf(InvalidKeySpecException.class);
        }
        assertThatThrownBy(() -> PemFiles.writePrivateKey(dir.resolve("copy-key.pem"), signing.key()))
                .isInstanceOf(GatewayException.class)
                .extracting(e -> ((GatewayException) e).code())
                .isEqualTo(ErrorCode.PKI_FAILED);
        assertThat(dir.resolve("copy-key.pem")).doesNotExist();
    }

    @Test
    void refusesALabelThatTheTokenDoesNotHoldAndListsThoseItHolds() {
        assertThatThrownBy(() -> hsm.key("gateway-tsl").read(hsm.dir().resolve("gateway-tls.pem")))
                .isInstanceOf(GatewayException.class)
                .hasMessage("the key pkcs11:object=gateway-tsl of the token at slot " + hsm.slot() + " of "
                        + SoftHsmToken.LIBRARY + " is not there (private keys with a certificate: gateway-signing,"
                        + " gateway-tls; expected: the label of a private key stored with its certificate)");
    }

    @Test
    void refusesATokenKeyThatIsNotTheCertificates() {
        Path tlsCertificate = hsm.dir().resolve("gateway-tls.pem");

        assertThatThrownBy(() -> hsm.key("gateway-signing").read(tlsCertificate))
                .isInstanceOf(GatewayException.class)
                .hasMessageStartingWith("the key pkcs11:object=gateway-signing of the token at slot " + hsm.slot())
                .hasMessageContaining("is not the key of the first certificate of " + tlsCertificate);
    }
}
