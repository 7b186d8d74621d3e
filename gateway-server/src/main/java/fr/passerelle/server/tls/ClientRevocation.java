package fr.passerelle.server.tls;

import fr.passerelle.core.config.model.GatewaySettings.RevocationSettings;
import fr.passerelle.core.config.model.GatewaySettings.RevocationSettings.Mode;
import fr.passerelle.core.crypto.Fingerprints;
import fr.passerelle.core.revocation.RevocationChecker;
import fr.passerelle.core.revocation.RevocationStatus;
import fr.passerelle.server.metrics.GatewayMetrics;
import io.netty.util.concurrent.ImmediateExecutor;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main API's check that a client certificate (a partner's or an administrator's) was not revoked, as
 * {@code revocation:} in gateway.yaml sets it, after the certificate chained to the client CA. Each certificate of
 * the chain below its trust anchor is checked; a revoked one fails the handshake, and so does one whose status
 * cannot be obtained in {@code hard-fail}; in {@code soft-fail} that one is accepted with a warning. Every check is
 * counted on {@code passerelle_revocation_checks_total{result}}; a line names the certificate by its fingerprint.
 *
 * <p>A check may wait for a responder, up to {@code timeout_seconds}: when on, the TLS engine's delegated tasks
 * (where the JDK checks the client's certificate) run on {@link #handshakeTasks()}, a bounded pool, never on an
 * event loop. When off, nothing changes: no pool, no check. Thread-safe.
 */
public final class ClientRevocation implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClientRevocation.class);
    static final int HANDSHAKE_THREADS = 16;
    static final int HANDSHAKE_QUEUE = 1024;

    private final RevocationSettings settings;
    private final RevocationChecker checker;
    private final GatewayMetrics metrics;
    private final Optional<ThreadPoolExecutor> handshakeTasks;

    private ClientRevocation(RevocationSettings settings, GatewayMetrics metrics, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.checker = new RevocationChecker(settings.cacheFor(), clock);
        this.handshakeTasks = enabled() ? Optional.of(pool()) : Optional.empty();
        if (enabled()) {
            metrics.showRevocationResults(Arrays.stream(RevocationStatus.Result.values())
                    .map(ClientRevocation::label)
                    .toList());
        }
    }

    /** Checks as {@code settings} say; its pool, when on, ends with {@link #close()}. */
    public static ClientRevocation start(RevocationSettings settings, GatewayMetrics metrics, Clock clock) {
        return new ClientRevocation(settings, metrics, clock);
    }

    public boolean enabled() {
        return settings.mode() != Mode.OFF;
    }

    /**
     * How long a TLS session may be resumed: a resumption presents no certificate, so it may last no longer than
     * an answer is kept ({@code cache_seconds}, 1 s at least, since the JDK reads 0 as no limit).
     */
    Duration sessionLifetime() {
        return settings.cacheFor().compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : settings.cacheFor();
    }

    /** Where a TLS handler runs its engine's delegated tasks: the bounded pool when on, else the event loop. */
    public Executor handshakeTasks() {
        return handshakeTasks.<Executor>map(p -> p).orElse(ImmediateExecutor.INSTANCE);
    }

    /**
     * Checks the certificates of {@code chain} (leaf first) that are not among {@code anchors}, each with its
     * issuer's key, all within the timeout.
     *
     * @throws CertificateException whose cause is a {@link CertPathValidatorException} of reason {@code REVOKED},
     *                              or {@code UNDETERMINED_REVOCATION_STATUS} in hard-fail
     */
    void verify(X509Certificate[] chain, List<X509Certificate> anchors) throws CertificateException {
        if (!enabled()) {
            return;
        }
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        for (int i = 0; i < chain.length && !anchors.contains(chain[i]); i++) {
            X509Certificate certificate = chain[i];
            Optional<X509Certificate> issuer = issuerOf(certificate, chain, i, anchors);
            if (issuer.isEmpty()) {
                // The trust manager built its path from these same certificates: never seen, never accepted unseen.
                throw refusal(
                        "no issuer of client certificate " + Fingerprints.sha256(certificate)
                                + " among its chain and the client CA",
                        CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS);
            }
            RevocationChecker.Outcome outcome = checker.check(certificate, issuer.get(), deadline);
            judge(certificate, outcome);
        }
    }

    private void judge(X509Certificate certificate, RevocationChecker.Outcome outcome) throws CertificateException {
        RevocationStatus status = outcome.status();
        metrics.revocationChecked(label(status.result()));
        String fingerprint = Fingerprints.sha256(certificate);
        switch (status.result()) {
            case GOOD, UNCHECKED -> {}
            case REVOKED -> {
                String revoked = "client certificate " + fingerprint + " was revoked on "
                        + status.revokedAt().orElseThrow() + " (" + status.source() + ")";
                if (!outcome.cached()) {
                    log.warn(
                            "Refusing client certificate {}: revoked on {} ({})",
                            fingerprint,
                            status.revokedAt().orElseThrow(),
                            status.source());
                }
                throw refusal(revoked, CertPathValidatorException.BasicReason.REVOKED);
            }
            case UNAVAILABLE -> {
                if (settings.mode() == Mode.HARD_FAIL) {
                    if (!outcome.cached()) {
                        log.warn(
                                "Refusing client certificate {} (revocation: hard-fail): its revocation status cannot"
                                        + " be obtained: {}",
                                fingerprint,
                                status.detail());
                    }
                    throw refusal(
                            "the revocation status of client certificate " + fingerprint + " cannot be obtained ("
                                    + status.source() + ")",
                            CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS);
                }
                if (!outcome.cached()) {
                    log.warn(
                            "Accepting client certificate {} unchecked (revocation: soft-fail): its revocation status"
                                    + " cannot be obtained: {}",
                            fingerprint,
                            status.detail());
                }
            }
        }
    }

    private static CertificateException refusal(String message, CertPathValidatorException.BasicReason reason) {
        return new CertificateException(message, new CertPathValidatorException(message, null, null, -1, reason));
    }

    /** The certificate after it in the chain, or an anchor, whose subject issued it and whose key signed it. */
    private static Optional<X509Certificate> issuerOf(
            X509Certificate certificate, X509Certificate[] chain, int index, List<X509Certificate> anchors) {
        List<X509Certificate> candidates = new ArrayList<>(Arrays.asList(chain).subList(index + 1, chain.length));
        candidates.addAll(anchors);
        for (X509Certificate candidate : candidates) {
            if (candidate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())
                    && signed(certificate, candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean signed(X509Certificate certificate, X509Certificate by) {
        try {
            certificate.verify(by.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static String label(RevocationStatus.Result result) {
        return result.name().toLowerCase(Locale.ROOT);
    }

    private static ThreadPoolExecutor pool() {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                HANDSHAKE_THREADS,
                HANDSHAKE_THREADS,
                60,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(HANDSHAKE_QUEUE),
                r -> {
                    Thread thread = new Thread(r, "passerelle-tls-handshake-" + n.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Stops the handshake pool; a handshake still waiting for a responder is cut short. */
    @Override
    public void close() {
        handshakeTasks.ifPresent(ThreadPoolExecutor::shutdownNow);
    }
}
