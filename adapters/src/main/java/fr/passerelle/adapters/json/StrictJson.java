package fr.passerelle.adapters.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.input.JsonValues;
import fr.passerelle.core.input.Utf8;
import java.io.IOException;
import java.util.Locale;

/**
 * Parses and writes the JSON formats (canonical-json, siao-json). Strict on input: bytes that are not strict
 * UTF-8, duplicate keys, trailing tokens, deep nesting, huge numbers and numbers out of the range of a double are
 * refused, so that what the gateway checks is what the partner meant.
 */
public final class StrictJson {
    public static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        JSON.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(32)
                        .maxNumberLength(32)
                        .maxStringLength(100_000)
                        .build());
    }

    private StrictJson() {}

    /**
     * @param expected what the body should be, for messages: {@code a siao-json document}
     * @throws GatewayException {@code json_malformed} with the byte offset of bad UTF-8, the line and column
     *                          where parsing stopped, or the JSON path of a number out of range, and never any of
     *                          the input
     */
    public static ObjectNode readObject(byte[] body, String expected) {
        if (body.length == 0) {
            throw new GatewayException(
                    ErrorCode.JSON_MALFORMED,
                    "the request body is empty (expected: " + expected + " as a JSON object)");
        }
        // Jackson decodes UTF-8 itself and lets overlong forms through: C0 AF would become "/".
        Utf8.check(body, ErrorCode.JSON_MALFORMED, "the request body");
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new GatewayException(
                    ErrorCode.JSON_MALFORMED,
                    "the request body is not valid JSON: " + describe(e) + " (expected: " + expected
                            + " as a JSON object)",
                    e);
        } catch (IOException e) {
            throw new GatewayException(ErrorCode.JSON_MALFORMED, "the request body could not be read as JSON", e);
        }
        if (node == null || !node.isObject()) {
            throw new GatewayException(
                    ErrorCode.JSON_MALFORMED,
                    "the request body is JSON "
                            + (node == null
                                    ? "with no value"
                                    : "of kind " + node.getNodeType().name().toLowerCase(Locale.ROOT))
                            + " (expected: " + expected + " as a JSON object)");
        }
        JsonValues.firstNonFiniteNumber(node).ifPresent(path -> {
            throw new GatewayException(
                    ErrorCode.JSON_MALFORMED,
                    "the request body holds a number out of range at " + path
                            + " (expected: a number within the range of a double)");
        });
        return (ObjectNode) node;
    }

    /** Where the parser stopped and why, without echoing any of the input. */
    private static String describe(JsonProcessingException e) {
        String reason = e.getOriginalMessage();
        // Jackson quotes the offending token in some messages: keep only the part before the quote.
        int quote = reason.indexOf('\'');
        if (quote >= 0) {
            reason = reason.substring(0, quote).trim();
            // "Unexpected character ('x' (code 120))" would keep a dangling parenthesis.
            if (reason.endsWith("(")) {
                reason = reason.substring(0, reason.length() - 1).trim();
            }
        }
        int newline = reason.indexOf('\n');
        if (newline >= 0) {
            reason = reason.substring(0, newline);
        }
        if (e.getLocation() != null) {
            return reason + " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
        }
        return reason;
    }
}
