package fr.passerelle.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP edge's one mapping from error codes to statuses and RFC 9457 problem documents. A client error tells
 * the caller what was wrong and how to fix it; a server error tells it only an incident id, which also stands on
 * the log line with the cause.
 */
public final class Problems {
    private static final Logger log = LoggerFactory.getLogger(Problems.class);
    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE_BASE = "https://passerelle.example/problems/";

    private Problems() {}

    public static HttpResponseStatus status(ErrorCode code) {
        return switch (code) {
            case CERTIFICATE_MISSING -> HttpResponseStatus.UNAUTHORIZED;
            case PARTNER_UNKNOWN,
                    PARTNER_DISABLED,
                    TYPE_NOT_ALLOWED,
                    DEPARTMENT_NOT_SERVED,
                    NOT_PERMITTED,
                    SIGNATURE_REQUIRED -> HttpResponseStatus.FORBIDDEN;
            case JSON_MALFORMED, FORMAT_INVALID, REQUEST_INVALID, IDEMPOTENCY_KEY_INVALID -> HttpResponseStatus
                    .BAD_REQUEST;
            case TYPE_UNKNOWN,
                    SCHEMA_VIOLATION,
                    RULE_VIOLATION,
                    DEPARTMENT_INVALID,
                    ROUTE_NOT_FOUND,
                    RECEIPT_INVALID,
                    SIGNATURE_INVALID,
                    ENVELOPE_INVALID,
                    CONFIG_REFUSED -> HttpResponseStatus.UNPROCESSABLE_ENTITY;
            case MEDIA_TYPE_UNSUPPORTED -> HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE;
            case REFERRAL_NOT_FOUND, NOT_FOUND -> HttpResponseStatus.NOT_FOUND;
            case METHOD_NOT_ALLOWED -> HttpResponseStatus.METHOD_NOT_ALLOWED;
            case IDEMPOTENCY_CONFLICT, STATE_CONFLICT -> HttpResponseStatus.CONFLICT;
            case BODY_TOO_LARGE -> HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
            case RATE_LIMITED -> HttpResponseStatus.TOO_MANY_REQUESTS;
            case UNAVAILABLE -> HttpResponseStatus.SERVICE_UNAVAILABLE;
            case CONFIG_INVALID, ADAPTER_UNKNOWN, PKI_FAILED, STORE_FAILED, INTERNAL -> HttpResponseStatus
                    .INTERNAL_SERVER_ERROR;
        };
    }

    /** A problem document for {@code e}; logs server errors once, here, with an incident id. */
    public static Problem of(GatewayException e, String instance) {
        if (e.code().origin() == ErrorCode.Origin.SERVER) {
            return incident(e.code(), e, instance);
        }
        HttpResponseStatus status = status(e.code());
        ObjectNode body = base(e.code(), status, instance);
        body.put("detail", e.getMessage());
        if (!e.details().isEmpty()) {
            ArrayNode errors = body.putArray("errors");
            e.details().forEach(errors::add);
        }
        return new Problem(status, body);
    }

    /** An unexpected failure: the client sees an incident id, the log sees the cause. */
    public static Problem incident(ErrorCode code, Throwable cause, String instance) {
        String incident = UUID.randomUUID().toString();
        if (code == ErrorCode.UNAVAILABLE) {
            // Overload is not a fault: one line, no trace, so that a flood does not drown the log.
            log.warn(
                    "Incident {} ({}) on {}: {}",
                    incident,
                    code.code(),
                    instance,
                    cause.getClass().getSimpleName());
        } else {
            log.error("Incident {} ({}) on {}", incident, code.code(), instance, cause);
        }
        HttpResponseStatus status = status(code);
        ObjectNode body = base(code, status, instance);
        body.put(
                "detail",
                code == ErrorCode.UNAVAILABLE
                        ? "the gateway is busy or unavailable; retry later with the same Idempotency-Key (incident "
                                + incident + ")"
                        : "the gateway met an internal error; quote incident " + incident + " to its administrator");
        body.put("incident", incident);
        return new Problem(status, body);
    }

    private static ObjectNode base(ErrorCode code, HttpResponseStatus status, String instance) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("type", TYPE_BASE + code.code());
        body.put("title", title(code));
        body.put("status", status.code());
        body.put("code", code.code());
        body.put("instance", instance);
        return body;
    }

    private static String title(ErrorCode code) {
        String words = code.code().replace('_', ' ');
        return words.substring(0, 1).toUpperCase(Locale.ROOT) + words.substring(1);
    }

    /** A problem ready to be written. */
    public record Problem(HttpResponseStatus status, ObjectNode body) {}
}
