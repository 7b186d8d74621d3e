package fr.passerelle.server.api.admin;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Endpoint;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * {@code GET /admin/v1/openapi.json}: the OpenAPI 3.1 description of the admin API, the resource
 * {@code openapi/admin-v1.json}, written by hand beside the endpoints (a test holds it and the endpoint table to
 * the same operations).
 */
public final class OpenApiEndpoint implements Endpoint {
    /** The class-path resource that holds the document. */
    public static final String RESOURCE = "/openapi/admin-v1.json";

    private final byte[] document;

    public OpenApiEndpoint() {
        this.document = document();
    }

    /** The document's bytes. */
    public static byte[] document() {
        try (InputStream in = OpenApiEndpoint.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new GatewayException(ErrorCode.INTERNAL, "resource " + RESOURCE + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new GatewayException(ErrorCode.INTERNAL, "cannot read resource " + RESOURCE, e);
        }
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        return new ApiResponse(HttpResponseStatus.OK, "application/json", document, Map.of());
    }
}
