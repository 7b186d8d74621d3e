package fr.passerelle.server.console;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a referral's timeline page shows, in French and in its department's time: its metadata, its audit entries,
 * its copies, the notices about it and its receipts; for an administrator, the buttons that replay its dead letters
 * and the form that cancels it. Identifiers, codes and times only, never its content.
 *
 * @param viewer   who looks, and whether the page offers the actions
 * @param referral its metadata, as the search shows it
 * @param zone     the time zone of every time on the page, as its id (Europe/Paris, Indian/Reunion)
 * @param banner   how the action just taken went, if one was
 * @param cancel   the cancellation form
 */
public record Timeline(
        Viewer viewer,
        Signalements.Line referral,
        String zone,
        Optional<Banner> banner,
        Cancel cancel,
        List<Entry> audit,
        List<Delivery> copies,
        List<Delivery> notices,
        List<Receipt> receipts) {
    public Timeline {
        Objects.requireNonNull(viewer, "viewer");
        Objects.requireNonNull(referral, "referral");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(banner, "banner");
        Objects.requireNonNull(cancel, "cancel");
        audit = List.copyOf(audit);
        copies = List.copyOf(copies);
        notices = List.copyOf(notices);
        receipts = List.copyOf(receipts);
    }

    /** An audit entry: its details are identifiers and codes, {@code key=value}, comma-separated. */
    public record Entry(String at, String actor, String action, String detail) {}

    /**
     * A copy or a notice.
     *
     * @param id          the delivery's number, which its replay names
     * @param kind        the notice's kind, or the empty text for a copy
     * @param nextAttempt when a worker tries again, or "—"
     * @param lastError   what the last failed attempt said, or "—"
     * @param replayable  whether it is a dead letter that an administrator may put back in the outbox (a pushed
     *                    delivery in state failed: an inbox has nothing to push)
     */
    public record Delivery(
            long id,
            String kind,
            String recipient,
            String transport,
            String state,
            int attempts,
            String nextAttempt,
            String lastError,
            String createdAt,
            boolean replayable) {}

    /** A receipt: who answered what, and when. */
    public record Receipt(String recipient, String status, String reason, String recordedAt) {}

    /**
     * The cancellation form.
     *
     * @param shown whether the page shows it: to an administrator, while the referral is not final
     * @param error why the last attempt was refused, in French, beside the confirmation; or empty
     */
    public record Cancel(boolean shown, String error) {
        public Cancel {
            Objects.requireNonNull(error, "error");
        }
    }
}
