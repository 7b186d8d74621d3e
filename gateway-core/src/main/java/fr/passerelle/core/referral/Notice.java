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
    CANCELLED,
    /**
     * The gateway holds a removal objective about a person whom the protection register protects: the sending
     * prefecture, the prefecture's trafficking referent and the partners that carried the protection are told, with
     * the reason code (docs/PROTECTION.md).
     */
    HELD,
    /** An administrator released a held removal objective: its sender and the referents are told. */
    RELEASED,
    /** Day 25 of a reflection period: the partners that received the prefecture's decision are reminded. */
    REFLECTION_PERIOD_ENDING,
    /** A residence card expires within 60 days: the partners that received the prefecture's decision are reminded. */
    PERMIT_EXPIRING,
    /**
     * An exit-pathway term ends within 45 days: the partners that received the prefect's decision are reminded, so
     * that the association presents the renewal to the commission in time (CASF L.121-9).
     */
    EXIT_PATHWAY_ENDING,
    /**
     * The person withdrew the consent the referral rested on: every recipient that holds a copy is told to delete
     * it, and the gateway has purged its own copies (docs/CONSENT.md).
     */
    CONSENT_WITHDRAWN;

    /** The media type of the JSON notice document. */
    public static final String MEDIA_TYPE = "application/vnd.passerelle.notice+json";

    /** The wire code: the name in lower case with hyphens, such as {@code reflection-period-ending}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Notice fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    @Override
    public String toString() {
        return code();
    }
}
