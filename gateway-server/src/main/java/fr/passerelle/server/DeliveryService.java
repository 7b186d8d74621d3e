package fr.passerelle.server;

import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.delivery.CircuitBreaker;
import fr.passerelle.core.delivery.DeliveryWorker;
import fr.passerelle.core.delivery.Outbox;
import fr.passerelle.core.delivery.RetryPolicy;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.spi.DeliveryOutcome;
import fr.passerelle.server.lifecycle.Lifecycle;
import fr.passerelle.server.metrics.GatewayMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What pushes referrals to the partners: the transports their {@code delivery:} names, the outbox, the circuit
 * breaker that pauses a failing partner, and the worker that claims and sends. Closing lets the deliveries in
 * progress finish (bounded by the transports' timeouts, and the drain time); the rest wait in the outbox.
 */
final class DeliveryService {
    private final Transports transports;
    private final Outbox outbox;
    private final DeliveryWorker worker;
    private final GatewayMetrics metrics;
    private final CircuitBreaker breaker;

    private DeliveryService(
            Transports transports,
            Outbox outbox,
            DeliveryWorker worker,
            GatewayMetrics metrics,
            CircuitBreaker breaker) {
        this.transports = transports;
        this.outbox = outbox;
        this.worker = worker;
        this.metrics = metrics;
        this.breaker = breaker;
    }

    /** Opens the transports and starts the worker, each registered with {@code lifecycle}. */
    static DeliveryService start(CoreServices core, Lifecycle lifecycle, Duration drain) {
        Deployment deployment = core.live().get();
        GatewaySettings.DeliverySettings settings = core.settings().delivery();
        Clock clock = core.clock();
        GatewayMetrics metrics = core.metrics();
        Transports transports =
                lifecycle.add("transports", Transports.open(deployment, core.adapters(), System::getenv, clock));
        Outbox outbox = new Outbox(core.database().dataSource(), core.cipher(), clock);
        CircuitBreaker breaker = CircuitBreaker.of(settings, clock);
        List<PartnerId> pushed = deployment.sortedPartners().stream()
                .filter(p -> p.delivery().pushed())
                .map(Partner::id)
                .toList();
        metrics.watch(pushed);
        metrics.breakers(pushed, breaker::isOpen);
        DeliveryWorker worker = new DeliveryWorker(
                        outbox,
                        transports.open(),
                        core.live(),
                        RetryPolicy.of(settings),
                        breaker,
                        clock,
                        settings.senders(),
                        settings.poll(),
                        settings.lease(),
                        (claim, outcome) -> {
                            metrics.delivery(
                                    claim.transport(), outcome.result().name().toLowerCase(Locale.ROOT));
                            if (outcome.result() == DeliveryOutcome.Result.DELIVERED) {
                                metrics.delivered(
                                        claim.transport(), Duration.between(claim.createdAt(), clock.instant()));
                            }
                        })
                .start();
        lifecycle.add("delivery worker", () -> worker.close(drain));
        return new DeliveryService(transports, outbox, worker, metrics, breaker);
    }

    /** Looks at the outbox now rather than at the next poll: something was just stored. */
    void wake() {
        worker.wake();
    }

    /** Opens the transports that a new configuration version needs and that are not open yet. */
    void openFor(Deployment deployment) {
        transports.openFor(deployment);
    }

    /** The outbox's figures for the metrics: one grouped query, a few seconds apart, whatever the scrapes. */
    void readOutboxFigures() {
        metrics.outbox(outbox.stats());
    }

    /** The outbox's figures now, per recipient (the console's dashboard). */
    Map<PartnerId, Outbox.QueueStats> outboxFigures() {
        return outbox.stats();
    }

    /** Whether this instance pauses deliveries to {@code partner} (its circuit breaker is open). */
    boolean pausing(PartnerId partner) {
        return breaker.isOpen(partner);
    }
}
