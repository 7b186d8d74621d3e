package fr.passerelle.server.api.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.delivery.DeliveryAdmin;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.DeliveryState;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Endpoint;
import fr.passerelle.server.http.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /admin/v1/deliveries?state=failed&partner=siao-974&after=0&limit=50}: deliveries in id order, with
 * their state, attempts, next attempt and last error; never a payload. Only the deliveries of referrals of the
 * administrator's data domains.
 */
public final class DeliveriesEndpoint implements Endpoint {
    private final DeliveryAdmin admin;

    public DeliveriesEndpoint(DeliveryAdmin admin) {
        this.admin = admin;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        Optional<DeliveryState> state = request.queryParam("state").map(DeliveriesEndpoint::state);
        Optional<PartnerId> partner = request.partnerQueryParam("partner");
        long after = request.longParam("after", 0, 0, Long.MAX_VALUE);
        int limit = (int) request.longParam("limit", 50, 1, DeliveryAdmin.MAX_PAGE);
        List<DeliveryAdmin.Row> rows =
                admin.list(state, partner, request.admin().types(), after, limit);
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode deliveries = body.putArray("deliveries");
        for (DeliveryAdmin.Row row : rows) {
            ObjectNode entry = deliveries.addObject();
            entry.put("id", row.id());
            entry.put("referralId", row.referralId().toString());
            entry.put("recipient", row.recipient().value());
            entry.put("type", row.type().code());
            entry.put("urgency", row.urgency().code());
            entry.put("state", row.state().code());
            row.notice().ifPresent(n -> entry.put("notice", n.code()));
            entry.put("transport", row.transport());
            entry.put("attempts", row.attempts());
            row.nextAttemptAt().ifPresent(at -> entry.put("nextAttemptAt", at.toString()));
            row.lastError().ifPresent(error -> entry.put("lastError", error));
            entry.put("createdAt", row.createdAt().toString());
            row.deliveredAt().ifPresent(at -> entry.put("deliveredAt", at.toString()));
            entry.put("updatedAt", row.updatedAt().toString());
        }
        body.put("next", rows.isEmpty() ? after : rows.get(rows.size() - 1).id());
        return ApiResponse.json(HttpResponseStatus.OK, body);
    }

    private static DeliveryState state(String code) {
        return Arrays.stream(DeliveryState.values())
                .filter(s -> s.code().equals(code))
                .findFirst()
                .orElseThrow(() -> new GatewayException(
                        ErrorCode.REQUEST_INVALID,
                        "state '" + code.replaceAll("[^a-z-]", "?") + "' is unknown (expected one of: "
                                + String.join(
                                        ", ",
                                        Arrays.stream(DeliveryState.values())
                                                .map(DeliveryState::code)
                                                .toList())
                                + ")"));
    }
}
