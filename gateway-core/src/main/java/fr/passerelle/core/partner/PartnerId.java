package fr.passerelle.core.partner;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A partner's identifier: its kind, a dash, then lowercase words, for instance {@code police-75-brp} or
 * {@code siao-974}. The kind is read from the prefix, so an id cannot lie about what it is.
 */
public record PartnerId(String value) implements Comparable<PartnerId> {
    private static final Pattern SHAPE = Pattern.compile("[a-z]+(-[a-z0-9]+)+");

    public PartnerId {
        Objects.requireNonNull(value, "value");
        if (value.length() > 63 || !SHAPE.matcher(value).matches()) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "partner id '" + value
                            + "' is not valid (expected: <kind>-<words>, lowercase letters, digits and dashes, at most"
                            + " 63 characters, for instance police-75-brp)");
        }
        String prefix = value.substring(0, value.indexOf('-'));
        PartnerKind.fromCode(prefix);
    }

    public static PartnerId of(String value) {
        return new PartnerId(value);
    }

    public PartnerKind kind() {
        return PartnerKind.fromCode(value.substring(0, value.indexOf('-')));
    }

    @Override
    public int compareTo(PartnerId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
