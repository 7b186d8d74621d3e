package fr.passerelle.core;

import java.util.List;
import java.util.Objects;

/**
 * The one exception type of the gateway: a stable {@link ErrorCode} and a message that names the subject,
 * the bad value when it is safe to show, and what was expected. Messages never hold personal data.
 */
public final class GatewayException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final List<String> details;

    public GatewayException(ErrorCode code, String message) {
        this(code, message, List.of());
    }

    /**
     * @param details one line per individual problem (a schema violation, a configuration error), each safe to
     *                show to the caller: a location and what was expected, never the offending personal data
     */
    public GatewayException(ErrorCode code, String message, List<String> details) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
        this.details = List.copyOf(details);
    }

    public GatewayException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.details = List.of();
    }

    public ErrorCode code() {
        return code;
    }

    /** The individual problems behind this error, possibly none. */
    public List<String> details() {
        return details;
    }

    @Override
    public String toString() {
        return code.code() + ": " + getMessage();
    }
}
