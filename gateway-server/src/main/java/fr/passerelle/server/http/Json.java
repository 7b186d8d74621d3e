package fr.passerelle.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;

/** The server's JSON mapper. */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder().build();

    /** For what clients send: duplicate keys and trailing tokens are refused, as the canonical adapter does. */
    public static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    /**
     * A request body that must be a JSON object, read strictly.
     *
     * @param what names the body in messages, such as "the release"
     * @throws GatewayException {@code json_malformed} naming the line and column, never the text found there;
     *                          {@code request_invalid} when it is JSON but not an object
     */
    public static com.fasterxml.jackson.databind.JsonNode object(byte[] body, String what) {
        com.fasterxml.jackson.databind.JsonNode node;
        try {
            node = STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            throw new GatewayException(ErrorCode.JSON_MALFORMED, what + "'s body is not valid JSON"
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")"));
        } catch (java.io.IOException e) {
            throw new GatewayException(ErrorCode.JSON_MALFORMED, what + "'s body cannot be read as JSON");
        }
        if (node == null || !node.isObject()) {
            throw new GatewayException(ErrorCode.REQUEST_INVALID, what + "'s body must be a JSON object");
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
