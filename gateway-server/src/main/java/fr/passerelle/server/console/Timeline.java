package fr.passerelle.server.console;

import java.util.List;
import java.util.Objects;

/**
 * What a referral's timeline page shows, in French and in its department's time: its metadata, its audit entries,
 * its copies, the notices about it and its receipts. Identifiers, codes and times only, never its content.
 *
 * @param administrator the id of the administrator who looks
 * @param referral      its metadata, as the search shows it
 * @param zone          the time zone of every time on the page, as its id (Europe/Paris, Indian/Reunion)
 */
public record Timeline(
        String administrator,
        Signalements.Line referral,
        String zone,
        List<Entry> audit,
        List<Delivery> copies,
        List<Delivery> notices,
        List<Receipt> receipts) {
    public Timeline {
        Objects.requireNonNull(administrator, "administrator");
        Objects.requireNonNull(referral, "referral");
        Objects.requireNonNull(zone, "zone");
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
     * @param kind        the notice's kind, or the empty text for a copy
     * @param nextAttempt when a worker tries again, or "—"
     * @param lastError   what the last failed attempt said, or "—"
     */
    public record Delivery(
            String kind,
            String recipient,
            String transport,
            String state,
            int attempts,
            String nextAttempt,
            String lastError,
            String createdAt) {}

    /** A receipt: who answered what, and when. */
    public record Receipt(String recipient, String status, String reason, String recordedAt) {}
}
