package fr.passerelle.core.input;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 (RFC 3629): overlong forms ({@code C0 AF} for "/"), encoded surrogates ({@code ED A0 80}), code
 * points above U+10FFFF ({@code F4 90 80 80}) and truncated or stray bytes are refused, never replaced. The JDK's
 * decoder already refuses all of them when told to report rather than replace; parsers that decode UTF-8
 * themselves (Jackson's byte parser accepts overlong forms) get the bytes only after this check. Thread-safe.
 */
public final class Utf8 {
    static final String EXPECTED = "UTF-8 without overlong forms, encoded surrogates or code points above U+10FFFF";

    private Utf8() {}

    /**
     * @param code what to refuse with: {@code json_malformed} for a JSON body, {@code format_invalid} for XML
     * @param what names the body in the message: {@code the request body}, {@code the police-xml document}
     * @throws GatewayException {@code code}, naming the byte offset of the first bad sequence and its kind, never
     *                          the bytes themselves
     */
    public static void check(byte[] bytes, ErrorCode code, String what) {
        decode(bytes, code, what);
    }

    /** As {@link #check}, returning the text. */
    public static String decode(byte[] bytes, ErrorCode code, String what) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position();
            throw new GatewayException(
                    code,
                    what + " is not valid UTF-8 at byte offset " + offset + ": " + kind(bytes, offset) + " (expected: "
                            + EXPECTED + ")");
        }
        return out.flip().toString();
    }

    /** What is wrong with the sequence at {@code offset}, judged from its first two bytes. */
    static String kind(byte[] bytes, int offset) {
        int lead = offset < bytes.length ? bytes[offset] & 0xff : -1;
        int next = offset + 1 < bytes.length ? bytes[offset + 1] & 0xff : -1;
        if (lead == 0xc0
                || lead == 0xc1
                || lead == 0xe0 && next >= 0x80 && next < 0xa0
                || lead == 0xf0 && next >= 0x80 && next < 0x90) {
            return "an overlong form";
        }
        if (lead == 0xed && next >= 0xa0 && next <= 0xbf) {
            return "an encoded surrogate";
        }
        if (lead >= 0xf8) {
            return "a byte that never occurs in UTF-8";
        }
        if (lead == 0xf4 && next >= 0x90 || lead >= 0xf5) {
            return "a code point above U+10FFFF";
        }
        if (lead >= 0x80 && lead < 0xc0) {
            return "a continuation byte with no lead byte";
        }
        return "a truncated sequence";
    }
}
