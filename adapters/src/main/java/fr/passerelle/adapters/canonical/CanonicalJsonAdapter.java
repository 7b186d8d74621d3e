package fr.passerelle.adapters.canonical;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.adapters.json.StrictJson;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.spi.InboundAdapter;
import fr.passerelle.core.spi.OutboundAdapter;
import java.util.Set;

/**
 * The canonical referral as JSON, both ways: what a partner with no format of its own submits and receives.
 * Strict on input: duplicate keys, trailing tokens, deep nesting and huge numbers are refused, so that what the
 * gateway validated is exactly what the partner meant.
 */
public final class CanonicalJsonAdapter implements InboundAdapter, OutboundAdapter {
    public static final String ID = "canonical-json";
    private static final Set<String> ACCEPTED =
            Set.of("", "application/json", "application/vnd.passerelle.referral+json");

    @Override
    public String id() {
        return ID;
    }

    @Override
    public ObjectNode read(byte[] body, String mediaType) {
        if (!ACCEPTED.contains(mediaType)) {
            throw new GatewayException(
                    ErrorCode.MEDIA_TYPE_UNSUPPORTED,
                    "media type '" + mediaType
                            + "' is not read by the canonical-json format (expected: application/json)");
        }
        return StrictJson.readObject(body, "a canonical referral");
    }

    @Override
    public String mediaType() {
        return "application/json";
    }

    @Override
    public byte[] write(ObjectNode item) {
        try {
            return StrictJson.JSON.writeValueAsBytes(item);
        } catch (JsonProcessingException e) {
            throw new GatewayException(ErrorCode.INTERNAL, "cannot render an item as canonical JSON", e);
        }
    }
}
