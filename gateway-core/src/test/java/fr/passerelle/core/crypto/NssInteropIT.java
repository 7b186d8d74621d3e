package fr.passerelle.core.crypto;

import static fr.passerelle.core.crypto.CmsFixtures.BODY;
import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.testkit.Commands;
import fr.passerelle.core.testkit.Nss;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What NSS, and so Thunderbird, opens of what the gateway seals, measured with NSS's own {@code cmsutil} (Debian's
 * libnss3-tools) on a database holding the recipient's {@code .p12} and trusting the gateway's CA, as a mail client
 * holds them: the {@code compatible} envelope (EnvelopedData AES-256-CBC, RSA PKCS#1 v1.5), as a CMS and as S/MIME
 * mail, decrypts, and the gateway's signature inside verifies; the other envelopes do not open (docs/MAIL.md's
 * matrix). Skipped without libnss3-tools.
 */
class NssInteropIT {
    private static final String ASSOCIATION = "association-75-amarante";

    @TempDir
    static Path pkiDir;

    private static CmsSealer sealer;
    private static CertificateAuthority ca;
    private static PkiResult pki;

    @TempDir
    Path dir;

    @BeforeAll
    static void makePki() {
        pki = DevelopmentPki.init(pkiDir, List.of(PartnerId.of("police-75-brp")), List.of(), Clock.systemUTC(), false);
        sealer = new CmsSealer(
                PemFiles.readCertifiedKey(pki.gatewaySigningCertificate(), pki.gatewaySigningKey()), Clock.systemUTC());
        ca = CertificateAuthority.load(pki.caCertificate(), pkiDir.resolve("ca-key.pem"), Clock.systemUTC());
    }

    @BeforeEach
    void requireNss() {
        Nss.assumeAvailable();
    }

    @Test
    void nssDecryptsTheCompatibleEnvelopeAndVerifiesTheGatewaysSignature() throws Exception {
        CertificateAuthority.Issued recipient = ca.issue(ASSOCIATION, CertificateAuthority.KeyType.RSA_3072);
        Nss nss = client(recipient);
        Files.write(dir.resolve("referral.cms"), sealer.seal(BODY, recipient.certificate(), EnvelopeFormat.COMPATIBLE));

        Commands.Result decrypted = nss.decode(dir.resolve("referral.cms"), dir.resolve("signed.cms"));
        Commands.Result verified = nss.decode(dir.resolve("signed.cms"), dir.resolve("referral.json"));

        assertThat(decrypted.exitCode()).as(decrypted.output()).isZero();
        assertThat(verified.exitCode()).as(verified.output()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("referral.json"))).isEqualTo(BODY);
    }

    @Test
    void nssOpensTheCompatibleMailAndVerifiesTheSignedEntityInside() throws Exception {
        CertificateAuthority.Issued recipient = ca.issue(ASSOCIATION, CertificateAuthority.KeyType.RSA_3072);
        Nss nss = client(recipient);
        byte[] mail = new SmimeSealer(sealer)
                .seal(BODY, "application/json", recipient.certificate(), EnvelopeFormat.COMPATIBLE);
        Files.write(dir.resolve("mail.p7m"), body(mail));

        Commands.Result decrypted = nss.decode(dir.resolve("mail.p7m"), dir.resolve("signed.eml"));
        Files.write(dir.resolve("signed.p7m"), body(Files.readAllBytes(dir.resolve("signed.eml"))));
        Commands.Result verified = nss.decode(dir.resolve("signed.p7m"), dir.resolve("message.eml"));

        assertThat(decrypted.exitCode()).as(decrypted.output()).isZero();
        assertThat(Files.readString(dir.resolve("signed.eml"))).contains("smime-type=signed-data");
        assertThat(verified.exitCode()).as(verified.output()).isZero();
        assertThat(Files.readString(dir.resolve("message.eml"))).startsWith("Content-Type: application/json");
        assertThat(body(Files.readAllBytes(dir.resolve("message.eml")))).isEqualTo(BODY);
    }

    @ParameterizedTest(name = "{0} recipient, {1}")
    @CsvSource({"EC_P256, AES_256_GCM", "RSA_3072, AES_256_GCM", "RSA_3072, AES_256_CBC", "EC_P256, AES_256_CBC"})
    void nssOpensNoOtherEnvelope(CertificateAuthority.KeyType key, EnvelopeFormat format) throws Exception {
        CertificateAuthority.Issued recipient = ca.issue(ASSOCIATION, key);
        Nss nss = client(recipient);
        Files.write(dir.resolve("referral.cms"), sealer.seal(BODY, recipient.certificate(), format));

        Commands.Result decrypted = nss.decode(dir.resolve("referral.cms"), dir.resolve("signed.cms"));

        assertThat(decrypted.exitCode()).as(decrypted.output()).isNotZero();
    }

    /** A mail client's store: the recipient's .p12, as pki issue writes it, and the gateway's CA trusted. */
    private Nss client(CertificateAuthority.Issued recipient) throws Exception {
        List<Path> files = CertificateAuthority.write(dir.resolve("issued"), ASSOCIATION, recipient);
        String password = Files.readString(files.get(3)).strip();
        return Nss.create(dir.resolve("nss"))
                .importPkcs12(files.get(2), password)
                .trustForMail(pki.caCertificate());
    }

    /** The base64 body of a one-part MIME entity, decoded (the DER of a CMS, or the message). */
    private static byte[] body(byte[] entity) {
        String text = new String(entity, StandardCharsets.US_ASCII);
        int start = text.indexOf("\r\n\r\n");
        return Base64.getMimeDecoder().decode(text.substring(start + 4).strip());
    }
}
