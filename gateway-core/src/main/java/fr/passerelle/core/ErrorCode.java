package fr.passerelle.core;

import java.util.Locale;

/**
 * Stable error codes, as the partner API and the logs show them. A code never changes its meaning once
 * published; partners match on it. The HTTP edge alone maps a code to a status.
 */
public enum ErrorCode {
    // The caller's fault: the message may be shown to it.
    CERTIFICATE_MISSING(Origin.CLIENT),
    PARTNER_UNKNOWN(Origin.CLIENT),
    PARTNER_DISABLED(Origin.CLIENT),
    NOT_PERMITTED(Origin.CLIENT),
    TYPE_UNKNOWN(Origin.CLIENT),
    TYPE_NOT_ALLOWED(Origin.CLIENT),
    /**
     * The sender may send the type, but not for the department it names: a removal objective or a closure comes
     * from a prefecture that serves the department (rule {@code prefecture-serves-department}).
     */
    DEPARTMENT_NOT_SERVED(Origin.CLIENT),
    MEDIA_TYPE_UNSUPPORTED(Origin.CLIENT),
    JSON_MALFORMED(Origin.CLIENT),
    FORMAT_INVALID(Origin.CLIENT),
    SCHEMA_VIOLATION(Origin.CLIENT),
    RULE_VIOLATION(Origin.CLIENT),
    DEPARTMENT_INVALID(Origin.CLIENT),
    ROUTE_NOT_FOUND(Origin.CLIENT),
    REFERRAL_NOT_FOUND(Origin.CLIENT),
    RECEIPT_INVALID(Origin.CLIENT),
    IDEMPOTENCY_KEY_INVALID(Origin.CLIENT),
    IDEMPOTENCY_CONFLICT(Origin.CLIENT),
    STATE_CONFLICT(Origin.CLIENT),
    BODY_TOO_LARGE(Origin.CLIENT),
    REQUEST_INVALID(Origin.CLIENT),
    /** The partner spent a quota ({@code limits:} in gateway.yaml); the answer says when to retry. */
    RATE_LIMITED(Origin.CLIENT),
    NOT_FOUND(Origin.CLIENT),
    METHOD_NOT_ALLOWED(Origin.CLIENT),
    SIGNATURE_INVALID(Origin.CLIENT),
    SIGNATURE_REQUIRED(Origin.CLIENT),
    ENVELOPE_INVALID(Origin.CLIENT),
    /** A configuration change (admin API, {@code config apply}) that does not pass the checks: nothing stored. */
    CONFIG_REFUSED(Origin.CLIENT),
    // Ours: the caller gets an incident id, the log gets the cause.
    CONFIG_INVALID(Origin.SERVER),
    ADAPTER_UNKNOWN(Origin.SERVER),
    PKI_FAILED(Origin.SERVER),
    STORE_FAILED(Origin.SERVER),
    UNAVAILABLE(Origin.SERVER),
    INTERNAL(Origin.SERVER);

    /** Whose fault an error is. */
    public enum Origin {
        CLIENT,
        SERVER
    }

    private final Origin origin;

    ErrorCode(Origin origin) {
        this.origin = origin;
    }

    public Origin origin() {
        return origin;
    }

    /** The wire form: {@code partner_unknown}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return code();
    }
}
