package fr.passerelle.core.referral;

import java.util.Locale;

/**
 * What a notice tells a partner about a referral, without carrying the referral: a small JSON document of ids,
 * codes, times and states (docs/NOTICES.md), sent through the partner's own transport like a copy.
 */
public enum Notice {
    /** No recipient acknowledged the referral within its deadline: the duty partners and the sender are told. */
    ESCALATED,
    /** Nobody accepted the referral before it expired: the sender and the recipients holding a copy are told. */
    EXPIRED,
    /** An administrator cancelled the referral: the sender and the recipients holding a copy are told. */
    CANCELLED;

    /** The media type of the JSON notice document. */
    public static final String MEDIA_TYPE = "application/vnd.passerelle.notice+json";

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Notice fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }

    @Override
    public String toString() {
        return code();
    }
}
