package fr.passerelle.server.console;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the dashboard shows, already in French and in Paris time: the template only places it. Identifiers and
 * figures only, no personal data.
 *
 * @param viewer      who looks, and whether the page offers the verification of the audit log
 * @param generatedAt when the figures were read
 * @param banner      how the verification just run went, if one was
 * @param partners    every partner, in id order
 * @param expiring    the partners' certificates that expire within 30 days, or have expired
 * @param activity    the referrals of the administrator's data domains this week, the deadlines and escalations
 * @param audit       the audit log's latest signed tree head and last verification
 */
public record Dashboard(
        Viewer viewer,
        String generatedAt,
        Optional<Banner> banner,
        List<PartnerLine> partners,
        List<Expiry> expiring,
        Activity activity,
        Audit audit) {
    public Dashboard {
        Objects.requireNonNull(viewer, "viewer");
        Objects.requireNonNull(generatedAt, "generatedAt");
        Objects.requireNonNull(banner, "banner");
        partners = List.copyOf(partners);
        expiring = List.copyOf(expiring);
        Objects.requireNonNull(activity, "activity");
        Objects.requireNonNull(audit, "audit");
    }

    /**
     * One partner's deliveries.
     *
     * @param oldestPending when the oldest pending delivery was created, or "—"
     * @param breaker       the circuit breaker's state in French, or "—" for a partner that pulls its inbox
     */
    public record PartnerLine(
            String id,
            String name,
            String kind,
            boolean enabled,
            long pending,
            String oldestPending,
            long deadLetters,
            String breaker,
            boolean breakerOpen) {}

    /** A certificate that expires soon: the partner, the date and, in words, how far away it is. */
    public record Expiry(String partner, String date, String when, boolean expired) {}

    /**
     * The referrals of the administrator's data domains.
     *
     * @param day       today, in words ("jeudi 3 décembre")
     * @param weekStart the Monday the week started, in words
     * @param states    the states that a referral of the week has, in the order of a referral's life
     * @param dueSoon   the referrals whose deadline passes within the next 24 hours
     * @param escalated the referrals escalated in the last 7 days
     */
    public record Activity(
            String day,
            String weekStart,
            List<StateLine> states,
            long today,
            long week,
            Watch dueSoon,
            Watch escalated) {
        public Activity {
            Objects.requireNonNull(day, "day");
            Objects.requireNonNull(weekStart, "weekStart");
            states = List.copyOf(states);
            Objects.requireNonNull(dueSoon, "dueSoon");
            Objects.requireNonNull(escalated, "escalated");
        }
    }

    /** How many referrals of today, and of the week, are in a state ({@code label}, in French). */
    public record StateLine(String code, String label, long today, long week) {}

    /** A count of referrals, and the first few of them. */
    public record Watch(long count, List<ReferralLink> first) {
        public Watch {
            first = List.copyOf(first);
        }
    }

    /**
     * A referral to open: its timeline's path, its short id, when, and what.
     *
     * @param what what happens or happened then, in French ("accusé de réception attendu")
     */
    public record ReferralLink(String path, String id, String shortId, String when, String what) {}

    /**
     * The audit log.
     *
     * @param head      the latest signed tree head, if one was signed
     * @param lastCheck the last verification an administrator ran, if any
     */
    public record Audit(Optional<Head> head, Optional<Check> lastCheck) {
        public Audit {
            Objects.requireNonNull(head, "head");
            Objects.requireNonNull(lastCheck, "lastCheck");
        }
    }

    /** A signed tree head: its size, the start of its root hash, when it was signed. */
    public record Head(long size, String root, String signedAt) {}

    /** A verification: when, by whom, its verdict, and what it covered. */
    public record Check(String at, String by, boolean ok, long entries, int treeHeads) {}
}
