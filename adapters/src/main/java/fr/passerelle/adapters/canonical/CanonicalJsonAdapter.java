package fr.passerelle.adapters.canonical;

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
import fr.passerelle.core.spi.InboundAdapter;
import fr.passerelle.core.spi.OutboundAdapter;
import java.io.IOException;
import java.util.Set;

/**
 * The canonical referral as JSON, both ways: what a partner with no format of its own submits and receives.
 * Strict on input: duplicate keys, trailing tokens, deep nesting and huge numbers are refused, so that what the
 * gateway validated is exactly what the partner meant.
 */
public final class CanonicalJsonAdapter implements InboundAdapter, OutboundAdapter {
    public static final String ID = "canonical-json";
    private static final Set<String> ACCEPTED = Set.of("", "application/json", "application/vnd.passerelle.referral+json");

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(32).maxNumberLength(32).maxStringLength(100_000).build());
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public ObjectNode read(byte[] body, String mediaType) {
        if (!ACCEPTED.contains(mediaType)) {
            throw new GatewayException(ErrorCode.MEDIA_TYPE_UNSUPPORTED, "media type '" + mediaType
                    + "' is not read by the canonical-json format (expected: application/json)");
        }
        if (body.length == 0) {
            throw new GatewayException(ErrorCode.JSON_MALFORMED,
                    "the request body is empty (expected: a canonical referral as a JSON object)");
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new GatewayException(ErrorCode.JSON_MALFORMED, "the request body is not valid JSON: "
                    + describe(e) + " (expected: a canonical referral as a JSON object)", e);
        } catch (IOException e) {
            throw new GatewayException(ErrorCode.JSON_MALFORMED, "the request body could not be read as JSON", e);
        }
        if (node == null || !node.isObject()) {
            throw new GatewayException(ErrorCode.JSON_MALFORMED, "the request body is JSON "
                    + (node == null ? "with no value" : "of kind " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT))
                    + " (expected: a JSON object)");
        }
        return (ObjectNode) node;
    }

    /** Where the parser stopped and why, without echoing any of the input. */
    private static String describe(JsonProcessingException e) {
        String reason = e.getOriginalMessage();
        // Jackson quotes the offending token in some messages: keep only the part before the quote.
        int quote = reason.indexOf('\'');
        if (quote >= 0) {
            reason = reason.substring(0, quote).trim();
        }
        int newline = reason.indexOf('\n');
        if (newline >= 0) {
            reason = reason.substring(0, newline);
        }
        if (e.getLocation() != null) {
            return reason + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        }
        return reason;
    }

    @Override
    public String mediaType() {
        return "application/json";
    }

    @Override
    public byte[] write(ObjectNode item) {
        try {
            return JSON.writeValueAsBytes(item);
        } catch (JsonProcessingException e) {
            throw new GatewayException(ErrorCode.INTERNAL, "cannot render an item as canonical JSON", e);
        }
    }
}
