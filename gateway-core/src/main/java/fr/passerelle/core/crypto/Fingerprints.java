package fr.passerelle.core.crypto;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * Certificate fingerprints in the form the partner registry pins and OpenSSL prints
 * ({@code openssl x509 -noout -fingerprint -sha256}): the SHA-256 of the DER encoding, as upper-case hex pairs
 * joined by colons, 95 characters.
 */
public final class Fingerprints {
    private static final HexFormat HEX = HexFormat.ofDelimiter(":").withUpperCase();

    private Fingerprints() {}

    /**
     * @return the SHA-256 fingerprint of {@code cert}, for instance {@code 3F:A0:…:9A}
     * @throws GatewayException {@code PKI_FAILED} if the certificate cannot be encoded
     */
    public static String sha256(X509Certificate cert) {
        try {
            return HEX.formatHex(Sha256.digest(cert.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new GatewayException(
                    ErrorCode.PKI_FAILED,
                    "certificate " + cert.getSubjectX500Principal().getName() + " cannot be encoded (expected: DER)",
                    e);
        }
    }
}
