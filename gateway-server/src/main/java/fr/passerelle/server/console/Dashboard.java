package fr.passerelle.server.console;

import java.util.List;
import java.util.Objects;

/**
 * What the dashboard shows, already in French and in Paris time: the template only places it. Identifiers and
 * figures only, no personal data.
 *
 * @param administrator the id of the administrator who looks
 * @param role          the administrator's role, in French
 * @param generatedAt   when the figures were read
 * @param partners      every partner, in id order
 * @param expiring      the partners' certificates that expire within 30 days, or have expired
 */
public record Dashboard(
        String administrator,
        String role,
        String generatedAt,
        List<PartnerLine> partners,
        List<Expiry> expiring,
        String csrf) {
    public Dashboard {
        Objects.requireNonNull(administrator, "administrator");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(generatedAt, "generatedAt");
        partners = List.copyOf(partners);
        expiring = List.copyOf(expiring);
        Objects.requireNonNull(csrf, "csrf");
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
}
