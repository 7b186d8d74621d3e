package fr.passerelle.server.api.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.delivery.DeliveryAdmin;
import fr.passerelle.core.notice.NoticeWriter;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Endpoint;
import fr.passerelle.server.http.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /admin/v1/referrals/{id}/cancel}: its pending copies are never sent; the recipients that have theirs
 * see them cancelled (inbox and status) and can no longer answer; they and the sender get a {@code cancelled}
 * notice through their own transports. A referral outside the administrator's data domains is answered as one that
 * does not exist.
 */
public final class CancelEndpoint implements Endpoint {
    private static final Logger log = LoggerFactory.getLogger(CancelEndpoint.class);

    private final DeliveryAdmin admin;
    private final NoticeWriter notices;
    private final Supplier<Deployment> deployment;
    private final Runnable stored;

    /** @param stored told after the notices were stored, so that the delivery worker pushes them at once */
    public CancelEndpoint(DeliveryAdmin admin, NoticeWriter notices, Supplier<Deployment> deployment, Runnable stored) {
        this.admin = admin;
        this.notices = notices;
        this.deployment = deployment;
        this.stored = stored;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        DeliveryAdmin.Cancelled cancelled = admin.cancel(
                ReferralId.parse(request.pathParam("id")),
                request.admin().types(),
                request.admin().actor(),
                notices.cancellation(deployment.get()));
        stored.run();
        log.info(
                "{} cancelled referral {} ({} copies stopped)",
                request.admin().actor(),
                cancelled.id(),
                cancelled.stopped());
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("referralId", cancelled.id().toString());
        body.put("status", "cancelled");
        body.put("copiesStopped", cancelled.stopped());
        body.put("copiesAlreadyFinal", cancelled.alreadyFinal());
        return ApiResponse.json(HttpResponseStatus.OK, body);
    }
}
