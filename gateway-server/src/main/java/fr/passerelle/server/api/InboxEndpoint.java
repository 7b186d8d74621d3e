package fr.passerelle.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.exchange.Exchange;
import fr.passerelle.core.store.InboxItem;
import fr.passerelle.core.store.InboxPage;
import fr.passerelle.core.store.JdbcReferralStore;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Endpoint;
import fr.passerelle.server.http.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Base64;

/**
 * {@code GET /v1/inbox?after=CURSOR&limit=N}: the referrals for the caller, oldest first. Each item gives its id,
 * type and envelope: the minimised referral in the caller's format, signed by the gateway and encrypted for the
 * caller's certificate (CMS, base64 of DER). Pass the returned {@code next} as {@code after} to continue; pulling
 * marks items delivered.
 */
public final class InboxEndpoint implements Endpoint {
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = JdbcReferralStore.MAX_PAGE;

    private final Exchange exchange;

    public InboxEndpoint(Exchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        long after = request.longParam("after", 0, 0, Long.MAX_VALUE);
        int limit = (int) request.longParam("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        InboxPage page = exchange.inbox(request.partner(), after, limit);
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode items = body.putArray("items");
        for (InboxItem item : page.items()) {
            ObjectNode entry = items.addObject();
            entry.put("cursor", Long.toString(item.cursor()));
            entry.put("referralId", item.referralId().toString());
            entry.put("type", item.type().code());
            entry.put("sender", item.sender().value());
            entry.put("department", item.department().code());
            entry.put("urgency", item.urgency().code());
            entry.put("submittedAt", item.submittedAt().toString());
            entry.put("state", item.state().code());
            item.notice().ifPresent(n -> entry.put("notice", n.code()));
            entry.put("mediaType", item.mediaType());
            entry.put("envelope", Base64.getEncoder().encodeToString(item.payload()));
            entry.put("href", "/v1/inbox/" + item.cursor());
        }
        body.put("next", Long.toString(page.next()));
        return ApiResponse.json(HttpResponseStatus.OK, body);
    }
}
