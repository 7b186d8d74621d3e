package fr.passerelle.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.audit.AuditProofs;
import fr.passerelle.core.audit.SignedTreeHead;
import fr.passerelle.core.audit.TreeHeads;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Endpoint;
import fr.passerelle.server.http.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import javax.sql.DataSource;

/**
 * The audit log's signed tree heads, for witnesses (monitoring partners): {@code GET /v1/audit/tree-heads?after=N}
 * lists the heads larger than N, and {@code GET /v1/audit/consistency?from=M&to=N} proves that the tree of M
 * entries is a prefix of the tree of N. A witness that keeps the heads it saw catches any rewritten history by
 * comparison ({@code gateway audit verify --against FILE}).
 */
public final class TreeHeadsEndpoint {
    private TreeHeadsEndpoint() {}

    public static Endpoint list(DataSource dataSource) {
        return request -> {
            long after = request.longParam("after", 0, 0, Long.MAX_VALUE);
            ObjectNode body = Json.MAPPER.createObjectNode();
            ArrayNode heads = body.putArray("treeHeads");
            for (SignedTreeHead head : TreeHeads.all(dataSource)) {
                if (head.head().size() > after) {
                    heads.add(AuditJsonViews.treeHead(head));
                }
            }
            return ApiResponse.json(HttpResponseStatus.OK, body);
        };
    }

    public static Endpoint consistency(DataSource dataSource) {
        return (ApiRequest request) -> {
            long from = request.longParam("from", 1, 1, Long.MAX_VALUE);
            long to = request.longParam("to", from, 1, Long.MAX_VALUE);
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("from", from);
            body.put("to", to);
            AuditJsonViews.putHexList(body, "proof", AuditProofs.consistency(dataSource, from, to));
            return ApiResponse.json(HttpResponseStatus.OK, body);
        };
    }
}
