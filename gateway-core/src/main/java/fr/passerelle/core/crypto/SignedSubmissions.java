package fr.passerelle.core.crypto;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.partner.PartnerId;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.util.encoders.DecoderException;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Submissions that a partner signs: an attached CMS SignedData around the body, as {@code openssl cms -sign
 * -nodetach} writes it, checked against the partner's pinned certificate. Stateless and thread-safe.
 */
public final class SignedSubmissions {
    /** The media type of a signed submission; {@code application/cms} (RFC 7193) is accepted too. */
    public static final String MEDIA_TYPE = "application/pkcs7-mime";

    private static final Set<String> MEDIA_TYPES = Set.of(MEDIA_TYPE, "application/x-pkcs7-mime", "application/cms");
    private static final Set<String> PEM_TYPES = Set.of("CMS", "PKCS7");

    private SignedSubmissions() {}

    /**
     * The signed content of a verified submission, its signing time if the signer put one, and the bytes exactly
     * as received, to keep as evidence. {@link #toString()} never shows the content.
     */
    public record Verified(byte[] content, Optional<Instant> signingTime, byte[] evidence) {
        public Verified {
            Objects.requireNonNull(content, "content");
            Objects.requireNonNull(signingTime, "signingTime");
            Objects.requireNonNull(evidence, "evidence");
        }

        @Override
        public String toString() {
            return "Verified[" + content.length + " bytes, signed "
                    + signingTime.map(Instant::toString).orElse("at no stated time") + ", evidence " + evidence.length
                    + " bytes]";
        }
    }

    /**
     * Whether a request's {@code Content-Type} announces a signed submission: {@value #MEDIA_TYPE},
     * {@code application/x-pkcs7-mime} or {@code application/cms}, whatever the parameters and case.
     *
     * @param mediaType the header value; {@code null} when the request has none
     */
    public static boolean isSigned(String mediaType) {
        if (mediaType == null) {
            return false;
        }
        int parameters = mediaType.indexOf(';');
        String type = (parameters < 0 ? mediaType : mediaType.substring(0, parameters)).trim();
        return MEDIA_TYPES.contains(type.toLowerCase(Locale.ROOT));
    }

    /**
     * Verifies an attached CMS SignedData, in DER, PEM ({@code BEGIN CMS} or {@code BEGIN PKCS7}) or S/MIME
     * ({@code openssl cms -sign -outform DER, PEM or SMIME}), against the partner's pinned certificate: exactly
     * one signer, that certificate, valid at the signing time (when stated) and now, and a signature that
     * verifies over the content and the signed attributes. No chain is built: the pin is the trust.
     *
     * @param body    the request body as received
     * @param partner the authenticated partner, for messages
     * @param pinned  the partner's pinned certificate
     * @param clock   gives "now" for the validity check
     * @throws GatewayException {@code SIGNATURE_INVALID} naming the partner and the cause, for every refusal
     */
    public static Verified verify(byte[] body, PartnerId partner, X509Certificate pinned, Clock clock) {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(partner, "partner");
        Objects.requireNonNull(pinned, "pinned");
        Objects.requireNonNull(clock, "clock");
        CMSSignedData signed;
        try {
            signed = CmsStructures.signedData(der(body));
        } catch (IllegalArgumentException e) {
            throw new GatewayException(
                    ErrorCode.SIGNATURE_INVALID,
                    "the body of " + partner
                            + "'s submission is not a CMS SignedData (expected: DER or PEM, as `openssl cms -sign"
                            + " -nodetach` writes)",
                    e);
        }
        SignerCheck.Checked checked = new SignerCheck(partner + "'s submission", partner + "'s pinned certificate")
                .check(signed, pinned, Optional.of(clock.instant()));
        return new Verified(checked.content(), checked.signingTime(), body.clone());
    }

    /** The DER inside a PEM or S/MIME body, or the body itself. */
    private static byte[] der(byte[] body) {
        String text = leadingText(body);
        if (text.startsWith("-----BEGIN ")) {
            return pem(new String(body, StandardCharsets.ISO_8859_1));
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("mime-version:") || lower.startsWith("content-")) {
            return smime(new String(body, StandardCharsets.ISO_8859_1));
        }
        return body;
    }

    private static String leadingText(byte[] body) {
        int start = 0;
        while (start < body.length && Character.isWhitespace(body[start])) {
            start++;
        }
        return new String(body, start, Math.min(32, body.length - start), StandardCharsets.ISO_8859_1);
    }

    private static byte[] pem(String text) {
        try (PemReader reader = new PemReader(new StringReader(text))) {
            PemObject object = reader.readPemObject();
            if (object == null || !PEM_TYPES.contains(object.getType())) {
                throw new IllegalArgumentException("PEM block of another type");
            }
            return object.getContent();
        } catch (IOException | DecoderException e) {
            // Bouncy Castle reports bad base64 inside a PEM block with an unchecked DecoderException.
            throw new IllegalArgumentException("unreadable PEM", e);
        }
    }

    /** The base64 body of an {@code application/pkcs7-mime} S/MIME entity, as {@code -outform SMIME} writes. */
    private static byte[] smime(String text) {
        String normalised = text.replace("\r\n", "\n");
        int end = normalised.indexOf("\n\n");
        if (end < 0) {
            throw new IllegalArgumentException("no end of MIME headers");
        }
        String headers = normalised.substring(0, end).toLowerCase(Locale.ROOT);
        if (!headers.contains("pkcs7-mime") || !headers.contains("content-transfer-encoding: base64")) {
            throw new IllegalArgumentException("not a base64 application/pkcs7-mime entity");
        }
        return Base64.getMimeDecoder().decode(normalised.substring(end + 2).trim());
    }
}
