package fr.passerelle.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.crypto.EnvelopeFormat;
import fr.passerelle.core.crypto.Fingerprints;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.spi.Transport;
import fr.passerelle.core.spi.TransportContext;
import fr.passerelle.core.spi.TransportProvider;
import fr.passerelle.core.testkit.Certificates;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The envelope of a partner that receives by mail: {@code compatible} by default when its certificate is RSA (what
 * every mail client opens), a warning when it is EC and nothing says its client opens AuthEnvelopedData, an error
 * when {@code compatible} is asked of an EC certificate.
 */
class MailProfileConfigTest {
    /** A transport that packages as S/MIME, as the mail transport does. */
    private static final TransportProvider MAIL = new TransportProvider() {
        @Override
        public String id() {
            return "mail";
        }

        @Override
        public Packaging packaging() {
            return Packaging.SMIME;
        }

        @Override
        public List<TransportProvider.OptionProblem> checkPartner(Map<String, String> options) {
            return List.of();
        }

        @Override
        public List<TransportProvider.OptionProblem> checkSettings(Map<String, String> settings) {
            return List.of();
        }

        @Override
        public Transport open(TransportContext context) {
            throw new UnsupportedOperationException();
        }
    };

    private static final ConfigChecks CHECKS = new ConfigChecks(
            id -> true, id -> true, type -> Set.of(), id -> id.equals("mail") ? Optional.of(MAIL) : Optional.empty());

    @TempDir
    Path temp;

    private TestConfig config;

    @BeforeEach
    void writeValidConfiguration() {
        config = TestConfig.valid(temp);
        config.replace("gateway.yaml", "data_dir: ../data", "data_dir: ../data\ntransports:\n  mail:\n    host: relay");
    }

    @Test
    void sealsCompatibleForAMailPartnerWithAnRsaCertificate() {
        receivesByMail("");
        holdsAnRsaCertificate();

        ConfigReport report = config.check(Map.of(), CHECKS);

        assertThat(report.problems()).extracting(config::shown).isEmpty();
        assertThat(envelope(report)).isEqualTo(EnvelopeFormat.COMPATIBLE);
    }

    @Test
    void warnsAboutAMailPartnerWithAnEcCertificateAndSealsModern() {
        receivesByMail("");

        ConfigReport report = config.check(Map.of(), CHECKS);

        assertThat(report.problems())
                .extracting(config::shown)
                .containsExactly("partners/siao-75.yaml:10: warning: partner siao-75 receives mail under an EC"
                        + " certificate: Thunderbird and Outlook cannot open what is sealed for it (docs/MAIL.md) (fix:"
                        + " issue it an RSA certificate (gateway pki issue siao-75 --key rsa): its mail becomes"
                        + " compatible; or write envelope: modern if its client is known to open"
                        + " AuthEnvelopedData)");
        assertThat(envelope(report)).isEqualTo(EnvelopeFormat.AES_256_GCM);
    }

    @Test
    void sealsModernWithoutWarningWhenTheEntrySaysItsClientOpensIt() {
        receivesByMail("envelope: modern\n");

        ConfigReport report = config.check(Map.of(), CHECKS);

        assertThat(report.problems()).extracting(config::shown).isEmpty();
        assertThat(envelope(report)).isEqualTo(EnvelopeFormat.AES_256_GCM);
    }

    @Test
    void refusesTheCompatibleEnvelopeForAnEcCertificate() {
        receivesByMail("envelope: compatible\n");

        assertThat(config.check(Map.of(), CHECKS).problems())
                .extracting(config::shown)
                .containsExactly("partners/siao-75.yaml:10: error: envelope compatible needs an RSA certificate,"
                        + " and this partner's is EC (fix: issue it an RSA certificate (gateway pki issue siao-75"
                        + " --key rsa), or write envelope: modern if its client opens AuthEnvelopedData)");
    }

    @Test
    void keepsGcmForAPartnerThatPullsEvenWithAnRsaCertificate() {
        holdsAnRsaCertificate();

        ConfigReport report = config.check(Map.of(), CHECKS);

        assertThat(report.problems()).extracting(config::shown).isEmpty();
        assertThat(envelope(report)).isEqualTo(EnvelopeFormat.AES_256_GCM);
    }

    private void receivesByMail(String envelope) {
        config.replace(
                "partners/siao-75.yaml",
                "enabled: true",
                "enabled: true\n" + envelope + "delivery: {transport: mail, address: accueil@siao.example}");
    }

    /** siao-75's certificate becomes RSA 3072 (signing and key encipherment), pinned in its entry. */
    private void holdsAnRsaCertificate() {
        X509Certificate rsa = Certificates.leaf(
                TestConfig.CA,
                "siao-75",
                Certificates.rsa(3072),
                Certificates.FROM,
                Certificates.UNTIL,
                KeyUsage.digitalSignature | KeyUsage.keyEncipherment);
        Certificates.write(config.file("partners/siao-75.pem"), rsa, TestConfig.CA.certificate());
        config.replace("partners/siao-75.yaml", TestConfig.FP_SIAO, Fingerprints.sha256(rsa));
    }

    private static EnvelopeFormat envelope(ConfigReport report) {
        return report.deployment()
                .orElseThrow()
                .partner(PartnerId.of("siao-75"))
                .orElseThrow()
                .envelope();
    }
}
