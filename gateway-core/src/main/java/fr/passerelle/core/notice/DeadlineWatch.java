package fr.passerelle.core.notice;

import fr.passerelle.core.config.model.DeadlineRule;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.Notice;
import fr.passerelle.core.routing.Router;
import fr.passerelle.core.store.NewNotice;
import fr.passerelle.core.store.OpenReferral;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the deadlines of routes.yaml: a referral that no recipient acknowledged in time, or that every recipient
 * declined for lack of places ({@code no-capacity}), is escalated (its duty partners and its sender get an
 * {@code escalated} notice with its {@link EscalationCause}, once), one that nobody accepted before it expired ends as
 * {@code expired} (its sender and the recipients holding a copy get an {@code expired} notice). Each run handles
 * what is due at the clock's time; several instances may run it at once: each referral changes once.
 */
public final class DeadlineWatch {
    private static final Logger log = LoggerFactory.getLogger(DeadlineWatch.class);
    /** Referrals handled per rule and run: a backlog drains over a few runs rather than in one long one. */
    static final int BATCH = 100;

    private final Supplier<Deployment> deployment;
    private final Notices store;
    private final NoticeWriter writer;
    private final Clock clock;
    private final Runnable stored;

    /** @param stored told after notices were stored, so that the delivery worker pushes them at once */
    public DeadlineWatch(
            Supplier<Deployment> deployment, Notices store, NoticeWriter writer, Clock clock, Runnable stored) {
        this.deployment = Objects.requireNonNull(deployment, "deployment");
        this.store = Objects.requireNonNull(store, "store");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.stored = Objects.requireNonNull(stored, "stored");
    }

    /** What one run changed. */
    public record Result(int escalated, int expired) {}

    /** Escalates and expires what is due now. */
    public Result run() {
        Deployment current = deployment.get();
        Instant now = clock.instant();
        int escalated = 0;
        int expired = 0;
        for (DeadlineRule rule : current.deadlines()) {
            if (rule.acknowledgeWithin().isPresent()) {
                Duration within = rule.acknowledgeWithin().get();
                for (OpenReferral referral :
                        store.unacknowledged(rule.type(), rule.urgencies(), now.minus(within), BATCH)) {
                    escalated += escalate(current, rule, referral, EscalationCause.UNACKNOWLEDGED) ? 1 : 0;
                }
                // A decline for lack of places leaves the person without a solution as surely as silence does;
                // one older than the rule's expiry would have ended by now: it is not raised again.
                Instant after = rule.expireAfter().map(now::minus).orElse(Instant.EPOCH);
                for (OpenReferral referral :
                        store.declinedForLackOfPlaces(rule.type(), rule.urgencies(), after, BATCH)) {
                    escalated += escalate(current, rule, referral, EscalationCause.NO_CAPACITY) ? 1 : 0;
                }
            }
            if (rule.expireAfter().isPresent()) {
                Duration after = rule.expireAfter().get();
                for (OpenReferral referral : store.unaccepted(rule.type(), rule.urgencies(), now.minus(after), BATCH)) {
                    expired += expire(current, rule, referral, after) ? 1 : 0;
                }
            }
        }
        if (escalated + expired > 0) {
            stored.run();
        }
        return new Result(escalated, expired);
    }

    private boolean escalate(Deployment current, DeadlineRule rule, OpenReferral referral, EscalationCause cause) {
        List<Partner> duty =
                new Router(current, clock).reach(rule.escalateTo(), referral.sender(), referral.department());
        if (duty.isEmpty()) {
            log.warn(
                    "Referral {} ({}, department {}) is to be escalated ({}), and no duty partner of"
                            + " deadline {} serves department {}: only its sender is told",
                    referral.id(),
                    referral.type(),
                    referral.department(),
                    cause,
                    rule.name(),
                    referral.department());
        }
        List<Partner> told = new ArrayList<>(duty);
        NoticeWriter.enabled(current, referral.sender()).ifPresent(told::add);
        List<PartnerId> all = told.stream().map(Partner::id).toList();
        // Silence overtook a deadline; a decline for lack of places did not: its notice names no deadline.
        Optional<Duration> deadline =
                cause == EscalationCause.UNACKNOWLEDGED ? rule.acknowledgeWithin() : Optional.empty();
        List<NewNotice> notices =
                writer.write(Notice.ESCALATED, referral, told, all, deadline, partner -> Map.of("cause", cause.code()));
        boolean done = store.escalate(referral.id(), rule.name(), cause, notices);
        if (done) {
            log.warn(
                    "Referral {} ({} {}, department {}) escalated to {}: {}",
                    referral.id(),
                    referral.urgency(),
                    referral.type(),
                    referral.department(),
                    all,
                    cause == EscalationCause.UNACKNOWLEDGED
                            ? "not acknowledged within "
                                    + rule.acknowledgeWithin().orElseThrow()
                            : "every recipient declined it for lack of places");
        }
        return done;
    }

    private boolean expire(Deployment current, DeadlineRule rule, OpenReferral referral, Duration after) {
        List<NewNotice> notices = writer.write(
                Notice.EXPIRED,
                referral,
                NoticeWriter.senderAndHolders(current, referral),
                List.of(referral.sender()),
                Optional.of(after));
        boolean done = store.expire(referral.id(), rule.name(), notices);
        if (done) {
            log.info(
                    "Referral {} ({} {}, department {}) accepted by nobody within {}: expired",
                    referral.id(),
                    referral.urgency(),
                    referral.type(),
                    referral.department(),
                    after);
        }
        return done;
    }
}
