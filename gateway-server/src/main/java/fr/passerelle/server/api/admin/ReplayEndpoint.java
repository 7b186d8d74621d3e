package fr.passerelle.server.api.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.delivery.DeliveryAdmin;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Endpoint;
import fr.passerelle.server.http.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /admin/v1/partners/{partner}/dead-letters/replay} (all of a partner's dead letters) and
 * {@code POST /admin/v1/partners/{partner}/dead-letters/{delivery}/replay} (one): back in the outbox, due at once. Only the
 * dead letters of referrals of the administrator's data domains: a partner may receive both.
 */
public final class ReplayEndpoint implements Endpoint {
    private static final Logger log = LoggerFactory.getLogger(ReplayEndpoint.class);

    private final DeliveryAdmin admin;
    private final Runnable wake;

    /** @param wake tells the delivery worker that deliveries are due */
    public ReplayEndpoint(DeliveryAdmin admin, Runnable wake) {
        this.admin = admin;
        this.wake = wake;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        PartnerId partner = request.partnerPathParam("partner");
        Optional<Long> delivery =
                Optional.ofNullable(request.pathParams().get("delivery")).map(ReplayEndpoint::id);
        int replayed = admin.replay(
                partner, delivery, request.admin().types(), request.admin().actor());
        log.info("{} replayed {} dead letter(s) of {}", request.admin().actor(), replayed, partner);
        wake.run();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("partner", partner.value());
        body.put("replayed", replayed);
        return ApiResponse.json(HttpResponseStatus.OK, body);
    }

    private static long id(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new GatewayException(
                    ErrorCode.NOT_FOUND,
                    "no delivery '"
                            + (text.length() > 20 ? text.substring(0, 20) + "…" : text).replaceAll("[^0-9A-Za-z-]", "?")
                            + "' (expected: a delivery id from GET"
                            + " /admin/v1/deliveries)");
        }
    }
}
