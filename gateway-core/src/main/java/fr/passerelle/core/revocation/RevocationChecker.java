package fr.passerelle.core.revocation;

import java.math.BigInteger;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.x500.X500Principal;

/**
 * Whether a certificate was revoked: its OCSP responders are asked first, then its CRL distribution points, until
 * one gives a valid answer. An answer is kept per certificate (issuer and serial number) for {@code cacheFor}, or
 * until the answer's next update if that comes sooner; when no source answers, that is kept for
 * {@link #RETRY} at most, so that a responder that is down costs one wait and one warning per certificate and
 * period, not one per handshake.
 *
 * <p>{@link #check} blocks while it asks, until the deadline at most: call it where a thread may wait. Thread-safe.
 */
public final class RevocationChecker {
    /** How long the lack of an answer is kept, at most. */
    public static final Duration RETRY = Duration.ofSeconds(30);

    static final int MAX_KEPT = 10_000;

    private final Duration cacheFor;
    private final Clock clock;
    private final Map<Key, Kept> kept = new ConcurrentHashMap<>();

    private record Key(X500Principal issuer, BigInteger serial) {}

    private record Kept(RevocationStatus status, Instant until) {}

    /**
     * A certificate's status, and whether it came from the cache: a caller logs what it learnt, not what it is
     * reminded of.
     */
    public record Outcome(RevocationStatus status, boolean cached) {}

    /** @param cacheFor how long an answer is kept; zero keeps none */
    public RevocationChecker(Duration cacheFor, Clock clock) {
        this.cacheFor = Objects.requireNonNull(cacheFor, "cacheFor");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The status of {@code certificate}, from the cache or its sources.
     *
     * @param issuer        the certificate that issued it, whose key signs the answers
     * @param deadlineNanos when to stop asking, on {@link System#nanoTime()}
     * @return the status; {@link RevocationStatus.Result#UNCHECKED} when the certificate names no http source
     */
    public Outcome check(X509Certificate certificate, X509Certificate issuer, long deadlineNanos) {
        Key key = new Key(certificate.getIssuerX500Principal(), certificate.getSerialNumber());
        Instant now = clock.instant();
        Kept known = kept.get(key);
        if (known != null && now.isBefore(known.until())) {
            return new Outcome(known.status(), true);
        }
        return new Outcome(ask(key, certificate, issuer, now, deadlineNanos), false);
    }

    private RevocationStatus ask(
            Key key, X509Certificate certificate, X509Certificate issuer, Instant now, long deadlineNanos) {
        Sources sources;
        try {
            sources = Sources.of(certificate);
        } catch (IllegalArgumentException e) {
            return keep(
                    key,
                    RevocationStatus.unavailable(
                            "none", "the certificate's revocation sources cannot be read (" + e.getMessage() + ")"),
                    now,
                    Optional.empty());
        }
        if (sources.isEmpty()) {
            return keep(key, RevocationStatus.unchecked(), now, Optional.empty());
        }
        List<String> failures = new ArrayList<>();
        for (URI responder : sources.ocsp()) {
            Answer answer = OcspQuery.ask(responder, certificate, issuer, now, deadlineNanos);
            if (answer.definitive()) {
                return keep(key, answer.status(), now, answer.nextUpdate());
            }
            failures.add(answer.status().detail());
        }
        for (URI point : sources.crl()) {
            Answer answer = CrlQuery.ask(point, certificate, issuer, now, deadlineNanos);
            if (answer.definitive()) {
                return keep(key, answer.status(), now, answer.nextUpdate());
            }
            failures.add(answer.status().detail());
        }
        String first = sources.ocsp().isEmpty()
                ? "CRL " + sources.crl().get(0)
                : "OCSP " + sources.ocsp().get(0);
        return keep(key, RevocationStatus.unavailable(first, String.join("; ", failures)), now, Optional.empty());
    }

    private RevocationStatus keep(Key key, RevocationStatus status, Instant now, Optional<Instant> nextUpdate) {
        Duration period = status.result() == RevocationStatus.Result.UNAVAILABLE
                ? (cacheFor.compareTo(RETRY) < 0 ? cacheFor : RETRY)
                : cacheFor;
        Instant until = now.plus(period);
        if (nextUpdate.isPresent() && nextUpdate.get().isBefore(until)) {
            until = nextUpdate.get();
        }
        if (until.isAfter(now)) {
            if (kept.size() >= MAX_KEPT) {
                kept.values().removeIf(k -> !now.isBefore(k.until()));
                if (kept.size() >= MAX_KEPT) {
                    kept.clear();
                }
            }
            kept.put(key, new Kept(status, until));
        }
        return status;
    }
}
