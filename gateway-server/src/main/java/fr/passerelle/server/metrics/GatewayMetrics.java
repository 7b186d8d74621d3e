package fr.passerelle.server.metrics;

import fr.passerelle.core.delivery.Outbox.QueueStats;
import fr.passerelle.core.partner.PartnerId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The gateway's metrics in Prometheus format. Labels hold operations, statuses, types, transports, outcomes and
 * partner ids (an organisation, never a person) only: never a referral id, a partner's payload or anything about
 * a person.
 *
 * <p>The outbox's figures are read from the database by the gateway's housekeeping ({@link #outbox(Map)}), not
 * at each scrape, so that {@code /metrics} stays cheap however often it is read. Thread-safe.
 */
public final class GatewayMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Clock clock;
    private volatile Map<PartnerId, QueueStats> outbox = Map.of();
    private final Set<PartnerId> outboxGauges = ConcurrentHashMap.newKeySet();
    private final Set<PartnerId> breakerGauges = ConcurrentHashMap.newKeySet();
    private volatile long purgeOverdue;
    private volatile Instant purgeOldestDueAt;
    private volatile Map<String, Instant> certificates = Map.of();
    private final Set<String> certificateGauges = ConcurrentHashMap.newKeySet();
    private volatile Instant treeHeadSignedAt;
    private volatile boolean sequencing;
    private final Timer mergeDelay;
    private final Counter escalations;
    private final Counter expirations;

    public GatewayMetrics() {
        this(Clock.systemUTC());
    }

    /** @param clock what the age of the oldest waiting delivery is measured with */
    public GatewayMetrics(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        Gauge.builder("passerelle.purge.overdue", this, m -> m.purgeOverdue)
                .description("referrals whose retention ran out and whose content is not erased yet")
                .register(registry);
        Gauge.builder("passerelle.purge.oldest.overdue", this, GatewayMetrics::oldestOverdueSeconds)
                .description("how long ago the oldest overdue referral fell due")
                .baseUnit("seconds")
                .register(registry);
        // At zero from the start, so that an alert on their increase sees the first one.
        escalations = Counter.builder("passerelle.deadline.escalations")
                .description("Referrals escalated because a deadline of routes.yaml passed unanswered")
                .register(registry);
        expirations = Counter.builder("passerelle.deadline.expirations")
                .description("Referrals that expired unanswered")
                .register(registry);
        Gauge.builder("passerelle.audit.tree.head.age", this, GatewayMetrics::treeHeadAgeSeconds)
                .description("how long ago the audit log's latest tree head was signed; -1 before the first")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder("passerelle.audit.sequencer.leader", this, m -> m.sequencing ? 1 : 0)
                .description("1 when this instance numbers the audit log (holds the sequencer's lock), else 0")
                .register(registry);
        mergeDelay = Timer.builder("passerelle.audit.merge.delay")
                .description("Per batch of the audit sequencer, the longest wait of its entries for a signed tree"
                        + " head (the promise is audit.max_merge_delay_ms)")
                .register(registry);
    }

    /** Whether this instance's sequencer leads now. */
    public void sequencing(boolean leading) {
        sequencing = leading;
    }

    /** A batch the sequencer numbered: its entries waited at most {@code maxWait} for their tree head. */
    public void sequenced(int entries, Duration maxWait) {
        sequencing = true;
        if (entries > 0) {
            mergeDelay.record(maxWait);
        }
    }

    /** When the audit log's latest signed tree head was signed, as the database has it. */
    public void treeHead(java.util.Optional<Instant> signedAt) {
        treeHeadSignedAt = signedAt.orElse(null);
    }

    private double treeHeadAgeSeconds() {
        Instant signed = treeHeadSignedAt;
        return signed == null ? -1 : Duration.between(signed, clock.instant()).toMillis() / 1000.0;
    }

    /**
     * The expiry of each certificate the gateway relies on, by name: {@code gateway-tls}, {@code gateway-signing}
     * and each partner's id; a name no longer given keeps its last value until restart.
     */
    public void certificates(Map<String, Instant> notAfter) {
        certificates = Map.copyOf(notAfter);
        for (String name : notAfter.keySet()) {
            if (certificateGauges.add(name)) {
                Gauge.builder("passerelle.certificate.expiry", this, m -> m.secondsUntilExpiry(name))
                        .description("Time left before the certificate expires (negative once expired), by"
                                + " certificate: the gateway's own, or a partner's id")
                        .baseUnit("seconds")
                        .tag("certificate", name)
                        .register(registry);
            }
        }
    }

    private double secondsUntilExpiry(String name) {
        Instant notAfter = certificates.get(name);
        return notAfter == null
                ? Double.NaN
                : Duration.between(clock.instant(), notAfter).toSeconds();
    }

    /** What one run of the deadline watch did: referrals escalated to their recipients' referents, and expired. */
    public void deadlines(int escalated, int expired) {
        escalations.increment(escalated);
        expirations.increment(expired);
    }

    /** The purge's latest figures: referrals past due, and when the oldest of them fell due. */
    public void purge(long overdue, java.util.Optional<Instant> oldestDueAt) {
        purgeOverdue = overdue;
        purgeOldestDueAt = oldestDueAt.orElse(null);
    }

    private double oldestOverdueSeconds() {
        Instant oldest = purgeOldestDueAt;
        return oldest == null
                ? 0
                : Math.max(0, Duration.between(oldest, clock.instant()).toSeconds());
    }

    public void request(String operation, int status, long nanos) {
        Timer.builder("passerelle.http.requests")
                .description("HTTP requests by operation and status")
                .tag("operation", operation)
                .tag("status", Integer.toString(status))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A request refused because the partner spent a quota: {@code requests}, {@code submissions} or {@code daily}. */
    public void rateLimited(PartnerId partner, String limit) {
        Counter.builder("passerelle.rate.limited")
                .description("Requests refused with 429 by partner and spent quota")
                .tag("partner", partner.value())
                .tag("limit", limit)
                .register(registry)
                .increment();
    }

    /** The partner's submissions so far today (UTC), against its daily quota. */
    public void watchSubmissionsToday(PartnerId partner, java.util.function.LongSupplier today) {
        Gauge.builder("passerelle.submissions.today", today, LongSupplierValue::of)
                .description("Submissions so far today (UTC), by partner")
                .strongReference(true)
                .tag("partner", partner.value())
                .register(registry);
    }

    private static final class LongSupplierValue {
        static double of(java.util.function.LongSupplier supplier) {
            return supplier.getAsLong();
        }
    }

    /** Shows the open connections of the main API, counted from the TCP accept (before authentication). */
    public void watchOpenConnections(java.util.function.IntSupplier open) {
        Gauge.builder("passerelle.connections.open", open, IntSupplierValue::of)
                .description("Connections open on the main API, authenticated or not")
                .strongReference(true)
                .register(registry);
    }

    private static final class IntSupplierValue {
        static double of(java.util.function.IntSupplier supplier) {
            return supplier.getAsInt();
        }
    }

    /** A connection closed at once because a cap was reached: {@code total} or {@code per-address}. */
    public void connectionRefused(String reason) {
        connectionsRefused(reason).increment();
    }

    /** Shows these refusal reasons at zero until the first refusal. */
    public void showConnectionRefusalReasons(Collection<String> reasons) {
        reasons.forEach(this::connectionsRefused);
    }

    private Counter connectionsRefused(String reason) {
        return Counter.builder("passerelle.connections.refused")
                .description("Connections closed at once, before the TLS handshake, because a cap was reached,"
                        + " by cap (total or per-address)")
                .tag("reason", reason)
                .register(registry);
    }

    /** A TLS handshake on the main API that failed, by reason ({@code no-client-certificate}, {@code timeout}...). */
    public void handshakeFailed(String reason) {
        handshakeFailures(reason).increment();
    }

    /** Shows these handshake failure reasons at zero until the first failure. */
    public void showHandshakeFailureReasons(Collection<String> reasons) {
        reasons.forEach(this::handshakeFailures);
    }

    private Counter handshakeFailures(String reason) {
        return Counter.builder("passerelle.tls.handshake.failures")
                .description("Failed TLS handshakes on the main API, by reason")
                .tag("reason", reason)
                .register(registry);
    }

    /**
     * A client certificate's revocation checked at a handshake, by result: {@code good}, {@code revoked},
     * {@code unavailable} (no source answered) or {@code unchecked} (the certificate names no source).
     */
    public void revocationChecked(String result) {
        revocationChecks(result).increment();
    }

    /** Shows these revocation results at zero until the first check. */
    public void showRevocationResults(Collection<String> results) {
        results.forEach(this::revocationChecks);
    }

    private Counter revocationChecks(String result) {
        return Counter.builder("passerelle.revocation.checks")
                .description("Revocation checks of client certificates at the main API's handshakes, by result")
                .tag("result", result)
                .register(registry);
    }

    public void submission(String type, String outcome) {
        Counter.builder("passerelle.submissions")
                .description("Referral submissions by type and outcome")
                .tag("type", type)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    /** One attempt to push a delivery, by transport and outcome (delivered, retryable, permanent). */
    public void delivery(String transport, String outcome) {
        Counter.builder("passerelle.deliveries")
                .description("Attempts to push deliveries, by transport and outcome")
                .tag("transport", transport)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    /**
     * A delivery handed over to its partner, {@code latency} after the referral was sealed for it (so retries and
     * pauses count), by transport.
     */
    public void delivered(String transport, Duration latency) {
        Timer.builder("passerelle.delivery.latency")
                .description("Time from sealing a pushed delivery to its partner taking it, by transport")
                .tag("transport", transport)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofHours(48))
                .register(registry)
                .record(latency.isNegative() ? Duration.ZERO : latency);
    }

    /**
     * The outbox's latest figures, per recipient: pushed deliveries waiting, the age of the oldest, dead letters.
     * A partner shown once stays shown, at zero when it has nothing waiting.
     */
    public void outbox(Map<PartnerId, QueueStats> stats) {
        outbox = Map.copyOf(stats);
        watch(stats.keySet());
    }

    /** Shows the outbox's figures of these partners (at zero until they have some): the pushed ones. */
    public void watch(Collection<PartnerId> partners) {
        for (PartnerId partner : partners) {
            if (!outboxGauges.add(partner)) {
                continue;
            }
            Gauge.builder("passerelle.outbox.pending", this, m -> m.stats(partner)
                            .pending())
                    .description("Pushed deliveries not yet taken by their partner nor given up, by partner")
                    .tag("partner", partner.value())
                    .register(registry);
            Gauge.builder("passerelle.outbox.oldest.age", this, m -> m.oldestAgeSeconds(partner))
                    .description("Age of the oldest pushed delivery still waiting, by partner; 0 when none waits")
                    .baseUnit("seconds")
                    .tag("partner", partner.value())
                    .register(registry);
            Gauge.builder("passerelle.outbox.dead.letters", this, m -> m.stats(partner)
                            .failed())
                    .description("Deliveries given up (state failed), waiting for an administrator, by partner")
                    .tag("partner", partner.value())
                    .register(registry);
        }
    }

    /** Shows whether each partner's circuit breaker is open (1: paused on this instance) or closed (0). */
    public void breakers(Collection<PartnerId> partners, Predicate<PartnerId> open) {
        for (PartnerId partner : partners) {
            if (breakerGauges.add(partner)) {
                Gauge.builder("passerelle.delivery.breaker.open", open, o -> o.test(partner) ? 1 : 0)
                        .description("1 while this instance pauses deliveries to the partner (circuit breaker"
                                + " open), else 0")
                        .tag("partner", partner.value())
                        // A gauge holds its object weakly: the predicate is referenced from nowhere else.
                        .strongReference(true)
                        .register(registry);
            }
        }
    }

    private QueueStats stats(PartnerId partner) {
        QueueStats stats = outbox.get(partner);
        return stats != null ? stats : new QueueStats(partner, 0, java.util.Optional.empty(), 0);
    }

    private double oldestAgeSeconds(PartnerId partner) {
        return stats(partner)
                .oldestPending()
                .map(oldest ->
                        Math.max(0, Duration.between(oldest, Instant.now(clock)).toMillis() / 1000.0))
                .orElse(0.0);
    }

    public String scrape() {
        return registry.scrape();
    }
}
