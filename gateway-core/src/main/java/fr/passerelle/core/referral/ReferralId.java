package fr.passerelle.core.referral;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.util.Objects;
import java.util.UUID;

/** A referral's identifier, a random UUID chosen by the gateway: it reveals nothing about the referral. */
public record ReferralId(UUID value) {
    public ReferralId {
        Objects.requireNonNull(value, "value");
    }

    public static ReferralId random() {
        return new ReferralId(UUID.randomUUID());
    }

    /** @throws GatewayException {@code referral_not_found} when the text is no UUID: no such referral exists */
    public static ReferralId parse(String text) {
        try {
            if (text.length() != 36) {
                throw new IllegalArgumentException("length");
            }
            return new ReferralId(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            throw new GatewayException(
                    ErrorCode.REFERRAL_NOT_FOUND,
                    "no referral with id '" + (text.length() > 40 ? text.substring(0, 40) + "…" : text)
                            + "' that you are party to (expected a UUID such as 0f8c2c1e-2d4b-4f4e-9a51-3c1d6f0b7a21)");
        }
    }

    /**
     * The one answer for a referral that does not exist and for one the caller is not party to: the two must
     * never be told apart.
     */
    public GatewayException notFound() {
        return new GatewayException(ErrorCode.REFERRAL_NOT_FOUND, "no referral " + this + " that you are party to");
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
