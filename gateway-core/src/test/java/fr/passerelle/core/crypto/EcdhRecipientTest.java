package fr.passerelle.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.testkit.Certificates;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.RecipientInfoGenerator;
import org.bouncycastle.cms.jcajce.JceKeyAgreeRecipientInfoGenerator;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.operator.jcajce.JceGenericKey;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The kept-point ECDH writes, for the same ephemeral key and content key, what Bouncy Castle's generator writes. */
class EcdhRecipientTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @ParameterizedTest
    @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
    void writesTheSameRecipientInfoAsBouncyCastleEnvelopeAfterEnvelope(String curveName) throws Exception {
        X509Certificate recipient = Certificates.certificate("CN=recipient,O=Passerelle tests")
                .keys(Certificates.ec(curveName))
                .certifiedKey()
                .certificate();
        ECNamedCurveParameterSpec curve = ECNamedCurveTable.getParameterSpec(curveName);
        EcdhRecipient kept = EcdhRecipient.of(recipient, curve).orElseThrow();

        // The second and third envelopes run on the table that the first one built.
        for (int envelope = 0; envelope < 3; envelope++) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", BouncyCastle.PROVIDER);
            generator.initialize(curve, RANDOM);
            KeyPair ephemeral = generator.generateKeyPair();
            byte[] contentKey = new byte[32];
            RANDOM.nextBytes(contentKey);
            RecipientInfoGenerator reference = new JceKeyAgreeRecipientInfoGenerator(
                            CMSAlgorithm.ECDH_SHA256KDF,
                            ephemeral.getPrivate(),
                            ephemeral.getPublic(),
                            CMSAlgorithm.AES256_WRAP)
                    .addRecipient(recipient)
                    .setProvider(BouncyCastle.PROVIDER);

            byte[] ours = encoded(kept.infoGenerator(ephemeral), contentKey);

            assertThat(ours).isEqualTo(encoded(reference, contentKey));
        }
    }

    private static byte[] encoded(RecipientInfoGenerator generator, byte[] contentKey) throws Exception {
        return generator
                .generate(new JceGenericKey(
                        new AlgorithmIdentifier(CMSAlgorithm.AES256_GCM), new SecretKeySpec(contentKey, "AES")))
                .getEncoded(ASN1Encoding.DER);
    }
}
