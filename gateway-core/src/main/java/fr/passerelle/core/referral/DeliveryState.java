package fr.passerelle.core.referral;

import java.util.Locale;

/** Where one recipient's copy of a referral stands. */
public enum DeliveryState {
    PENDING,
    DELIVERED,
    RECEIVED,
    ACCEPTED,
    DECLINED,
    COMPLETED,
    FAILED,
    EXPIRED,
    CANCELLED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeliveryState fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return code();
    }
}
