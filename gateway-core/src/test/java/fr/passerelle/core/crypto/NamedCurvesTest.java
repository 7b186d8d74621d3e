package fr.passerelle.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.testkit.Certificates;
import fr.passerelle.core.testkit.OpenSsl;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.cms.KeyAgreeRecipientInfo;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jce.spec.ECParameterSpec;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every EC key that the gateway writes names its curve (RFC 5480: the OID prime256v1 for P-256), never explicit
 * parameters, which stricter decoders refuse: the ephemeral ECDH key in the {@code originatorKey} of each envelope
 * (inbox copies, notices and push bodies are {@link CmsSealer#seal}, S/MIME mail is {@link SmimeSealer#seal}),
 * the certificates inside a signed receipt, and every certificate of the development PKI. Checked with Bouncy
 * Castle's ASN.1 parser and, when openssl is on the PATH, with {@code openssl asn1parse}.
 */
class NamedCurvesTest {
    private static final ASN1ObjectIdentifier PRIME256V1 = X9ObjectIdentifiers.prime256v1;
    private static final byte[] BODY = "{\"type\":\"victim.orientation\"}".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    static Path pkiDir;

    private static PkiResult pki;
    private static CmsSealer sealer;
    private static X509Certificate partner;

    @TempDir
    Path dir;

    /** What the gateway writes, one kind per constant. */
    enum Written {
        SEALED_GCM,
        SEALED_CBC,
        SMIME_GCM,
        SMIME_CBC;

        /** The DER ContentInfo of the envelope: for mail, the base64 body of the S/MIME entity decoded. */
        byte[] envelope() {
            return switch (this) {
                case SEALED_GCM -> sealer.seal(BODY, partner, EnvelopeFormat.AES_256_GCM);
                case SEALED_CBC -> sealer.seal(BODY, partner, EnvelopeFormat.AES_256_CBC);
                case SMIME_GCM -> body(
                        new SmimeSealer(sealer).seal(BODY, "application/json", partner, EnvelopeFormat.AES_256_GCM));
                case SMIME_CBC -> body(
                        new SmimeSealer(sealer).seal(BODY, "application/json", partner, EnvelopeFormat.AES_256_CBC));
            };
        }

        private static byte[] body(byte[] entity) {
            String text = new String(entity, StandardCharsets.US_ASCII);
            return Base64.getMimeDecoder().decode(text.substring(text.indexOf("\r\n\r\n") + 4));
        }
    }

    @BeforeAll
    static void makePki() {
        pki = TestPki.create(pkiDir);
        sealer = new CmsSealer(
                PemFiles.readCertifiedKey(pki.gatewaySigningCertificate(), pki.gatewaySigningKey()), CmsFixtures.CLOCK);
        partner = PemFiles.readCertificates(pki.partnerCertificate(TestPki.POLICE))
                .get(0);
    }

    @ParameterizedTest
    @EnumSource(Written.class)
    void namesTheCurveOfTheEphemeralKeyInTheOriginatorKey(Written kind) {
        byte[] envelope = kind.envelope();

        List<ASN1Encodable> parameters = originatorKeyParameters(envelope);
        assertThat(parameters).containsExactly(PRIME256V1);
    }

    @ParameterizedTest
    @EnumSource(Written.class)
    void opensslAsn1parseShowsPrime256v1AfterTheOriginatorKeyAlgorithm(Written kind) throws Exception {
        OpenSsl.assumeAvailable();
        Files.write(dir.resolve("envelope.der"), kind.envelope());

        List<String> curves = OpenSsl.ecKeyCurves(dir, "envelope.der");

        assertThat(curves).containsExactly("prime256v1");
    }

    @Test
    void keepsNamingTheCurveForEveryNewEnvelope() {
        // The curve spec is made once and reused: the second envelope must not differ from the first.
        List<ASN1Encodable> first = originatorKeyParameters(Written.SEALED_GCM.envelope());
        List<ASN1Encodable> second = originatorKeyParameters(Written.SEALED_GCM.envelope());

        assertThat(second).isEqualTo(first).containsExactly(PRIME256V1);
    }

    @Test
    void namesTheCurveOfARecipientOnP384() {
        X509Certificate p384 = Certificates.certificate("CN=p384,O=Passerelle tests")
                .keys(Certificates.ec("secp384r1"))
                .certifiedKey()
                .certificate();

        byte[] envelope = sealer.seal(BODY, p384, EnvelopeFormat.AES_256_GCM);

        assertThat(originatorKeyParameters(envelope)).containsExactly(SECObjectIdentifiers.secp384r1);
    }

    @Test
    void refusesARecipientKeyGivenWithExplicitCurveParameters() throws Exception {
        BouncyCastleProvider bc = new BouncyCastleProvider();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", bc);
        ECParameterSpec named = ECNamedCurveTable.getParameterSpec("secp256r1");
        generator.initialize(new ECParameterSpec(named.getCurve(), named.getG(), named.getN(), named.getH()));
        KeyPair explicit = generator.generateKeyPair();
        X500Name name = new X500Name("CN=explicit,O=Passerelle tests");
        // Bouncy Castle's own converter: the JDK's refuses to parse a key with explicit parameters.
        X509Certificate recipient = new JcaX509CertificateConverter()
                .setProvider(bc)
                .getCertificate(new JcaX509v3CertificateBuilder(
                                name,
                                BigInteger.ONE,
                                Date.from(CmsFixtures.NOW.minusSeconds(3600)),
                                Date.from(CmsFixtures.NOW.plusSeconds(3600)),
                                name,
                                explicit.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withECDSA")
                                .setProvider(bc)
                                .build(explicit.getPrivate())));

        assertThatThrownBy(() -> sealer.seal(BODY, recipient, EnvelopeFormat.AES_256_GCM))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessage("recipient certificate " + Fingerprints.sha256(recipient)
                        + " has an EC key with explicit curve parameters (expected: a named curve, P-256, P-384"
                        + " or P-521)");
    }

    @Test
    void signsReceiptsWithCertificatesThatNameTheirCurve() throws Exception {
        byte[] receipt = sealer.sign(BODY);

        List<ASN1Encodable> curves = new ArrayList<>();
        for (X509CertificateHolder certificate :
                CmsStructures.signedData(receipt).getCertificates().getMatches(null)) {
            curves.add(certificate.getSubjectPublicKeyInfo().getAlgorithm().getParameters());
        }
        assertThat(curves).containsExactlyInAnyOrder(PRIME256V1, SECObjectIdentifiers.secp384r1);
    }

    @Test
    void givesEveryCertificateOfTheDevelopmentPkiANamedCurve() throws Exception {
        List<Path> files = List.of(
                pki.caCertificate(),
                pki.gatewayTlsCertificate(),
                pki.gatewaySigningCertificate(),
                pki.adminCertificate(),
                pki.partnerCertificate(TestPki.POLICE),
                DevelopmentPki.issueClient(pkiDir, dir, "association-974-kaz-lespwa", CmsFixtures.CLOCK),
                DevelopmentPki.issueServer(pkiDir, dir, "siao-974", List.of("localhost"), CmsFixtures.CLOCK));

        for (Path file : files) {
            X509Certificate leaf = PemFiles.readCertificates(file).get(0);
            ASN1Encodable curve = SubjectPublicKeyInfo.getInstance(
                            leaf.getPublicKey().getEncoded())
                    .getAlgorithm()
                    .getParameters();
            assertThat(curve)
                    .as(file.getFileName().toString())
                    .isEqualTo(file.equals(pki.caCertificate()) ? SECObjectIdentifiers.secp384r1 : PRIME256V1);
        }
    }

    /** The algorithm parameters of the originatorKey of each key agreement recipient of {@code envelope}. */
    private static List<ASN1Encodable> originatorKeyParameters(byte[] envelope) {
        ContentInfo info = CmsStructures.contentInfo(envelope);
        ASN1Set recipients;
        if (info.getContentType().equals(CMSObjectIdentifiers.authEnvelopedData)) {
            recipients = AuthEnvelopedData.getInstance(info.getContent()).getRecipientInfos();
        } else {
            assertThat(info.getContentType()).isEqualTo(CMSObjectIdentifiers.envelopedData);
            recipients = EnvelopedData.getInstance(info.getContent()).getRecipientInfos();
        }
        List<ASN1Encodable> parameters = new ArrayList<>();
        for (ASN1Encodable each : recipients) {
            KeyAgreeRecipientInfo agreement = KeyAgreeRecipientInfo.getInstance(
                    RecipientInfo.getInstance(each).getInfo());
            parameters.add(
                    agreement.getOriginator().getOriginatorKey().getAlgorithm().getParameters());
        }
        return parameters;
    }
}
