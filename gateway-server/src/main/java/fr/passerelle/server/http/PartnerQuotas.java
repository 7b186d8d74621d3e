package fr.passerelle.server.http;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.GatewaySettings.Quotas;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.server.metrics.GatewayMetrics;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each partner's quotas on the main API: a token bucket for its requests, another for its submissions, and a
 * count of its submissions per day (UTC). The quotas are asked for at each request, so that a new configuration
 * version applies to a partner from its next request: its buckets and its day's count go on from where they are,
 * only their rates and sizes change (a bucket over its new size is cut down to it), and the other partners are not
 * touched. Thread-safe; one entry per authenticated partner, so bounded by the registry.
 */
public final class PartnerQuotas {
    private static final Logger log = LoggerFactory.getLogger(PartnerQuotas.class);
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Function<PartnerId, Quotas> quotasOf;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final GatewayMetrics metrics;
    private final Map<PartnerId, State> states = new ConcurrentHashMap<>();

    /**
     * @param quotasOf each partner's quotas as the running configuration resolves them, such as
     *                 {@code id -> live.get().quotas(id)}; called on the event loop, so it must not block
     */
    public PartnerQuotas(Function<PartnerId, Quotas> quotasOf, GatewayMetrics metrics) {
        this(quotasOf, Clock.systemUTC(), System::nanoTime, metrics);
    }

    PartnerQuotas(Function<PartnerId, Quotas> quotasOf, Clock clock, LongSupplier nanoTime, GatewayMetrics metrics) {
        this.quotasOf = quotasOf;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.metrics = metrics;
    }

    /**
     * Takes one request, and one submission when {@code submission}, from the partner's quotas.
     *
     * @return the refusal when a quota is spent (nothing is taken then), empty otherwise
     */
    public Optional<Refusal> take(PartnerId partner, boolean submission) {
        State state = states.computeIfAbsent(partner, p -> new State(metrics, p));
        Quotas quotas = quotasOf.apply(partner);
        long now = nanoTime.getAsLong();
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        synchronized (state) {
            state.requests.refill(now, quotas.requestsPerSecond(), quotas.requestBurst());
            state.submissions.refill(now, quotas.submissionsPerSecond(), quotas.submissionBurst());
            if (!today.equals(state.day)) {
                state.day = today;
                state.today = 0;
                state.warned = false;
            } else if (state.warned && state.today * 5 < quotas.submissionsPerDay() * 4L) {
                // The day's quota was raised past its 80 % since the warning: warn again when that is reached.
                state.warned = false;
            }
            if (state.requests.tokens < 1) {
                return refuse(
                        partner,
                        "requests",
                        quotas.requestsPerSecond() + " requests per second, burst " + quotas.requestBurst(),
                        state.requests.secondsToOne(quotas.requestsPerSecond()));
            }
            if (submission && state.today >= quotas.submissionsPerDay()) {
                long untilMidnight = clock.instant()
                                .until(
                                        today.plusDays(1)
                                                .atStartOfDay(ZoneOffset.UTC)
                                                .toInstant(),
                                        java.time.temporal.ChronoUnit.SECONDS)
                        + 1;
                return refuse(
                        partner, "daily", quotas.submissionsPerDay() + " submissions per day (UTC)", untilMidnight);
            }
            if (submission && state.submissions.tokens < 1) {
                return refuse(
                        partner,
                        "submissions",
                        quotas.submissionsPerSecond() + " submissions per second," + " burst "
                                + quotas.submissionBurst(),
                        state.submissions.secondsToOne(quotas.submissionsPerSecond()));
            }
            state.requests.tokens -= 1;
            if (submission) {
                state.submissions.tokens -= 1;
                state.today++;
                if (!state.warned && state.today * 5 >= quotas.submissionsPerDay() * 4L) {
                    state.warned = true;
                    log.warn(
                            "Partner {} has made {} of its {} submissions for {} (80 %)",
                            partner, state.today, quotas.submissionsPerDay(), today);
                }
            }
            return Optional.empty();
        }
    }

    private Optional<Refusal> refuse(PartnerId partner, String limit, String description, long retryAfterSeconds) {
        metrics.rateLimited(partner, limit);
        return Optional.of(new Refusal(
                new GatewayException(
                        ErrorCode.RATE_LIMITED,
                        "partner " + partner + " is over its quota of " + description + "; retry in "
                                + retryAfterSeconds + " s"),
                retryAfterSeconds));
    }

    /**
     * A spent quota: answered {@code 429} with {@code Retry-After}.
     *
     * @param retryAfterSeconds whole seconds, at least 1
     */
    public record Refusal(GatewayException error, long retryAfterSeconds) {}

    private static final class State {
        final Bucket requests = new Bucket();
        final Bucket submissions = new Bucket();
        LocalDate day;
        long today;
        boolean warned;

        State(GatewayMetrics metrics, PartnerId partner) {
            metrics.watchSubmissionsToday(partner, () -> {
                synchronized (this) {
                    return today;
                }
            });
        }
    }

    /** Tokens refill continuously at the rate, up to the burst; a new bucket is full. */
    private static final class Bucket {
        double tokens = -1;
        long last;

        void refill(long now, int perSecond, int burst) {
            if (tokens < 0) {
                tokens = burst;
            } else {
                tokens = Math.min(burst, tokens + (double) (now - last) * perSecond / NANOS_PER_SECOND);
            }
            last = now;
        }

        long secondsToOne(int perSecond) {
            return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
        }
    }
}
