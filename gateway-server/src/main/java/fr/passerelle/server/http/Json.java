package fr.passerelle.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.input.JsonValues;
import fr.passerelle.core.input.Utf8;

/** The server's JSON mapper. */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder().build();

    /** For what clients send: duplicate keys and trailing tokens are refused, as the canonical adapter does. */
    public static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {}

    /**
     * A request body that must be a JSON object, read strictly.
     *
     * @param what names the body in messages, such as "the release"
     * @throws GatewayException {@code json_malformed} naming the byte offset of bad UTF-8, the line and column of
     *                          bad JSON, or the path of a number out of range, never the text found there;
     *                          {@code request_invalid} when it is JSON but not an object
     */
    public static com.fasterxml.jackson.databind.JsonNode object(byte[] body, String what) {
        com.fasterxml.jackson.databind.JsonNode node = tree(body, what);
        if (node == null || !node.isObject()) {
            throw new GatewayException(ErrorCode.REQUEST_INVALID, what + "'s body must be a JSON object");
        }
        return node;
    }

    /**
     * A request body read strictly, of any JSON kind: strict UTF-8 (Jackson alone would read the overlong
     * {@code C0 AF} as "/"), no duplicate key, no trailing token, no number out of the range of a double.
     *
     * @return the value, or null for an empty body
     * @throws GatewayException {@code json_malformed} as {@link #object} does
     */
    public static com.fasterxml.jackson.databind.JsonNode tree(byte[] body, String what) {
        Utf8.check(body, ErrorCode.JSON_MALFORMED, what + "'s body");
        com.fasterxml.jackson.databind.JsonNode node;
        try {
            node = STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            throw new GatewayException(
                    ErrorCode.JSON_MALFORMED,
                    what + "'s body is not valid JSON"
                            + (e.getLocation() == null
                                    ? ""
                                    : " (line " + e.getLocation().getLineNr() + ", column "
                                            + e.getLocation().getColumnNr() + ")"));
        } catch (java.io.IOException e) {
            throw new GatewayException(ErrorCode.JSON_MALFORMED, what + "'s body cannot be read as JSON");
        }
        if (node != null) {
            JsonValues.firstNonFiniteNumber(node).ifPresent(path -> {
                throw new GatewayException(
                        ErrorCode.JSON_MALFORMED,
                        what + "'s body holds a number out of range at " + path
                                + " (expected: a number within the range of a double)");
            });
        }
        return node;
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new GatewayException(ErrorCode.INTERNAL, "cannot render a response as JSON", e);
        }
    }
}
