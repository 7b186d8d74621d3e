package fr.passerelle.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.partner.PartnerId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevelopmentPkiTest {
    private static final PartnerId POLICE = PartnerId.of("police-75-brp");
    private static final PartnerId SIAO = PartnerId.of("siao-75");
    private static final Instant NOW = Instant.parse("2026-03-02T10:15:30Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";

    @TempDir
    Path dir;

    private PkiResult init(boolean force) {
        return DevelopmentPki.init(
                dir, List.of(SIAO, POLICE, POLICE), List.of("gateway.example.fr", "10.0.0.7"), CLOCK, force);
    }

    @Test
    void writesEveryFile() throws IOException {
        init(false);

        List<String> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile)
                    .map(p -> dir.relativize(p).toString())
                    .toList();
        }
        assertThat(files)
                .containsExactlyInAnyOrder(
                        "ca.pem",
                        "ca-key.pem",
                        "gateway-tls.pem",
                        "gateway-tls-key.pem",
                        "gateway-tls.p12",
                        "gateway-signing.pem",
                        "gateway-signing-key.pem",
                        "gateway-signing.p12",
                        "admin.pem",
                        "admin-key.pem",
                        "admin.p12",
                        "partners/police-75-brp.pem",
                        "partners/police-75-brp-key.pem",
                        "partners/police-75-brp.p12",
                        "partners/siao-75.pem",
                        "partners/siao-75-key.pem",
                        "partners/siao-75.p12",
                        "pkcs12-password.txt",
                        "fingerprints.txt");
        assertThat(Files.readString(dir.resolve("partners/police-75-brp-key.pem")))
                .startsWith("-----BEGIN PRIVATE KEY-----\n");
    }

    @Test
    void makesKeysPkcs12FilesAndThePasswordReadableByTheOwnerAlone() throws IOException {
        assumeThat(Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class))
                .isTrue();

        init(false);

        for (String secret : List.of(
                "ca-key.pem",
                "gateway-tls-key.pem",
                "gateway-tls.p12",
                "gateway-signing-key.pem",
                "gateway-signing.p12",
                "admin-key.pem",
                "admin.p12",
                "partners/police-75-brp-key.pem",
                "partners/police-75-brp.p12",
                "pkcs12-password.txt")) {
            assertThat(Files.getPosixFilePermissions(dir.resolve(secret)))
                    .as(secret)
                    .isEqualTo(PkiFiles.OWNER_ONLY);
        }
    }

    @Test
    void returnsAndListsTheFingerprintsOfTheCertificatesWritten() throws IOException {
        PkiResult result = init(false);

        String police = Fingerprints.sha256(leaf(result.partnerCertificate(POLICE)));
        String siao = Fingerprints.sha256(leaf(result.partnerCertificate(SIAO)));
        String admin = Fingerprints.sha256(leaf(result.adminCertificate()));
        String tls = Fingerprints.sha256(leaf(result.gatewayTlsCertificate()));
        assertThat(result.dir()).isEqualTo(dir);
        assertThat(result.partnerFingerprints())
                .containsExactly(java.util.Map.entry(POLICE, police), java.util.Map.entry(SIAO, siao));
        assertThat(result.adminFingerprint()).isEqualTo(admin);
        assertThat(result.gatewayTlsFingerprint()).isEqualTo(tls);
        assertThat(Files.readAllLines(dir.resolve("fingerprints.txt")))
                .containsExactly(
                        "# SHA-256 fingerprints of the development PKI: id fingerprint",
                        "ca " + Fingerprints.sha256(leaf(result.caCertificate())),
                        "gateway-tls " + tls,
                        "gateway-signing " + Fingerprints.sha256(leaf(result.gatewaySigningCertificate())),
                        "admin " + admin,
                        "police-75-brp " + police,
                        "siao-75 " + siao);
    }

    @Test
    void makesATenYearCaThatSignsLeavesOnly() throws Exception {
        PkiResult result = init(false);

        X509Certificate ca = leaf(result.caCertificate());
        assertThat(ca.getSubjectX500Principal().getName())
                .isEqualTo("CN=Passerelle development CA,O=Passerelle development");
        assertThat(ca.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
        assertThat(ca.getBasicConstraints()).isZero();
        assertThat(ca.getKeyUsage()).containsExactly(false, false, false, false, false, true, true, false, false);
        assertThat(((ECPublicKey) ca.getPublicKey())
                        .getParams()
                        .getCurve()
                        .getField()
                        .getFieldSize())
                .isEqualTo(384);
        assertThat(ca.getNotBefore().toInstant()).isEqualTo(NOW.minusSeconds(3600));
        assertThat(ca.getNotAfter().toInstant()).isEqualTo(Instant.parse("2036-03-02T10:15:30Z"));
        ca.verify(ca.getPublicKey());
        assertThat(PemFiles.readCertifiedKey(result.caCertificate(), dir.resolve("ca-key.pem"))
                        .key())
                .isNotNull();
    }

    @Test
    void namesLocalhostTheLoopbacksAndTheExtraHostsInTheGatewayTlsCertificate() throws Exception {
        PkiResult result = init(false);

        List<X509Certificate> chain = PemFiles.readCertificates(result.gatewayTlsCertificate());
        X509Certificate tls = chain.get(0);
        assertThat(chain).hasSize(2);
        assertThat(chain.get(1)).isEqualTo(leaf(result.caCertificate()));
        tls.verify(chain.get(1).getPublicKey());
        List<String> names = new ArrayList<>();
        for (List<?> name : tls.getSubjectAlternativeNames()) {
            names.add(name.get(0) + ":" + name.get(1));
        }
        assertThat(names)
                .containsExactly(
                        "2:localhost", "7:127.0.0.1", "7:0:0:0:0:0:0:0:1", "2:gateway.example.fr", "7:10.0.0.7");
        assertThat(tls.getExtendedKeyUsage()).containsExactly(SERVER_AUTH, CLIENT_AUTH);
        assertThat(tls.getBasicConstraints()).isEqualTo(-1);
        assertThat(((ECPublicKey) tls.getPublicKey())
                        .getParams()
                        .getCurve()
                        .getField()
                        .getFieldSize())
                .isEqualTo(256);
        assertThat(tls.getNotAfter().toInstant()).isEqualTo(Instant.parse("2028-03-02T10:15:30Z"));
    }

    @Test
    void issuesEachPartnerAClientCertificateNamedByItsId() throws Exception {
        PkiResult result = init(false);

        X509Certificate police = leaf(result.partnerCertificate(POLICE));
        assertThat(police.getSubjectX500Principal().getName()).isEqualTo("CN=police-75-brp,O=Passerelle development");
        assertThat(police.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH, EMAIL_PROTECTION);
        assertThat(police.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(police.getNotAfter().toInstant()).isEqualTo(Instant.parse("2028-03-02T10:15:30Z"));
        police.verify(leaf(result.caCertificate()).getPublicKey());
    }

    @Test
    void issuesTheAdminAClientCertificateInTheAdminUnit() throws Exception {
        PkiResult result = init(false);

        X509Certificate admin = leaf(result.adminCertificate());
        assertThat(admin.getSubjectX500Principal().getName()).isEqualTo("CN=admin,OU=admin,O=Passerelle development");
        assertThat(admin.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        admin.verify(leaf(result.caCertificate()).getPublicKey());
    }

    @Test
    void issuesTheGatewayASigningCertificateForNonRepudiation() throws Exception {
        PkiResult result = init(false);

        X509Certificate signing = leaf(result.gatewaySigningCertificate());
        assertThat(signing.getKeyUsage()[0]).as("digitalSignature").isTrue();
        assertThat(signing.getKeyUsage()[1]).as("nonRepudiation").isTrue();
        assertThat(PemFiles.readCertifiedKey(result.gatewaySigningCertificate(), result.gatewaySigningKey())
                        .chain())
                .hasSize(2);
    }

    @Test
    void namesTheGatewaysMailAddressInTheSigningCertificate() throws Exception {
        PkiResult result = DevelopmentPki.init(
                dir, List.of(POLICE), List.of(), Optional.of("passerelle@example.invalid"), CLOCK, false);

        X509Certificate signing = leaf(result.gatewaySigningCertificate());
        assertThat(signing.getSubjectAlternativeNames())
                .containsExactly(List.of(GeneralName.rfc822Name, "passerelle@example.invalid"));
        assertThat(leaf(result.gatewayTlsCertificate()).getSubjectAlternativeNames())
                .noneMatch(name -> name.get(0).equals(GeneralName.rfc822Name));
    }

    @Test
    void givesTheSigningCertificateNoAlternativeNameWithoutAMailAddress() throws Exception {
        PkiResult result = init(false);

        assertThat(leaf(result.gatewaySigningCertificate()).getSubjectAlternativeNames())
                .isNull();
    }

    @Test
    void refusesAGatewayMailAddressThatIsNoPlainAddress() {
        assertThatThrownBy(() -> DevelopmentPki.init(
                        dir, List.of(), List.of(), Optional.of("Passerelle <passerelle@example.fr>"), CLOCK, false))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage())
                            .isEqualTo("the gateway's mail address is not a plain mail address (expected:"
                                    + " local-part@domain, such as passerelle@example.fr)");
                });
        assertThat(dir.resolve("ca.pem")).doesNotExist();
    }

    @Test
    void givesEveryCertificateADistinctPositiveSixteenByteSerial() {
        PkiResult result = init(false);

        List<X509Certificate> all = Stream.of(
                        result.caCertificate(),
                        result.gatewayTlsCertificate(),
                        result.gatewaySigningCertificate(),
                        result.adminCertificate(),
                        result.partnerCertificate(POLICE),
                        result.partnerCertificate(SIAO))
                .map(DevelopmentPkiTest::leaf)
                .toList();
        assertThat(all).allSatisfy(cert -> {
            assertThat(cert.getSerialNumber().signum()).isPositive();
            assertThat(cert.getSerialNumber().toByteArray()).hasSize(16);
        });
        assertThat(all.stream().map(X509Certificate::getSerialNumber).distinct())
                .hasSize(all.size());
    }

    @Test
    void protectsEachPkcs12WithThePasswordFile() throws Exception {
        PkiResult result = init(false);

        char[] password = Files.readAllLines(result.pkcs12Password()).get(0).toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(result.partnerPkcs12(POLICE))) {
            store.load(in, password);
        }
        PrivateKey key = (PrivateKey) store.getKey("police-75-brp", password);
        Certificate[] chain = store.getCertificateChain("police-75-brp");
        assertThat(password).hasSize(32);
        assertThat(key).isEqualTo(PemFiles.readPrivateKey(result.partnerKey(POLICE)));
        assertThat(chain).containsExactlyElementsOf(PemFiles.readCertificates(result.partnerCertificate(POLICE)));
    }

    @Test
    void refusesToReplaceAnExistingCaWithoutForce() {
        PkiResult first = init(false);
        String caBefore = Fingerprints.sha256(leaf(first.caCertificate()));

        assertThatThrownBy(() -> init(false)).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.PKI_FAILED);
            assertThat(e.getMessage())
                    .isEqualTo(dir + " already holds a CA (ca.pem); use --force to"
                            + " replace it, or choose another --out");
        });
        assertThat(Fingerprints.sha256(leaf(first.caCertificate()))).isEqualTo(caBefore);
    }

    @Test
    void replacesAnExistingCaWhenForced() {
        PkiResult first = init(false);
        String caBefore = Fingerprints.sha256(leaf(first.caCertificate()));

        PkiResult second = init(true);

        assertThat(Fingerprints.sha256(leaf(second.caCertificate()))).isNotEqualTo(caBefore);
        assertThat(second.partnerFingerprints().get(POLICE))
                .isNotEqualTo(first.partnerFingerprints().get(POLICE))
                .isEqualTo(Fingerprints.sha256(leaf(second.partnerCertificate(POLICE))));
    }

    @Test
    void createsAnOutputDirectoryThatDoesNotExistYet() {
        Path nested = dir.resolve("a/b");

        PkiResult result = DevelopmentPki.init(nested, List.of(), List.of(), CLOCK, false);

        assertThat(result.partnerFingerprints()).isEmpty();
        assertThat(result.caCertificate()).isRegularFile();
        assertThat(nested.resolve("partners")).doesNotExist();
    }

    @Test
    void refusesAnExtraHostNameThatIsNeitherADnsNameNorAnIpAddress() {
        assertThatThrownBy(() -> DevelopmentPki.init(dir, List.of(POLICE), List.of("gate way"), CLOCK, false))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage())
                            .isEqualTo("host name 'gate way' is not valid (expected: a DNS name"
                                    + " such as gateway.example.fr, or an IP address)");
                });
        assertThat(dir.resolve("ca.pem")).doesNotExist();
    }

    private static X509Certificate leaf(Path pem) {
        return PemFiles.readCertificates(pem).get(0);
    }
}
