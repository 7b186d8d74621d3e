package fr.passerelle.core.crypto;

import static fr.passerelle.core.crypto.CmsFixtures.BODY;
import static fr.passerelle.core.crypto.CmsFixtures.CLOCK;
import static fr.passerelle.core.crypto.CmsFixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.partner.PartnerId;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A partner's signed submission is accepted with its pinned certificate alone, and refused with a clear cause. */
class SignedSubmissionsTest {
    private static final PartnerId POLICE = PartnerId.of("police-75-brp");
    private static final PartnerId ASSOCIATION = PartnerId.of("association-75-abri");

    @TempDir
    static Path pkiDir;

    private static CertifiedKey police;
    private static CertifiedKey association;

    @BeforeAll
    static void makeKeys() {
        PkiResult pki = DevelopmentPki.init(pkiDir, List.of(POLICE, ASSOCIATION), List.of(), CLOCK, false);
        police = PemFiles.readCertifiedKey(pki.partnerCertificate(POLICE), pki.partnerKey(POLICE));
        association = PemFiles.readCertifiedKey(pki.partnerCertificate(ASSOCIATION), pki.partnerKey(ASSOCIATION));
    }

    @Test
    void acceptsASubmissionSignedWithThePinnedCertificateAndKeepsTheBytesAsEvidence() {
        byte[] body = new CmsSealer(police, CLOCK).sign(BODY);

        SignedSubmissions.Verified verified = SignedSubmissions.verify(body, POLICE, police.certificate(), CLOCK);

        assertThat(verified.content()).isEqualTo(BODY);
        assertThat(verified.signingTime()).contains(NOW);
        assertThat(verified.evidence()).isEqualTo(body);
        assertThat(verified.toString())
                .isEqualTo(
                        "Verified[" + BODY.length + " bytes, signed " + NOW + ", evidence " + body.length + " bytes]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CMS", "PKCS7"})
    void acceptsAPemSubmission(String type) throws Exception {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(new PemObject(type, new CmsSealer(police, CLOCK).sign(BODY)));
        }

        SignedSubmissions.Verified verified = SignedSubmissions.verify(
                text.toString().getBytes(StandardCharsets.US_ASCII), POLICE, police.certificate(), CLOCK);

        assertThat(verified.content()).isEqualTo(BODY);
    }

    @Test
    void acceptsAnSmimeSubmission() {
        String smime = "MIME-Version: 1.0\r\nContent-Disposition: attachment; filename=\"smime.p7m\"\r\n"
                + "Content-Type: application/pkcs7-mime; smime-type=signed-data; name=\"smime.p7m\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(new CmsSealer(police, CLOCK).sign(BODY)) + "\r\n\r\n";

        SignedSubmissions.Verified verified = SignedSubmissions.verify(
                smime.getBytes(StandardCharsets.US_ASCII), POLICE, police.certificate(), CLOCK);

        assertThat(verified.content()).isEqualTo(BODY);
    }

    @Test
    void refusesASubmissionSignedByAnotherPartner() {
        byte[] body = new CmsSealer(association, CLOCK).sign(BODY);

        assertRefused(
                body,
                police,
                CLOCK,
                "police-75-brp's submission is signed by the certificate with SHA-256"
                        + " fingerprint " + Fingerprints.sha256(association.certificate()) + ", not by police-75-brp's"
                        + " pinned certificate " + Fingerprints.sha256(police.certificate()));
    }

    @Test
    void refusesASubmissionWhoseContentWasChanged() {
        byte[] body = CmsFixtures.flipInside(new CmsSealer(police, CLOCK).sign(BODY), BODY);

        assertRefused(
                body,
                police,
                CLOCK,
                "the signature of police-75-brp's submission does not verify: the signed"
                        + " content or attributes were changed");
    }

    @Test
    void refusesASubmissionWhoseSignatureValueWasChanged() throws Exception {
        byte[] signed = new CmsSealer(police, CLOCK).sign(BODY);
        byte[] signature = new CMSSignedData(signed)
                .getSignerInfos()
                .getSigners()
                .iterator()
                .next()
                .getSignature();
        byte[] body = CmsFixtures.flipInside(signed, signature);

        assertRefused(
                body,
                police,
                CLOCK,
                "the signature of police-75-brp's submission does not verify: the signed"
                        + " content or attributes were changed");
    }

    @Test
    void refusesASubmissionWhoseCertificateHasExpiredSinceSigning() {
        Instant notBefore = NOW.minus(Duration.ofDays(30));
        Instant notAfter = NOW.minus(Duration.ofDays(1));
        CertifiedKey expired = CmsFixtures.ec("police-75-brp", notBefore, notAfter);
        Clock whileValid = Clock.fixed(NOW.minus(Duration.ofDays(2)), ZoneOffset.UTC);
        byte[] body = new CmsSealer(expired, whileValid).sign(BODY);

        assertRefused(
                body,
                expired,
                CLOCK,
                "police-75-brp's submission is signed by police-75-brp's pinned"
                        + " certificate, which is not valid at the current time " + NOW + " (expected: valid from "
                        + notBefore + " to " + notAfter + ")");
    }

    @Test
    void refusesASubmissionSignedBeforeTheCertificateWasValid() {
        Instant notBefore = NOW.minus(Duration.ofDays(1));
        Instant notAfter = NOW.plus(Duration.ofDays(30));
        CertifiedKey fresh = CmsFixtures.ec("police-75-brp", notBefore, notAfter);
        Instant signedAt = NOW.minus(Duration.ofDays(2));
        byte[] body = new CmsSealer(fresh, Clock.fixed(signedAt, ZoneOffset.UTC)).sign(BODY);

        assertRefused(
                body,
                fresh,
                CLOCK,
                "police-75-brp's submission is signed by police-75-brp's pinned"
                        + " certificate, which is not valid at the signing time " + signedAt + " (expected: valid from "
                        + notBefore + " to " + notAfter + ")");
    }

    @Test
    void refusesADetachedSignature() {
        byte[] body = CmsFixtures.signedData(BODY, false, police);

        assertRefused(
                body,
                police,
                CLOCK,
                "police-75-brp's submission is a detached signature: the SignedData holds"
                        + " no content (expected: the content inside the SignedData; sign with `openssl cms -sign"
                        + " -nodetach`)");
    }

    @Test
    void refusesASubmissionWithTwoSigners() {
        byte[] body = CmsFixtures.signedData(BODY, true, police, association);

        assertRefused(
                body,
                police,
                CLOCK,
                "police-75-brp's submission has 2 signers (expected: exactly one, by"
                        + " police-75-brp's pinned certificate)");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"type\":\"shelter-request\"}",
                "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                "MIME-Version: 1.0\nContent-Type: text/plain\n\nhello\n",
                ""
            })
    void refusesABodyThatIsNotASignedData(String text) {
        assertRefused(
                text.getBytes(StandardCharsets.UTF_8),
                police,
                CLOCK,
                "the body of police-75-brp's submission is"
                        + " not a CMS SignedData (expected: DER or PEM, as `openssl cms -sign -nodetach` writes)");
    }

    @Test
    void refusesAnEnvelopeSentInsteadOfASignedData() {
        byte[] envelope =
                new CmsSealer(association, CLOCK).seal(BODY, police.certificate(), EnvelopeFormat.AES_256_GCM);

        assertRefused(
                envelope,
                police,
                CLOCK,
                "the body of police-75-brp's submission is not a CMS SignedData"
                        + " (expected: DER or PEM, as `openssl cms -sign -nodetach` writes)");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "application/pkcs7-mime",
                "application/pkcs7-mime; smime-type=signed-data",
                "Application/CMS",
                "application/x-pkcs7-mime"
            })
    void recognisesTheSignedMediaTypes(String mediaType) {
        assertThat(SignedSubmissions.isSigned(mediaType)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/xml", "application/pkcs7-signature", ""})
    void treatsOtherMediaTypesAsUnsigned(String mediaType) {
        assertThat(SignedSubmissions.isSigned(mediaType)).isFalse();
        assertThat(SignedSubmissions.isSigned(null)).isFalse();
    }

    private static void assertRefused(byte[] body, CertifiedKey pinned, Clock clock, String message) {
        assertThatThrownBy(() -> SignedSubmissions.verify(body, POLICE, pinned.certificate(), clock))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SIGNATURE_INVALID);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }
}
