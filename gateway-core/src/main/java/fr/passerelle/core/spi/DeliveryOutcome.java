package fr.passerelle.core.spi;

import java.util.Objects;

/**
 * What became of one attempt to hand a delivery to its partner.
 *
 * @param result the kind of outcome
 * @param detail what happened, for the operator and the audit: an HTTP status, an SMTP reply code, a network
 *               error's kind; never a payload, a token or personal data; at most 200 characters
 */
public record DeliveryOutcome(Result result, String detail) {
    public DeliveryOutcome {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(detail, "detail");
        if (detail.length() > 200) {
            detail = detail.substring(0, 200);
        }
    }

    public static DeliveryOutcome delivered(String detail) {
        return new DeliveryOutcome(Result.DELIVERED, detail);
    }

    public static DeliveryOutcome retryable(String detail) {
        return new DeliveryOutcome(Result.RETRYABLE, detail);
    }

    public static DeliveryOutcome permanent(String detail) {
        return new DeliveryOutcome(Result.PERMANENT, detail);
    }

    public enum Result {
        /** The partner took it (HTTP 2xx, SMTP relay accepted the message). */
        DELIVERED,
        /** Try again later: timeouts, refused connections, HTTP 408, 429 and 5xx, SMTP 4xx. */
        RETRYABLE,
        /** Never retry: HTTP 4xx other than 408 and 429, SMTP 5xx, a misconfigured partner. */
        PERMANENT
    }
}
