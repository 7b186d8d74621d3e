package fr.passerelle.server.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import java.util.Objects;

/** What an endpoint answers: a status, a media type, the body bytes and extra headers. */
public record ApiResponse(HttpResponseStatus status, String mediaType, byte[] body, Map<String, String> headers) {
    public ApiResponse {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    public static ApiResponse json(HttpResponseStatus status, Object value) {
        return new ApiResponse(status, "application/json", Json.bytes(value), Map.of());
    }

    public ApiResponse withHeader(String name, String value) {
        var copy = new java.util.HashMap<>(headers);
        copy.put(name, value);
        return new ApiResponse(status, mediaType, body, copy);
    }
}
