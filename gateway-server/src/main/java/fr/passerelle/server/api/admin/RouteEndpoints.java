package fr.passerelle.server.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.versions.ConfigEdits;
import fr.passerelle.core.config.versions.ConfigVersion;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import java.util.Optional;

/**
 * The routing table of the current version: {@code GET /admin/v1/routes}, {@code PUT /admin/v1/routes/{id}}
 * (create or replace, with the keys of a route of routes.yaml) and {@code DELETE /admin/v1/routes/{id}}.
 */
final class RouteEndpoints {
    private final ConfigEndpoints shared;

    RouteEndpoints(ConfigEndpoints shared) {
        this.shared = shared;
    }

    ApiResponse list(ApiRequest request) {
        ConfigVersion current = shared.current();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("version", current.number());
        JsonNode routes = current.files()
                .text("routes.yaml")
                .map(text -> ConfigEdits.tree("routes.yaml", text))
                .map(tree -> tree.path("routes"))
                .orElse(Json.MAPPER.createArrayNode());
        body.set("routes", routes.isArray() ? routes : Json.MAPPER.createArrayNode());
        return ApiResponse.json(HttpResponseStatus.OK, body);
    }

    ApiResponse put(ApiRequest request) {
        String id = request.pathParam("route");
        JsonNode route = ConfigEndpoints.body(request)
                .orElseThrow(() -> new GatewayException(
                        ErrorCode.REQUEST_INVALID,
                        "the body must be a JSON object with the keys of a route (type, from,"
                                + " departments, to, fields)"));
        return shared.change(
                request,
                files -> ConfigEdits.putRoute(files, id, route),
                Map.of("operation", "route.put", "route", id),
                Optional.empty());
    }

    ApiResponse delete(ApiRequest request) {
        String id = request.pathParam("route");
        return shared.change(
                request,
                files -> ConfigEdits.deleteRoute(files, id),
                Map.of("operation", "route.delete", "route", id),
                Optional.empty());
    }
}
