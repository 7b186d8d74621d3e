package fr.passerelle.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.cms.CMSEnvelopedData;
import org.bouncycastle.cms.KeyTransRecipientInformation;
import org.bouncycastle.cms.RecipientInformation;
import org.bouncycastle.cms.jcajce.JceKeyAgreeEnvelopedRecipient;
import org.bouncycastle.cms.jcajce.JceKeyTransEnvelopedRecipient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S/MIME entity, taken apart by hand: headers, base64 bodies, the CMS envelope and the SignedData inside.
 * The adapters' mail tests open the same entity with bcjmail and openssl.
 */
class SmimeSealerTest {
    private static final byte[] JSON = "{\"type\":\"victim.orientation\"}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path pkiDir;

    private static SmimeSealer sealer;
    private static X509Certificate gatewaySigner;
    private static CertifiedKey partner;

    @BeforeAll
    static void makePki() {
        PkiResult pki = TestPki.create(pkiDir);
        CertifiedKey signing = PemFiles.readCertifiedKey(pki.gatewaySigningCertificate(), pki.gatewaySigningKey());
        gatewaySigner = signing.certificate();
        sealer = new SmimeSealer(new CmsSealer(signing, CmsFixtures.CLOCK));
        partner = PemFiles.readCertifiedKey(pki.partnerCertificate(TestPki.POLICE), pki.partnerKey(TestPki.POLICE));
    }

    @Test
    void wrapsAContentThatIsNoMultipartInOneBase64BodyPartThenSignsAndEncryptsIt() throws Exception {
        byte[] entity = sealer.seal(JSON, "application/json", partner.certificate(), EnvelopeFormat.AES_256_GCM);

        Part outer = Part.of(entity);
        assertThat(outer.headers())
                .isEqualTo(
                        """
                Content-Type: application/pkcs7-mime; smime-type=authEnveloped-data; name=smime.p7m\r
                Content-Transfer-Encoding: base64\r
                Content-Disposition: attachment; filename=smime.p7m\r
                """);
        Part signed = Part.of(decrypt(outer.decoded(), partner));
        assertThat(signed.headers())
                .isEqualTo(
                        """
                Content-Type: application/pkcs7-mime; smime-type=signed-data; name=smime.p7m\r
                Content-Transfer-Encoding: base64\r
                Content-Disposition: attachment; filename=smime.p7m\r
                """);
        CmsOpener.Opened opened = CmsOpener.verifySigned(signed.decoded(), gatewaySigner);
        Part inner = Part.of(opened.content());
        assertThat(inner.headers())
                .isEqualTo("Content-Type: application/json\r\nContent-Transfer-Encoding: base64\r\n");
        assertThat(inner.decoded()).isEqualTo(JSON);
        assertThat(opened.signingTime()).isEqualTo(CmsFixtures.NOW);
    }

    @Test
    void signsAMultipartEntityAsItIsAfterMakingItsLineEndsCrlf() throws Exception {
        String multipart =
                "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\r\nContent-Type: text/plain\n\nbonjour\n--b--\n";

        byte[] entity = sealer.seal(
                multipart.getBytes(StandardCharsets.US_ASCII),
                "multipart/mixed",
                partner.certificate(),
                EnvelopeFormat.AES_256_GCM);

        Part signed = Part.of(decrypt(Part.of(entity).decoded(), partner));
        byte[] inner = CmsOpener.verifySigned(signed.decoded(), gatewaySigner).content();
        assertThat(new String(inner, StandardCharsets.US_ASCII))
                .isEqualTo(
                        "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nbonjour\r\n--b--\r\n");
    }

    @Test
    void usesEnvelopedDataForCbcAndKeyTransportForAnRsaRecipient() throws Exception {
        CertifiedKey rsa = CmsFixtures.rsa(
                3072,
                "association-75-amarante",
                CmsFixtures.NOW.minus(Duration.ofDays(1)),
                CmsFixtures.NOW.plus(Duration.ofDays(1)));

        byte[] entity = sealer.seal(JSON, "application/json", rsa.certificate(), EnvelopeFormat.AES_256_CBC);

        Part outer = Part.of(entity);
        assertThat(outer.headers())
                .startsWith("Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n");
        CMSEnvelopedData enveloped = new CMSEnvelopedData(outer.decoded());
        assertThat(enveloped.getRecipientInfos().getRecipients())
                .singleElement()
                .isInstanceOf(KeyTransRecipientInformation.class);
        Part signed = Part.of(decrypt(outer.decoded(), rsa));
        assertThat(Part.of(CmsOpener.verifySigned(signed.decoded(), gatewaySigner)
                                .content())
                        .decoded())
                .isEqualTo(JSON);
    }

    @Test
    void writesBase64InLinesOf76CharactersEndedByCrlf() {
        byte[] big = new byte[5000];

        byte[] entity = sealer.seal(big, "application/octet-stream", partner.certificate(), EnvelopeFormat.AES_256_GCM);

        String body = Part.of(entity).body();
        assertThat(body).endsWith("\r\n");
        for (String line : body.substring(0, body.length() - 2).split("\r\n", -1)) {
            assertThat(line.length()).isBetween(1, 76);
        }
        assertThat(new String(entity, StandardCharsets.US_ASCII).replace("\r\n", ""))
                .doesNotContain("\n", "\r");
    }

    @Test
    void namesTheMediaTypeOfEachEnvelopeFormat() {
        assertThat(SmimeSealer.mediaType(EnvelopeFormat.AES_256_GCM))
                .isEqualTo("application/pkcs7-mime; smime-type=authEnveloped-data; name=smime.p7m");
        assertThat(SmimeSealer.mediaType(EnvelopeFormat.AES_256_CBC))
                .isEqualTo("application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m");
    }

    @Test
    void refusesAMediaTypeThatWouldInjectAHeader() {
        assertThatThrownBy(() -> sealer.seal(
                        JSON,
                        "application/json\r\nBcc: x@example.invalid",
                        partner.certificate(),
                        EnvelopeFormat.AES_256_GCM))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("media type is blank or holds a line break (expected: a media type such as"
                        + " multipart/mixed or application/json)");
    }

    private static byte[] decrypt(byte[] envelope, CertifiedKey recipient) throws Exception {
        boolean authenticated = CMSObjectIdentifiers.authEnvelopedData.equals(
                ContentInfo.getInstance(envelope).getContentType());
        RecipientInformation info = (authenticated
                        ? new CMSAuthEnvelopedData(envelope).getRecipientInfos()
                        : new CMSEnvelopedData(envelope).getRecipientInfos())
                .getRecipients()
                .iterator()
                .next();
        return info instanceof KeyTransRecipientInformation
                ? info.getContent(new JceKeyTransEnvelopedRecipient(recipient.key()).setProvider(BouncyCastle.PROVIDER))
                : info.getContent(
                        new JceKeyAgreeEnvelopedRecipient(recipient.key()).setProvider(BouncyCastle.PROVIDER));
    }

    /** A MIME entity cut at its first blank line. */
    private record Part(String headers, String body) {
        static Part of(byte[] entity) {
            String text = new String(entity, StandardCharsets.US_ASCII);
            int blank = text.indexOf("\r\n\r\n");
            assertThat(blank).as("blank line after the headers").isPositive();
            return new Part(text.substring(0, blank + 2), text.substring(blank + 4));
        }

        byte[] decoded() {
            return Base64.getMimeDecoder().decode(body);
        }
    }
}
