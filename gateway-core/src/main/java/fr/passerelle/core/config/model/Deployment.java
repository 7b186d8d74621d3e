package fr.passerelle.core.config.model;

import fr.passerelle.core.partner.PartnerId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A whole, validated configuration: gateway settings, partner registry, routing table, the deadlines and the
 * trafficking referents of routes.yaml and the administrators ({@code config/admins/}). Immutable; a new configuration is a new object.
 */
public record Deployment(
        GatewaySettings settings,
        Map<PartnerId, Partner> partners,
        List<Route> routes,
        Map<String, Administrator> administrators,
        List<DeadlineRule> deadlines,
        List<Recipient> referents) {
    public Deployment {
        Objects.requireNonNull(settings, "settings");
        partners = Map.copyOf(partners);
        routes = List.copyOf(routes);
        administrators = Map.copyOf(administrators);
        deadlines = List.copyOf(deadlines);
        referents = List.copyOf(referents);
    }

    /**
     * A deployment without trafficking referents ({@code protection.referents} of routes.yaml: who is told, besides
     * the sender, when a removal objective is held).
     */
    public Deployment(
            GatewaySettings settings,
            Map<PartnerId, Partner> partners,
            List<Route> routes,
            Map<String, Administrator> administrators,
            List<DeadlineRule> deadlines) {
        this(settings, partners, routes, administrators, deadlines, List.of());
    }

    /** A deployment without deadlines. */
    public Deployment(
            GatewaySettings settings,
            Map<PartnerId, Partner> partners,
            List<Route> routes,
            Map<String, Administrator> administrators) {
        this(settings, partners, routes, administrators, List.of());
    }

    /** The deadline that watches referrals of this type and urgency, if any. */
    public Optional<DeadlineRule> deadline(
            fr.passerelle.core.referral.ReferralType type, fr.passerelle.core.referral.Urgency urgency) {
        return deadlines.stream().filter(d -> d.watches(type, urgency)).findFirst();
    }

    /** A deployment without administrators. */
    public Deployment(GatewaySettings settings, Map<PartnerId, Partner> partners, List<Route> routes) {
        this(settings, partners, routes, Map.of());
    }

    /** The administrator whose pinned certificate has this SHA-256 fingerprint (colon-separated hex, either case). */
    public Optional<Administrator> administratorByFingerprint(String sha256) {
        return administrators.values().stream()
                .filter(a -> a.sha256().equalsIgnoreCase(sha256))
                .findFirst();
    }

    /**
     * The quotas of partner {@code id} on the main API: its entry's {@code limits:}, else its kind's
     * {@code limits.by_kind}, else gateway.yaml's {@code limits:}, key by key. A partner no longer in the registry
     * has the quotas of its kind.
     */
    public GatewaySettings.Quotas quotas(PartnerId id) {
        return settings.limits()
                .quotasOf(id.kind(), partner(id).map(Partner::quotas).orElse(QuotaOverrides.none()));
    }

    public Optional<Partner> partner(PartnerId id) {
        return Optional.ofNullable(partners.get(id));
    }

    /**
     * The partner, enabled or not, whose pinned certificate has this SHA-256 fingerprint (colon-separated hex,
     * either case), or a previous certificate whose rotation overlap has not ended now. The caller decides what a
     * disabled partner may do.
     */
    public Optional<Partner> partnerByFingerprint(String sha256) {
        return partnerByFingerprint(sha256, Instant.now());
    }

    /**
     * As {@link #partnerByFingerprint(String)}, also finding a partner by a previous certificate whose rotation
     * overlap has not ended at {@code now}.
     */
    public Optional<Partner> partnerByFingerprint(String sha256, Instant now) {
        return partners.values().stream()
                .filter(p -> p.authenticatesWith(sha256, now))
                .findFirst();
    }

    /** Partners sorted by id, for stable listings. */
    public List<Partner> sortedPartners() {
        return List.copyOf(new TreeMap<>(partners).values());
    }
}
