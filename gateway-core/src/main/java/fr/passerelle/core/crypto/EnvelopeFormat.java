package fr.passerelle.core.crypto;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;

/**
 * How a referral is encrypted for its recipient. AES-256-GCM in CMS AuthEnvelopedData (RFC 5083, RFC 5084) is
 * the default: it authenticates the ciphertext, so a changed byte is detected before anything is parsed.
 * AES-256-CBC in EnvelopedData exists only for recipients whose tools cannot read AuthEnvelopedData; the
 * gateway's signature inside still proves integrity, but only after decryption.
 */
public enum EnvelopeFormat {
    AES_256_GCM("aes-256-gcm"),
    AES_256_CBC("aes-256-cbc");

    private final String code;

    EnvelopeFormat(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static EnvelopeFormat fromCode(String code) {
        for (EnvelopeFormat format : values()) {
            if (format.code.equals(code)) {
                return format;
            }
        }
        throw new GatewayException(
                ErrorCode.CONFIG_INVALID,
                "envelope '" + code
                        + "' is unknown (expected: aes-256-gcm, or aes-256-cbc for tools without AuthEnvelopedData)");
    }

    @Override
    public String toString() {
        return code;
    }
}
