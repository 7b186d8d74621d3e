package fr.passerelle.core.notice;

import fr.passerelle.core.referral.DeclineReason;
import java.util.List;
import java.util.Locale;

/**
 * Why a referral is escalated: the {@code cause} of an {@code escalated} notice (docs/NOTICES.md). Either way the
 * duty partners of its deadline and its sender are told, once.
 */
public enum EscalationCause {
    /** No recipient acknowledged it within its deadline's {@code acknowledge_within}. */
    UNACKNOWLEDGED(List.of("routed", "delivered")),
    /**
     * Every recipient declined it for lack of places ({@link DeclineReason#NO_CAPACITY}): nobody will shelter the
     * person, which is as urgent as silence, so it is escalated at once rather than ending quietly.
     */
    NO_CAPACITY(List.of("declined"));

    /** The referral statuses it is escalated from: it changes only while it still stands so. */
    private final List<String> statuses;

    EscalationCause(List<String> statuses) {
        this.statuses = statuses;
    }

    List<String> statuses() {
        return statuses;
    }

    /** The wire code, such as {@code no-capacity}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String toString() {
        return code();
    }
}
