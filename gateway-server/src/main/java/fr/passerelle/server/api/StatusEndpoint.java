package fr.passerelle.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.audit.AuditRecord;
import fr.passerelle.core.exchange.Exchange;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.store.DeliveryStatus;
import fr.passerelle.core.store.ReferralStatus;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Endpoint;
import fr.passerelle.server.http.Json;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * {@code GET /v1/referrals/{id}}: status and history, to its parties only. A partner that is not party to the
 * referral gets the same 404 as for a referral that does not exist.
 */
public final class StatusEndpoint implements Endpoint {
    private final Exchange exchange;

    public StatusEndpoint(Exchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        ReferralStatus status = exchange.status(ReferralId.parse(request.pathParam("id")), request.partner());
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("id", status.id().toString());
        body.put("type", status.type().code());
        body.put("sender", status.sender().value());
        body.put("department", status.department().code());
        body.put("urgency", status.urgency().code());
        body.put("status", status.status());
        body.put("submittedAt", status.submittedAt().toString());
        ArrayNode deliveries = body.putArray("deliveries");
        for (DeliveryStatus delivery : status.deliveries()) {
            ObjectNode entry = deliveries.addObject();
            entry.put("recipient", delivery.recipient().value());
            entry.put("state", delivery.state().code());
            entry.put("transport", delivery.transport());
            entry.put("createdAt", delivery.createdAt().toString());
            delivery.deliveredAt().ifPresent(at -> entry.put("deliveredAt", at.toString()));
            entry.put("updatedAt", delivery.updatedAt().toString());
            if (!delivery.transport().equals("inbox")) {
                entry.put("attempts", delivery.attempts());
                delivery.nextAttempt().ifPresent(at -> entry.put("nextAttemptAt", at.toString()));
            }
            delivery.reason().ifPresent(reason -> entry.put("reason", reason.code()));
        }
        ArrayNode history = body.putArray("history");
        for (AuditRecord record : status.history()) {
            ObjectNode entry = history.addObject();
            entry.put("at", record.at().toString());
            entry.put("actor", record.actor());
            entry.put("action", record.action());
            ObjectNode detail = entry.putObject("detail");
            record.detail().forEach(detail::put);
        }
        return ApiResponse.json(HttpResponseStatus.OK, body);
    }
}
