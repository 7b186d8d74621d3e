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

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new GatewayException(ErrorCode.INTERNAL, "cannot render a response as JSON", e);
        }
    }
}
