package fr.passerelle.core.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;

/**
 * Builds the S/MIME (RFC 8551) entity that secure mail carries: the rendered referral, signed by the gateway,
 * then encrypted for the recipient, both with {@link CmsSealer}'s profiles.
 *
 * <p>Three nested entities, each with its own headers, CRLF line ends:
 * <ol>
 *   <li>the inner entity: the outbound adapter's bytes as they are when their media type is {@code multipart/*}
 *       (a whole MIME entity, headers included), otherwise one base64 body part of that media type;</li>
 *   <li>an opaque-signed entity, {@code application/pkcs7-mime; smime-type=signed-data}, whose body is the
 *       base64 of an attached CMS SignedData over the inner entity in canonical form;</li>
 *   <li>the encrypted entity, {@code application/pkcs7-mime; smime-type=authEnveloped-data} (AES-256-GCM,
 *       RFC 5083) or {@code smime-type=enveloped-data} (AES-256-CBC), whose body is the base64 of the CMS
 *       envelope around the signed entity.</li>
 * </ol>
 * The result is the encrypted entity: the mail transport puts it under the message's own headers (From, To,
 * Subject, ...), and any S/MIME client or {@code openssl cms -decrypt} then {@code openssl cms -verify} opens it.
 * Signing before encrypting means the gateway's signature covers what the recipient reads and is hidden from
 * anyone on the way.
 *
 * <p>Thread-safe, as {@link CmsSealer} is.
 */
public final class SmimeSealer {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final Base64.Encoder BASE64 = Base64.getMimeEncoder(76, CRLF);
    private static final String SIGNED_TYPE = "application/pkcs7-mime; smime-type=signed-data; name=smime.p7m";

    private final CmsSealer sealer;

    /** @param sealer signs with the gateway's key and encrypts; its clock gives the signing time */
    public SmimeSealer(CmsSealer sealer) {
        this.sealer = Objects.requireNonNull(sealer, "sealer");
    }

    /**
     * The {@code Content-Type} of what {@link #seal} returns for {@code format}, parameters included.
     */
    public static String mediaType(EnvelopeFormat format) {
        Objects.requireNonNull(format, "format");
        return switch (format) {
            case AES_256_GCM -> "application/pkcs7-mime; smime-type=authEnveloped-data; name=smime.p7m";
            case AES_256_CBC, COMPATIBLE -> "application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m";
        };
    }

    /**
     * Signs {@code content} and encrypts it for {@code recipient}.
     *
     * @param content   what the outbound adapter rendered; for a {@code multipart/*} media type a whole MIME
     *                  entity with its headers, whose bare LF line ends are made CRLF before signing (RFC 8551
     *                  section 3.1.1: a signature covers the canonical form)
     * @param mediaType the adapter's media type, such as {@code multipart/mixed} or {@code application/json};
     *                  parameters allowed for non-multipart types (they are copied into the body part's header)
     * @param recipient the certificate of the association the mail goes to: RSA (RSAES-OAEP) or EC (ECDH)
     * @param format    AES-256-GCM AuthEnvelopedData, or AES-256-CBC EnvelopedData for older clients
     * @return the encrypted S/MIME entity, headers then body, CRLF line ends, US-ASCII only
     * @throws IllegalArgumentException if {@code mediaType} is blank or holds a line break
     * @throws fr.passerelle.core.GatewayException as {@link CmsSealer#sign} and {@link CmsSealer#encrypt} do
     */
    public byte[] seal(byte[] content, String mediaType, X509Certificate recipient, EnvelopeFormat format) {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(format, "format");
        if (mediaType.isBlank() || mediaType.indexOf('\r') >= 0 || mediaType.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("media type is blank or holds a line break (expected: a media type"
                    + " such as multipart/mixed or application/json)");
        }
        byte[] inner = mediaType.trim().toLowerCase(Locale.ROOT).startsWith("multipart/")
                ? canonical(content)
                : entity(mediaType.trim(), null, content);
        byte[] signed = entity(SIGNED_TYPE, "attachment; filename=smime.p7m", sealer.sign(inner));
        return entity(mediaType(format), "attachment; filename=smime.p7m", sealer.encrypt(signed, recipient, format));
    }

    /** A base64 body part: its headers, a blank line, the body in lines of 76 characters. */
    private static byte[] entity(String contentType, String disposition, byte[] body) {
        StringBuilder headers = new StringBuilder(256)
                .append("Content-Type: ")
                .append(contentType)
                .append("\r\n")
                .append("Content-Transfer-Encoding: base64\r\n");
        if (disposition != null) {
            headers.append("Content-Disposition: ").append(disposition).append("\r\n");
        }
        headers.append("\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(headers.length() + body.length * 4 / 3 + 64);
        out.writeBytes(headers.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(BASE64.encode(body));
        out.writeBytes(CRLF);
        return out.toByteArray();
    }

    /** Turns every bare LF (and bare CR) into CRLF, leaving CRLF pairs as they are. */
    static byte[] canonical(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 64);
        for (int i = 0; i < content.length; i++) {
            byte b = content[i];
            if (b == '\r') {
                out.writeBytes(CRLF);
                if (i + 1 < content.length && content[i + 1] == '\n') {
                    i++;
                }
            } else if (b == '\n') {
                out.writeBytes(CRLF);
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }
}
