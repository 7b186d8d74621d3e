package fr.passerelle.server.api;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.exchange.Exchange;
import fr.passerelle.core.store.InboxItem;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Endpoint;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /v1/inbox/{cursor}}: one item of the caller's inbox as the bare envelope
 * ({@code application/pkcs7-mime}, DER), ready for {@code openssl cms -decrypt -inform DER}.
 */
public final class InboxItemEndpoint implements Endpoint {
    private final Exchange exchange;

    public InboxItemEndpoint(Exchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        long cursor;
        try {
            cursor = Long.parseLong(request.pathParam("cursor"));
        } catch (NumberFormatException e) {
            throw new GatewayException(
                    ErrorCode.NOT_FOUND,
                    "no inbox item '" + request.pathParam("cursor").replaceAll("[^0-9A-Za-z]", "?")
                            + "' (expected: a cursor from GET /v1/inbox)");
        }
        InboxItem item = exchange.item(request.partner(), cursor);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(
                "Content-Disposition",
                "attachment; filename=\"" + item.cursor() + "-"
                        + item.notice()
                                .map(n -> "notice-" + n.code())
                                .orElse(item.type().code()) + ".p7m\"");
        headers.put("X-Referral-Id", item.referralId().toString());
        headers.put("X-Referral-Type", item.type().code());
        item.notice().ifPresent(n -> headers.put("X-Notice", n.code()));
        return new ApiResponse(HttpResponseStatus.OK, item.mediaType(), item.payload(), headers);
    }
}
