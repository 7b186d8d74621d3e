package fr.passerelle.core.crypto;

import static fr.passerelle.core.crypto.CmsFixtures.BODY;
import static fr.passerelle.core.crypto.CmsFixtures.CLOCK;
import static fr.passerelle.core.crypto.CmsFixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.testkit.FakeClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.cms.AuthEnvelopedData;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.EnvelopedData;
import org.bouncycastle.asn1.cms.GCMParameters;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.KeyAgreeRecipientInformation;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.SignerInformation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Sealing for RSA and EC recipients, and everything a recipient refuses when it opens an envelope. */
class CmsSealerTest {
    private static final PartnerId POLICE = PartnerId.of("police-75-brp");
    private static final PartnerId ASSOCIATION = PartnerId.of("association-75-abri");

    @TempDir
    static Path pkiDir;

    private static CertifiedKey gateway;
    private static CertifiedKey police;
    private static CertifiedKey association;
    private static CertifiedKey rsaRecipient;
    private static CmsSealer sealer;

    @BeforeAll
    static void makeKeys() {
        PkiResult pki = DevelopmentPki.init(pkiDir, List.of(POLICE, ASSOCIATION), List.of(), CLOCK, false);
        gateway = PemFiles.readCertifiedKey(pki.gatewaySigningCertificate(), pki.gatewaySigningKey());
        police = PemFiles.readCertifiedKey(pki.partnerCertificate(POLICE), pki.partnerKey(POLICE));
        association = PemFiles.readCertifiedKey(pki.partnerCertificate(ASSOCIATION), pki.partnerKey(ASSOCIATION));
        rsaRecipient = CmsFixtures.rsa(3072, "siao-75", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
        sealer = new CmsSealer(gateway, CLOCK);
    }

    @ParameterizedTest
    @EnumSource(value = EnvelopeFormat.class, names = "COMPATIBLE", mode = EnumSource.Mode.EXCLUDE)
    void opensWhatItSealsForAnEcRecipient(EnvelopeFormat format) {
        byte[] envelope = sealer.seal(BODY, police.certificate(), format);

        CmsOpener.Opened opened = CmsOpener.open(envelope, police, gateway.certificate());

        assertThat(opened.content()).isEqualTo(BODY);
        assertThat(opened.signingTime()).isEqualTo(NOW);
        assertThat(opened.signer()).isEqualTo(gateway.certificate());
    }

    @ParameterizedTest
    @EnumSource(EnvelopeFormat.class)
    void opensWhatItSealsForAnRsaRecipient(EnvelopeFormat format) {
        byte[] envelope = sealer.seal(BODY, rsaRecipient.certificate(), format);

        CmsOpener.Opened opened = CmsOpener.open(envelope, rsaRecipient, gateway.certificate());

        assertThat(opened.content()).isEqualTo(BODY);
        assertThat(opened.signingTime()).isEqualTo(NOW);
    }

    @Test
    void sealsTheCompatibleEnvelopeWithRsaPkcs1KeyTransportAndAesCbc() throws Exception {
        byte[] envelope = sealer.seal(BODY, rsaRecipient.certificate(), EnvelopeFormat.COMPATIBLE);

        CMSEnvelopedData parsed = new CMSEnvelopedData(envelope);
        RecipientInformation recipient =
                parsed.getRecipientInfos().getRecipients().iterator().next();

        assertThat(parsed.getEncryptionAlgOID()).isEqualTo(CMSAlgorithm.AES256_CBC.getId());
        assertThat(recipient).isInstanceOf(KeyTransRecipientInformation.class);
        assertThat(recipient.getKeyEncryptionAlgOID()).isEqualTo(PKCSObjectIdentifiers.rsaEncryption.getId());
    }

    @Test
    void refusesTheCompatibleEnvelopeForAnEcRecipient() {
        assertThatThrownBy(() -> sealer.seal(BODY, police.certificate(), EnvelopeFormat.COMPATIBLE))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage())
                            .contains("envelope compatible needs an RSA recipient certificate")
                            .contains("gateway pki issue ID --key rsa");
                });
    }

    @Test
    void sealsForAnEcRecipientWithEphemeralStaticEcdhAndAesKeyWrapInAuthEnvelopedData() throws Exception {
        byte[] envelope = sealer.seal(BODY, police.certificate(), EnvelopeFormat.AES_256_GCM);

        ContentInfo info = ContentInfo.getInstance(envelope);
        CMSAuthEnvelopedData parsed = new CMSAuthEnvelopedData(envelope);
        RecipientInformation recipient =
                parsed.getRecipientInfos().getRecipients().iterator().next();

        assertThat(info.getContentType()).isEqualTo(CMSObjectIdentifiers.authEnvelopedData);
        assertThat(AuthEnvelopedData.getInstance(info.getContent())
                        .getAuthEncryptedContentInfo()
                        .getContentEncryptionAlgorithm()
                        .getAlgorithm())
                .isEqualTo(CMSAlgorithm.AES256_GCM);
        assertThat(recipient).isInstanceOf(KeyAgreeRecipientInformation.class);
        assertThat(recipient.getKeyEncryptionAlgorithm().getAlgorithm()).isEqualTo(CMSAlgorithm.ECDH_SHA256KDF);
    }

    @Test
    void writesAFreshTwelveByteNonceAndASixteenByteTagForGcm() {
        List<GCMParameters> parameters = List.of(
                        sealer.seal(BODY, police.certificate(), EnvelopeFormat.AES_256_GCM),
                        sealer.seal(BODY, police.certificate(), EnvelopeFormat.AES_256_GCM))
                .stream()
                .map(envelope -> GCMParameters.getInstance(AuthEnvelopedData.getInstance(
                                ContentInfo.getInstance(envelope).getContent())
                        .getAuthEncryptedContentInfo()
                        .getContentEncryptionAlgorithm()
                        .getParameters()))
                .toList();

        assertThat(parameters).allSatisfy(p -> {
            assertThat(p.getNonce()).hasSize(12);
            assertThat(p.getIcvLen()).isEqualTo(16);
        });
        assertThat(parameters.get(0).getNonce()).isNotEqualTo(parameters.get(1).getNonce());
    }

    @Test
    void writesAFreshSixteenByteIvForCbc() {
        List<byte[]> ivs = List.of(
                        sealer.seal(BODY, police.certificate(), EnvelopeFormat.AES_256_CBC),
                        sealer.seal(BODY, police.certificate(), EnvelopeFormat.AES_256_CBC))
                .stream()
                .map(envelope -> ASN1OctetString.getInstance(EnvelopedData.getInstance(
                                        ContentInfo.getInstance(envelope).getContent())
                                .getEncryptedContentInfo()
                                .getContentEncryptionAlgorithm()
                                .getParameters())
                        .getOctets())
                .toList();

        assertThat(ivs).allSatisfy(iv -> assertThat(iv).hasSize(16));
        assertThat(ivs.get(0)).isNotEqualTo(ivs.get(1));
    }

    @Test
    void sealsForAnRsaRecipientWithOaepInEnvelopedDataWhenAskedForCbc() throws Exception {
        byte[] envelope = sealer.seal(BODY, rsaRecipient.certificate(), EnvelopeFormat.AES_256_CBC);

        CMSEnvelopedData parsed = new CMSEnvelopedData(envelope);
        RecipientInformation recipient =
                parsed.getRecipientInfos().getRecipients().iterator().next();

        assertThat(parsed.getEncryptionAlgOID()).isEqualTo(CMSAlgorithm.AES256_CBC.getId());
        assertThat(recipient).isInstanceOf(KeyTransRecipientInformation.class);
        assertThat(recipient.getKeyEncryptionAlgOID()).isEqualTo(PKCSObjectIdentifiers.id_RSAES_OAEP.getId());
    }

    @Test
    void signsWithItsCertificateAndSigningTimeIncluded() throws Exception {
        CMSSignedData signed = new CMSSignedData(sealer.sign(BODY));

        SignerInformation signer =
                signed.getSignerInfos().getSigners().iterator().next();

        assertThat(signed.getSignedContent().getContent()).isEqualTo(BODY);
        assertThat(signer.getDigestAlgOID()).isEqualTo("2.16.840.1.101.3.4.2.1");
        assertThat(signed.getCertificates().getMatches(signer.getSID())).hasSize(1);
        assertThat(Time.getInstance(signer.getSignedAttributes()
                                .get(CMSAttributes.signingTime)
                                .getAttrValues()
                                .getObjectAt(0))
                        .getDate()
                        .toInstant())
                .isEqualTo(NOW);
    }

    @Test
    void signsWithTheClocksTimeToTheSecondAsTheClockMoves() throws Exception {
        FakeClock clock = new FakeClock(Instant.parse("2026-03-01T10:00:00.250Z"));
        CmsSealer moving = new CmsSealer(gateway, clock);

        Instant first = signingTime(moving.sign(BODY));
        clock.advance(Duration.ofMillis(500));
        Instant sameSecond = signingTime(moving.sign(BODY));
        clock.advance(Duration.ofMillis(300));
        Instant nextSecond = signingTime(moving.sign(BODY));
        clock.advance(Duration.ofDays(400));
        Instant nextYear = signingTime(moving.sign(BODY));

        assertThat(first).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(sameSecond).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(nextSecond).isEqualTo(Instant.parse("2026-03-01T10:00:01Z"));
        assertThat(nextYear).isEqualTo(Instant.parse("2027-04-05T10:00:01Z"));
    }

    private static Instant signingTime(byte[] signedData) throws Exception {
        SignerInformation signer = new CMSSignedData(signedData)
                .getSignerInfos()
                .getSigners()
                .iterator()
                .next();
        return Time.getInstance(signer.getSignedAttributes()
                        .get(CMSAttributes.signingTime)
                        .getAttrValues()
                        .getObjectAt(0))
                .getDate()
                .toInstant();
    }

    @Test
    void signsWithRsaPssWhenTheGatewayKeyIsRsa() throws Exception {
        CertifiedKey rsaGateway =
                CmsFixtures.rsa(3072, "gateway", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));
        byte[] envelope = new CmsSealer(rsaGateway, CLOCK).seal(BODY, police.certificate(), EnvelopeFormat.AES_256_GCM);

        CmsOpener.Opened opened = CmsOpener.open(envelope, police, rsaGateway.certificate());
        SignerInformation signer = new CMSSignedData(new CmsSealer(rsaGateway, CLOCK).sign(BODY))
                .getSignerInfos()
                .getSigners()
                .iterator()
                .next();

        assertThat(opened.content()).isEqualTo(BODY);
        assertThat(signer.getEncryptionAlgOID()).isEqualTo(PKCSObjectIdentifiers.id_RSASSA_PSS.getId());
    }

    @Test
    void refusesAnRsaSigningKeyShorterThan3072Bits() {
        CertifiedKey weak =
                CmsFixtures.rsa(2048, "gateway", NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)));

        assertThatThrownBy(() -> new CmsSealer(weak, CLOCK)).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
            assertThat(e.getMessage())
                    .isEqualTo("the gateway signing key of certificate "
                            + Fingerprints.sha256(weak.certificate()) + ": RSA 2048 bits (expected: EC P-256, or RSA"
                            + " of at least 3072 bits)");
        });
    }

    @Test
    void refusesAnEnvelopeSealedForAnotherRecipient() {
        byte[] envelope = sealer.seal(BODY, police.certificate(), EnvelopeFormat.AES_256_GCM);

        assertOpenRefused(
                envelope,
                association,
                gateway.certificate(),
                ErrorCode.ENVELOPE_INVALID,
                "no recipient in this envelope matches certificate " + Fingerprints.sha256(association.certificate())
                        + " (the envelope has 1 recipient(s))");
    }

    @Test
    void refusesAnEnvelopeWithOneFlippedCiphertextByte() {
        byte[] envelope = sealer.seal(BODY, police.certificate(), EnvelopeFormat.AES_256_GCM);
        byte[] ciphertext = AuthEnvelopedData.getInstance(
                        ContentInfo.getInstance(envelope).getContent())
                .getAuthEncryptedContentInfo()
                .getEncryptedContent()
                .getOctets();
        byte[] tampered = CmsFixtures.flipInside(envelope, ciphertext);

        assertOpenRefused(
                tampered,
                police,
                gateway.certificate(),
                ErrorCode.ENVELOPE_INVALID,
                "the envelope failed authentication: it was changed after sealing, or the key is not certificate "
                        + Fingerprints.sha256(police.certificate()) + "'s");
    }

    @ParameterizedTest
    @EnumSource(value = EnvelopeFormat.class, names = "COMPATIBLE", mode = EnumSource.Mode.EXCLUDE)
    void refusesAnEnvelopeWhoseSignedContentWasChangedBeforeSealing(EnvelopeFormat format) {
        byte[] tamperedSignedData = CmsFixtures.flipInside(sealer.sign(BODY), BODY);
        byte[] envelope = sealer.envelope(tamperedSignedData, police.certificate(), format);

        assertOpenRefused(
                envelope,
                police,
                gateway.certificate(),
                ErrorCode.SIGNATURE_INVALID,
                "the signature of the sealed content does not verify: the signed content or attributes were changed");
    }

    @Test
    void refusesContentSignedByAnotherThanTheTrustedSigner() {
        byte[] envelope =
                new CmsSealer(association, CLOCK).seal(BODY, police.certificate(), EnvelopeFormat.AES_256_GCM);

        assertOpenRefused(
                envelope,
                police,
                gateway.certificate(),
                ErrorCode.SIGNATURE_INVALID,
                "the sealed content is signed by the certificate with SHA-256 fingerprint "
                        + Fingerprints.sha256(association.certificate()) + ", not by the trusted signer's certificate "
                        + Fingerprints.sha256(gateway.certificate()));
    }

    @Test
    void refusesContentSignedWhenTheSignerHadExpired() {
        CertifiedKey expired = CmsFixtures.ec("gateway", NOW.minus(Duration.ofDays(30)), NOW.minus(Duration.ofDays(1)));
        byte[] envelope = new CmsSealer(expired, CLOCK).seal(BODY, police.certificate(), EnvelopeFormat.AES_256_GCM);

        assertOpenRefused(
                envelope,
                police,
                expired.certificate(),
                ErrorCode.SIGNATURE_INVALID,
                "the sealed content is signed by the trusted signer's certificate, which is not valid at the signing"
                        + " time " + NOW + " (expected: valid from " + NOW.minus(Duration.ofDays(30)) + " to "
                        + NOW.minus(Duration.ofDays(1)) + ")");
    }

    @Test
    void refusesBytesThatAreNotAnEnvelope() {
        byte[] garbage = "not an envelope".getBytes(StandardCharsets.US_ASCII);

        assertOpenRefused(
                garbage,
                police,
                gateway.certificate(),
                ErrorCode.ENVELOPE_INVALID,
                "the envelope is not a CMS AuthEnvelopedData or EnvelopedData (expected: DER, as the gateway seals)");
    }

    @Test
    void showsNoContentInTheOpenedRecord() {
        CmsOpener.Opened opened = CmsOpener.open(
                sealer.seal(BODY, police.certificate(), EnvelopeFormat.AES_256_GCM), police, gateway.certificate());

        assertThat(opened.toString())
                .isEqualTo("Opened[" + BODY.length + " bytes, signed " + NOW + " by "
                        + Fingerprints.sha256(gateway.certificate()) + "]");
    }

    private static void assertOpenRefused(
            byte[] envelope, CertifiedKey recipient, X509Certificate trustedSigner, ErrorCode code, String message) {
        assertThatThrownBy(() -> CmsOpener.open(envelope, recipient, trustedSigner))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }
}
