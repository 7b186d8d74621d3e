package fr.passerelle.core.delivery;

import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.delivery.Outbox.Claim;
import fr.passerelle.core.spi.DeliveryOutcome;
import fr.passerelle.core.spi.OutgoingDelivery;
import fr.passerelle.core.spi.Transport;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Pushes due deliveries to their partners: one thread polls the outbox (and wakes at once when a referral is
 * stored), claiming no more deliveries than it has free senders, so that nothing it holds waits in a queue; each
 * sender hands one delivery to its transport and records the outcome. A delivery whose outcome could not be
 * recorded (the database went away) keeps its lease and is attempted again once the lease ends: delivery is at
 * least once, and the delivery id lets partners drop the duplicate. A partner that keeps failing is paused by its
 * {@link CircuitBreaker}: its deliveries are not claimed meanwhile, so that it does not hold the senders.
 */
public final class DeliveryWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);
    private static final Object NUDGE = new Object();

    private final Outbox outbox;
    private final Map<String, Transport> transports;
    private final Supplier<Deployment> deployment;
    private final RetryPolicy policy;
    private final CircuitBreaker breaker;
    private final Clock clock;
    private final int senders;
    private final Duration poll;
    private final Duration lease;
    private final BiConsumer<Claim, DeliveryOutcome> observer;
    private final SecureRandom random = new SecureRandom();
    private final LinkedBlockingQueue<Object> nudges = new LinkedBlockingQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ExecutorService pool;
    private final Thread poller;
    private volatile boolean running = true;

    /**
     * @param transports the open transports, by id; read at each attempt, so that it may be a concurrent map to
     *                   which transports are added while the worker runs
     * @param deployment the current configuration: a partner's options (URL, address) are read at each attempt
     * @param senders    deliveries attempted at once
     * @param poll       how often the outbox is polled when nothing wakes the worker
     * @param lease      how long a claim is held; longer than any transport's timeout
     * @param observer   told of every outcome (metrics); must not throw
     */
    public DeliveryWorker(
            Outbox outbox,
            Map<String, Transport> transports,
            Supplier<Deployment> deployment,
            RetryPolicy policy,
            Clock clock,
            int senders,
            Duration poll,
            Duration lease,
            BiConsumer<Claim, DeliveryOutcome> observer) {
        this(
                outbox,
                transports,
                deployment,
                policy,
                CircuitBreaker.of(fr.passerelle.core.config.model.GatewaySettings.DeliverySettings.defaults(), clock),
                clock,
                senders,
                poll,
                lease,
                observer);
    }

    /**
     * As the other constructor, with the circuit breaker that pauses failing partners (its state is also read
     * by the metrics).
     */
    public DeliveryWorker(
            Outbox outbox,
            Map<String, Transport> transports,
            Supplier<Deployment> deployment,
            RetryPolicy policy,
            CircuitBreaker breaker,
            Clock clock,
            int senders,
            Duration poll,
            Duration lease,
            BiConsumer<Claim, DeliveryOutcome> observer) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        // Not copied: the gateway adds the transports that a new configuration version needs while this runs.
        this.transports = Objects.requireNonNull(transports, "transports");
        this.deployment = Objects.requireNonNull(deployment, "deployment");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.breaker = Objects.requireNonNull(breaker, "breaker");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (senders < 1) {
            throw new IllegalArgumentException("senders " + senders + " (expected: 1 or more)");
        }
        this.senders = senders;
        this.poll = Objects.requireNonNull(poll, "poll");
        this.lease = Objects.requireNonNull(lease, "lease");
        this.observer = Objects.requireNonNull(observer, "observer");
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(senders, r -> {
            Thread thread = new Thread(r, "passerelle-delivery-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.poller = new Thread(this::pollLoop, "passerelle-outbox");
        this.poller.setDaemon(true);
    }

    public DeliveryWorker start() {
        poller.start();
        return this;
    }

    /** Looks at the outbox now rather than at the next poll: a referral was just stored. */
    public void wake() {
        nudges.offer(NUDGE);
    }

    private void pollLoop() {
        while (running) {
            int free = senders - inFlight.get();
            int claimed = 0;
            if (free > 0) {
                try {
                    for (Claim claim : outbox.claim(free, lease, breaker.paused())) {
                        claimed++;
                        // A paused partner's probe was already let through in this batch: the others wait.
                        if (!running || !breaker.admit(claim.recipient())) {
                            outbox.release(claim);
                            continue;
                        }
                        inFlight.incrementAndGet();
                        pool.execute(() -> attempt(claim));
                    }
                } catch (RuntimeException e) {
                    log.warn("Cannot read the outbox ({}): trying again in {} ms", e.toString(), poll.toMillis());
                }
            }
            if (claimed == 0 || claimed == free) {
                // Nothing due, or every sender busy: wait for a new referral, a free sender or the next poll.
                try {
                    nudges.poll(poll.toMillis(), TimeUnit.MILLISECONDS);
                    nudges.clear();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void attempt(Claim claim) {
        DeliveryOutcome outcome = null;
        boolean interrupted = false;
        // Identifiers only, for the JSON log lines of this attempt (logging.format: json).
        MDC.put("partner", claim.recipient().value());
        MDC.put("referral", claim.referralId().toString());
        try {
            outcome = deliver(claim);
            // Interrupted because the worker stops: the outcome must still reach the database, whose pool refuses
            // an interrupted thread.
            interrupted = Thread.interrupted();
            observer.accept(claim, outcome);
            record(
                    claim,
                    outcome,
                    deployment
                            .get()
                            .partner(claim.recipient())
                            .map(p -> policy.forPartner(p.delivery()))
                            .orElse(policy));
        } catch (RuntimeException e) {
            log.warn(
                    "Cannot record the outcome of delivery {} of referral {} to {} ({}): it will be attempted"
                            + " again when its lease ends",
                    claim.deliveryId(),
                    claim.referralId(),
                    claim.recipient(),
                    e.toString());
        } finally {
            // Even when the outcome could not be stored, so that a probe always ends; and after the next attempt
            // was scheduled, so that a pause as long as the longest retry delay ends with every copy due.
            if (outcome != null) {
                count(claim, outcome);
            }
            MDC.remove("partner");
            MDC.remove("referral");
            inFlight.decrementAndGet();
            wake();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private DeliveryOutcome deliver(Claim claim) {
        Optional<Partner> partner = deployment.get().partner(claim.recipient());
        if (partner.isEmpty() || !partner.get().enabled()) {
            return DeliveryOutcome.retryable(
                    "partner is " + (partner.isEmpty() ? "no longer in the registry" : "disabled in the registry"));
        }
        if (!partner.get().delivery().transport().equals(claim.transport())) {
            return DeliveryOutcome.retryable("the partner's transport is now "
                    + partner.get().delivery().transport() + "; this copy was sealed for " + claim.transport());
        }
        Transport transport = transports.get(claim.transport());
        if (transport == null) {
            return DeliveryOutcome.retryable("transport " + claim.transport() + " is not open on this instance");
        }
        try {
            return transport.deliver(new OutgoingDelivery(
                    claim.deliveryId(),
                    claim.referralId(),
                    claim.recipient(),
                    claim.type(),
                    claim.urgency(),
                    partner.get().delivery().options(),
                    claim.mediaType(),
                    claim.payload(),
                    claim.attempt(),
                    claim.notice()));
        } catch (RuntimeException e) {
            // A transport must not throw; if one does, the partner is not to blame: try again later.
            log.warn("Transport {} failed on delivery {} ({})", claim.transport(), claim.deliveryId(), e.toString());
            return DeliveryOutcome.retryable("transport error " + e.getClass().getSimpleName());
        }
    }

    private void count(Claim claim, DeliveryOutcome outcome) {
        if (outcome.result() == DeliveryOutcome.Result.DELIVERED) {
            if (breaker.succeeded(claim.recipient())) {
                log.info("Resumed deliveries to {}: it took a delivery again", claim.recipient());
            }
        } else if (breaker.failed(claim.recipient())) {
            log.warn(
                    "Paused deliveries to {} on this instance for {} s: {} attempts in a row failed",
                    claim.recipient(),
                    breaker.pause().toSeconds(),
                    breaker.failures());
        }
    }

    private void record(Claim claim, DeliveryOutcome outcome, RetryPolicy policy) {
        switch (outcome.result()) {
            case DELIVERED -> {
                outbox.delivered(claim, outcome);
                log.info(
                        "Delivered referral {} to {} by {} (attempt {}: {})",
                        claim.referralId(),
                        claim.recipient(),
                        claim.transport(),
                        claim.attempt(),
                        outcome.detail());
            }
            case RETRYABLE -> {
                Instant now = clock.instant();
                Optional<Instant> next = policy.next(claim.attempt(), claim.createdAt(), now, random);
                if (!outbox.failed(claim, outcome, next)) {
                    superseded(claim, outcome);
                } else if (next.isPresent()) {
                    log.warn(
                            "Delivery of referral {} to {} by {} failed (attempt {}: {}); next attempt at {}",
                            claim.referralId(),
                            claim.recipient(),
                            claim.transport(),
                            claim.attempt(),
                            outcome.detail(),
                            next.get());
                } else {
                    log.error(
                            "Gave up delivering referral {} to {} by {} after {} attempts ({}): dead letter",
                            claim.referralId(),
                            claim.recipient(),
                            claim.transport(),
                            claim.attempt(),
                            outcome.detail());
                }
            }
            case PERMANENT -> {
                if (!outbox.failed(claim, outcome, Optional.empty())) {
                    superseded(claim, outcome);
                    return;
                }
                log.error(
                        "Delivery of referral {} to {} by {} refused for good ({}): dead letter",
                        claim.referralId(),
                        claim.recipient(),
                        claim.transport(),
                        outcome.detail());
            }
        }
    }

    /**
     * The attempt failed, but the delivery is no longer this claim's: another worker claimed it after this
     * attempt's lease ended, or it left pending meanwhile. Whoever holds it now decides.
     */
    private static void superseded(Claim claim, DeliveryOutcome outcome) {
        log.warn(
                "Delivery of referral {} to {} by {} failed (attempt {}: {}), but the delivery was claimed again"
                        + " after this attempt's lease ended, or is no longer pending: outcome not recorded (is"
                        + " delivery.lease_seconds longer than the transport's timeouts?)",
                claim.referralId(),
                claim.recipient(),
                claim.transport(),
                claim.attempt(),
                outcome.detail());
    }

    /**
     * Stops claiming and lets the deliveries in progress finish for at most {@code drain}; then interrupts those
     * still running and waits up to {@value #RECORD_GRACE_MILLIS} ms more while they record their outcome (a
     * transport answers an interrupt with a retryable outcome), so that they are due again at their next retry
     * rather than when their lease ends. One that ignores the interrupt keeps its lease and is attempted again,
     * here or by another instance, once it ends.
     */
    public void close(Duration drain) {
        running = false;
        wake();
        long deadline = System.nanoTime() + drain.toNanos();
        try {
            poller.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            pool.shutdown();
            if (!pool.awaitTermination(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                log.warn("Stopping with {} deliveries still running: interrupting them", inFlight.get());
                pool.shutdownNow();
                if (!pool.awaitTermination(RECORD_GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                    log.warn(
                            "{} deliveries did not stop: they will be attempted again when their lease ends",
                            inFlight.get());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
    }

    static final long RECORD_GRACE_MILLIS = 2000;

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
