package fr.passerelle.server.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.store.Purges;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Endpoint;
import fr.passerelle.server.http.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /admin/v1/referrals/{id}/erase}: an erasure order (GDPR art. 17). Erases the referral's content at
 * once — its document and every copy, with their data keys — whatever its retention, with a justification from a
 * closed list: {@code {"justification": "erasure-request"}}. The row, the copies' states and the audit entries stay;
 * the audit log gets {@code referral.erased} by the administrator, and the purge log the referral's id. A
 * referral outside the administrator's data domains is answered as one that does not exist.
 */
public final class EraseEndpoint implements Endpoint {
    private static final Logger log = LoggerFactory.getLogger(EraseEndpoint.class);

    private final Purges purges;

    public EraseEndpoint(Purges purges) {
        this.purges = purges;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        ReferralId id = ReferralId.parse(request.pathParam("id"));
        JsonNode body = Json.object(request.body(), "the erasure order");
        JsonNode justification = body.path("justification");
        if (!justification.isTextual()) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "the erasure order needs 'justification', a string" + " (expected: {\"justification\": \""
                            + String.join("\" | \"", Purges.JUSTIFICATIONS) + "\"})");
        }
        boolean erased =
                purges.order(id, request.admin().types(), request.admin().actor(), justification.asText());
        log.info(
                "{} ordered the erasure of referral {} ({}): {}",
                request.admin().actor(),
                id,
                justification.asText(),
                erased ? "erased" : "already erased");
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("referralId", id.toString());
        answer.put("justification", justification.asText());
        answer.put("erased", erased);
        return ApiResponse.json(HttpResponseStatus.OK, answer);
    }
}
