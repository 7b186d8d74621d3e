package fr.passerelle.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.exchange.Exchange;
import fr.passerelle.core.receipt.ReceiptOutcome;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Endpoint;
import fr.passerelle.server.http.Json;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * {@code POST /v1/referrals/{id}/receipts}: a recipient says received, accepted, declined (with a reason code)
 * or completed, as a canonical JSON receipt or in its own format when its inbound adapter reads one (a SIAO's
 * placement answer).
 */
public final class ReceiptEndpoint implements Endpoint {
    private final Exchange exchange;

    public ReceiptEndpoint(Exchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        ReferralId id = ReferralId.parse(request.pathParam("id"));
        JsonNode receipt = exchange.partnerReceipt(request.partner(), request.body(), request.mediaType())
                .orElseGet(() -> canonical(request));
        ReceiptOutcome outcome = exchange.receipt(id, request.partner(), receipt);
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("referralId", outcome.id().toString());
        body.put("recipient", outcome.recipient().value());
        body.put("state", outcome.state().code());
        body.put("referralStatus", outcome.referralStatus());
        return ApiResponse.json(HttpResponseStatus.OK, body);
    }

    private static JsonNode canonical(ApiRequest request) {
        if (!request.mediaType().isEmpty() && !request.mediaType().equals("application/json")) {
            throw new GatewayException(
                    ErrorCode.MEDIA_TYPE_UNSUPPORTED,
                    "media type '" + request.mediaType() + "' is not accepted for receipts of " + request.partner()
                            + " (expected: application/json)");
        }
        return parse(request.body());
    }

    private static JsonNode parse(byte[] body) {
        JsonNode node = Json.tree(body, "the receipt");
        if (node == null || !node.isObject()) {
            throw new GatewayException(
                    ErrorCode.JSON_MALFORMED,
                    "the receipt is not a JSON object (expected: {\"status\": \"received\"})");
        }
        return node;
    }
}
