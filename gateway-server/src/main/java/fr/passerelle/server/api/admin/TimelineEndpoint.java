package fr.passerelle.server.api.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.audit.AuditRecord;
import fr.passerelle.core.referral.DeclineReason;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.store.ReferralSearch;
import fr.passerelle.core.store.ReferralTimeline;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Endpoint;
import fr.passerelle.server.http.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Objects;

/**
 * {@code GET /admin/v1/referrals/{id}}: where a referral stands, metadata only: its search entry, its audit
 * entries, its copies with their attempts and last error, the notices about it and its receipts. A referral
 * outside the administrator's data domains is answered as one that does not exist ({@code referral_not_found}).
 */
public final class TimelineEndpoint implements Endpoint {
    private final ReferralSearch search;

    public TimelineEndpoint(ReferralSearch search) {
        this.search = Objects.requireNonNull(search, "search");
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        ReferralId id = ReferralId.parse(request.pathParam("id"));
        ReferralTimeline timeline = search.timeline(id, request.admin().types()).orElseThrow(id::notFound);
        ObjectNode body = Json.MAPPER.createObjectNode();
        ReferralsEndpoint.render(body.putObject("referral"), timeline.referral());
        ArrayNode audit = body.putArray("audit");
        for (AuditRecord entry : timeline.audit()) {
            ObjectNode node = audit.addObject();
            node.put("seq", entry.seq());
            entry.queued().ifPresent(queued -> node.put("position", queued.position()));
            node.put("at", entry.at().toString());
            node.put("actor", entry.actor());
            node.put("action", entry.action());
            ObjectNode detail = node.putObject("detail");
            entry.detail().forEach(detail::put);
        }
        ArrayNode deliveries = body.putArray("deliveries");
        timeline.copies().forEach(copy -> render(deliveries.addObject(), copy));
        ArrayNode notices = body.putArray("notices");
        timeline.notices().forEach(notice -> render(notices.addObject(), notice));
        ArrayNode receipts = body.putArray("receipts");
        for (ReferralTimeline.Receipt receipt : timeline.receipts()) {
            ObjectNode node = receipts.addObject();
            node.put("delivery", receipt.deliveryId());
            node.put("recipient", receipt.recipient().value());
            node.put("status", receipt.status());
            receipt.reason().map(DeclineReason::code).ifPresent(reason -> node.put("reason", reason));
            node.put("recordedAt", receipt.recordedAt().toString());
        }
        return ApiResponse.json(HttpResponseStatus.OK, body);
    }

    private static void render(ObjectNode node, ReferralTimeline.Delivery delivery) {
        node.put("id", delivery.id());
        delivery.notice().ifPresent(kind -> node.put("kind", kind.code()));
        node.put("recipient", delivery.recipient().value());
        node.put("transport", delivery.transport());
        node.put("state", delivery.state().code());
        node.put("attempts", delivery.attempts());
        delivery.nextAttemptAt().ifPresent(at -> node.put("nextAttemptAt", at.toString()));
        delivery.lastError().ifPresent(error -> node.put("lastError", error));
        delivery.declineReason().ifPresent(reason -> node.put("declineReason", reason.code()));
        node.put("createdAt", delivery.createdAt().toString());
        delivery.deliveredAt().ifPresent(at -> node.put("deliveredAt", at.toString()));
        node.put("updatedAt", delivery.updatedAt().toString());
    }
}
