package fr.passerelle.core.crypto;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;

/**
 * How a referral is encrypted for its recipient. AES-256-GCM in CMS AuthEnvelopedData (RFC 5083, RFC 5084), the
 * {@code modern} profile, is the default: it authenticates the ciphertext, so a changed byte is detected before
 * anything is parsed; the content key reaches an EC key by ECDH, an RSA key by RSA-OAEP. AES-256-CBC in
 * EnvelopedData exists for recipients whose tools cannot read AuthEnvelopedData; the gateway's signature inside
 * still proves integrity, but only after decryption. {@code compatible} is that envelope with the content key
 * under RSA PKCS#1 v1.5 (RFC 8551's floor): the only envelope that every common mail client opens (NSS, and so
 * Thunderbird, opens no other; docs/MAIL.md), hence the default of a mail partner with an RSA certificate.
 */
public enum EnvelopeFormat {
    AES_256_GCM("aes-256-gcm"),
    AES_256_CBC("aes-256-cbc"),
    COMPATIBLE("compatible");

    /** The other name of {@link #AES_256_GCM}, as the mail profiles go: modern or compatible. */
    public static final String MODERN = "modern";

    private final String code;

    EnvelopeFormat(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** Whether it is AuthEnvelopedData (GCM), rather than EnvelopedData (CBC). */
    public boolean authenticated() {
        return this == AES_256_GCM;
    }

    public static EnvelopeFormat fromCode(String code) {
        if (MODERN.equals(code)) {
            return AES_256_GCM;
        }
        for (EnvelopeFormat format : values()) {
            if (format.code.equals(code)) {
                return format;
            }
        }
        throw new GatewayException(
                ErrorCode.CONFIG_INVALID,
                "envelope '" + code + "' is unknown (expected: aes-256-gcm or modern, compatible for the mail clients"
                        + " that open only RSA and CBC, or aes-256-cbc for tools without AuthEnvelopedData)");
    }

    @Override
    public String toString() {
        return code;
    }
}
