package fr.passerelle.server.http;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.Administrator;
import fr.passerelle.core.partner.PartnerId;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One decoded request from an authenticated partner, detached from Netty's reference-counted buffers so that a
 * worker thread may hold it. {@link #toString()} never prints the body.
 *
 * @param caller     the partner whose certificate the client presented; empty on the few operations open to any
 *                   client whose certificate chains to the trust anchors
 * @param pathParams values captured by the route pattern, such as {@code id}
 * @param administrator the calling administrator, for the admin API
 */
public record ApiRequest(
        HttpMethod method,
        String path,
        Map<String, List<String>> query,
        HttpHeaders headers,
        byte[] body,
        Optional<PartnerId> caller,
        Map<String, String> pathParams,
        Optional<Administrator> administrator) {
    public ApiRequest {
        Objects.requireNonNull(administrator, "administrator");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = Map.copyOf(query);
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(caller, "caller");
        pathParams = Map.copyOf(pathParams);
    }

    /** A request from a partner, or from nobody known (liveness). */
    public ApiRequest(
            HttpMethod method,
            String path,
            Map<String, List<String>> query,
            HttpHeaders headers,
            byte[] body,
            Optional<PartnerId> caller,
            Map<String, String> pathParams) {
        this(method, path, query, headers, body, caller, pathParams, Optional.empty());
    }

    public ApiRequest withPathParams(Map<String, String> params) {
        return new ApiRequest(method, path, query, headers, body, caller, params, administrator);
    }

    /** The calling administrator, for admin operations (the dispatcher guarantees it is present). */
    public Administrator admin() {
        return administrator.orElseThrow(() -> new IllegalStateException("admin operation called without one"));
    }

    /** The calling partner, for operations reserved to partners (the dispatcher guarantees it is present). */
    public PartnerId partner() {
        return caller.orElseThrow(() -> new IllegalStateException("operation reserved to partners called without one"));
    }

    public Optional<String> header(CharSequence name) {
        return Optional.ofNullable(headers.get(name));
    }

    /** The media type without parameters, lower case; empty when the request has none. */
    public String mediaType() {
        String value = headers.get("content-type", "");
        int semicolon = value.indexOf(';');
        return (semicolon >= 0 ? value.substring(0, semicolon) : value).trim().toLowerCase(Locale.ROOT);
    }

    public Optional<String> queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** A query parameter that must be a whole number between {@code min} and {@code max}. */
    public long longParam(String name, long defaultValue, long min, long max) {
        Optional<String> text = queryParam(name);
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(text.get());
            if (value < min || value > max) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "query parameter '" + name + "' is not valid" + " (expected: a whole number from " + min + " to "
                            + max + ")");
        }
    }

    public String pathParam(String name) {
        return pathParams.get(name);
    }

    /** A partner id in the path: a malformed one is the caller's error (400), not the gateway's. */
    public PartnerId partnerPathParam(String name) {
        return partnerId("path parameter '" + name + "'", pathParam(name));
    }

    /** A partner id in the query, if given: a malformed one is the caller's error (400). */
    public Optional<PartnerId> partnerQueryParam(String name) {
        return queryParam(name).map(text -> partnerId("query parameter '" + name + "'", text));
    }

    /** A partner id the caller sent, {@code where} naming it in the error: malformed, it is a 400. */
    public static PartnerId partnerId(String where, String text) {
        try {
            return PartnerId.of(text);
        } catch (GatewayException e) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    where + " is not a partner id (expected:"
                            + " <kind>-<words>, lowercase letters, digits and dashes, such as police-75-brp)");
        }
    }

    @Override
    public String toString() {
        return "ApiRequest[" + method + " " + path + " from "
                + caller.map(PartnerId::value).orElse("-") + ", " + body.length + " bytes]";
    }
}
