package fr.passerelle.core.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.revocation.RevocationChecker.Outcome;
import fr.passerelle.core.revocation.RevocationStatus.Result;
import fr.passerelle.core.testkit.Certificates;
import fr.passerelle.core.testkit.CrlPoint;
import fr.passerelle.core.testkit.FakeClock;
import fr.passerelle.core.testkit.OcspResponder;
import fr.passerelle.core.testkit.OpenSsl;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link RevocationChecker} against a real {@code openssl ocsp} responder and a real CRL over http on 127.0.0.1. */
class RevocationCheckerIT {
    private static final Duration CACHE = Duration.ofSeconds(300);

    @TempDir
    Path dir;

    private final Certificates.Issued ca = Certificates.ca("Revocation test CA");
    private final FakeClock clock = new FakeClock(Instant.now());
    private final RevocationChecker checker = new RevocationChecker(CACHE, clock);
    private CrlPoint crl;

    @BeforeEach
    void startCrlPoint() throws Exception {
        crl = CrlPoint.start();
    }

    @AfterEach
    void stopCrlPoint() {
        crl.close();
    }

    @Test
    void answersGoodForACertificateThatItsResponderKnowsValid() throws Exception {
        OpenSsl.assumeAvailable();
        BigInteger serial = serial();
        try (OcspResponder responder = OcspResponder.start(dir, ca, Map.of(serial, Optional.empty()))) {
            X509Certificate certificate = issue(serial, Optional.of(responder.url()), Optional.empty());

            Outcome outcome = checker.check(certificate, ca.certificate(), deadline());

            assertThat(outcome).isEqualTo(new Outcome(RevocationStatus.good("OCSP " + responder.url()), false));
        }
    }

    @Test
    void answersRevokedWithTheInstantThatItsResponderGives() throws Exception {
        OpenSsl.assumeAvailable();
        BigInteger serial = serial();
        Instant revokedAt = Instant.now().minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        try (OcspResponder responder = OcspResponder.start(dir, ca, Map.of(serial, Optional.of(revokedAt)))) {
            X509Certificate certificate = issue(serial, Optional.of(responder.url()), Optional.empty());

            Outcome outcome = checker.check(certificate, ca.certificate(), deadline());

            assertThat(outcome.status()).isEqualTo(RevocationStatus.revoked("OCSP " + responder.url(), revokedAt));
        }
    }

    @Test
    void refusesAnOcspAnswerThatAnotherKeySigned() throws Exception {
        OpenSsl.assumeAvailable();
        Certificates.Issued impostor = Certificates.ca("Revocation test CA");

        Asked asked = askResponderSigningWith(impostor, impostor);

        assertThat(asked.status()).isEqualTo(unauthorised(asked.responder()));
    }

    @Test
    void acceptsAnAnswerSignedByAResponderThatTheIssuerAuthorised() throws Exception {
        OpenSsl.assumeAvailable();
        Certificates.Issued delegate = Certificates.certificate("CN=Revocation test OCSP responder")
                .issuedBy(ca)
                .extendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning)
                .issue();

        Asked asked = askResponderSigningWith(ca, delegate);

        assertThat(asked.status()).isEqualTo(RevocationStatus.good("OCSP " + asked.responder()));
    }

    @Test
    void refusesAnAnswerSignedByACertificateThatTheIssuerDidNotAuthoriseForOcsp() throws Exception {
        OpenSsl.assumeAvailable();
        Certificates.Issued server = Certificates.certificate("CN=Revocation test web server")
                .issuedBy(ca)
                .extendedKeyUsage(KeyPurposeId.id_kp_serverAuth)
                .issue();

        Asked asked = askResponderSigningWith(ca, server);

        assertThat(asked.status()).isEqualTo(unauthorised(asked.responder()));
    }

    @Test
    void readsTheCrlWhenTheCertificateNamesNoResponder() {
        X509Certificate revoked = issue(serial(), Optional.empty(), Optional.of(crl.url()));
        X509Certificate valid = issue(serial(), Optional.empty(), Optional.of(crl.url()));
        Instant thisUpdate = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        crl.publish(Certificates.crl(ca, thisUpdate, thisUpdate.plus(Duration.ofDays(1)), revoked));

        Outcome refused = checker.check(revoked, ca.certificate(), deadline());
        Outcome accepted = checker.check(valid, ca.certificate(), deadline());

        assertThat(refused.status())
                .isEqualTo(RevocationStatus.revoked("CRL " + crl.url(), thisUpdate.minus(Duration.ofHours(1))));
        assertThat(accepted.status()).isEqualTo(RevocationStatus.good("CRL " + crl.url()));
    }

    @Test
    void fallsBackToTheCrlWhenTheResponderIsDown() throws Exception {
        OpenSsl.assumeAvailable();
        BigInteger serial = serial();
        URI stopped = stoppedResponder(serial);
        X509Certificate certificate = issue(serial, Optional.of(stopped), Optional.of(crl.url()));
        Instant thisUpdate = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        crl.publish(Certificates.crl(ca, thisUpdate, thisUpdate.plus(Duration.ofDays(1)), certificate));

        Outcome outcome = checker.check(certificate, ca.certificate(), deadline());

        assertThat(outcome.status())
                .isEqualTo(RevocationStatus.revoked("CRL " + crl.url(), thisUpdate.minus(Duration.ofHours(1))));
    }

    @Test
    void answersUnavailableWithTheReasonWhenNoSourceAnswers() throws Exception {
        OpenSsl.assumeAvailable();
        BigInteger serial = serial();
        URI stopped = stoppedResponder(serial);
        X509Certificate certificate = issue(serial, Optional.of(stopped), Optional.empty());

        Outcome outcome = checker.check(certificate, ca.certificate(), deadline());

        assertThat(outcome.status())
                .isEqualTo(RevocationStatus.unavailable("OCSP " + stopped, "OCSP " + stopped + ": Connection refused"));
    }

    @Test
    void refusesACrlThatAnotherKeySigned() {
        X509Certificate certificate = issue(serial(), Optional.empty(), Optional.of(crl.url()));
        Certificates.Issued impostor = Certificates.ca("Revocation test CA");
        Instant thisUpdate = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        crl.publish(Certificates.crl(impostor, thisUpdate, thisUpdate.plus(Duration.ofDays(1))));

        Outcome outcome = checker.check(certificate, ca.certificate(), deadline());

        assertThat(outcome.status())
                .isEqualTo(RevocationStatus.unavailable(
                        "CRL " + crl.url(),
                        "CRL " + crl.url() + ": the CRL is not signed by the certificate's issuer"));
    }

    @Test
    void refusesACrlPastItsNextUpdate() {
        X509Certificate certificate = issue(serial(), Optional.empty(), Optional.of(crl.url()));
        Instant nextUpdate = clock.instant().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        crl.publish(Certificates.crl(ca, nextUpdate.minus(Duration.ofDays(1)), nextUpdate));

        Outcome outcome = checker.check(certificate, ca.certificate(), deadline());

        assertThat(outcome.status())
                .isEqualTo(RevocationStatus.unavailable(
                        "CRL " + crl.url(),
                        "CRL " + crl.url() + ": the CRL is out of date (next update was due " + nextUpdate + ")"));
    }

    @Test
    void keepsAnAnswerForTheCacheTimeThenAsksAgain() {
        X509Certificate certificate = issue(serial(), Optional.empty(), Optional.of(crl.url()));
        Instant thisUpdate = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        crl.publish(Certificates.crl(ca, thisUpdate, thisUpdate.plus(Duration.ofDays(1))));

        Outcome first = checker.check(certificate, ca.certificate(), deadline());
        Outcome second = checker.check(certificate, ca.certificate(), deadline());
        int downloadsWhileCached = crl.downloads();
        clock.advance(CACHE);
        Outcome third = checker.check(certificate, ca.certificate(), deadline());

        assertThat(first.cached()).isFalse();
        assertThat(second).isEqualTo(new Outcome(first.status(), true));
        assertThat(downloadsWhileCached).isEqualTo(1);
        assertThat(third.cached()).isFalse();
        assertThat(crl.downloads()).isEqualTo(2);
    }

    @Test
    void asksAgainAtTheNextUpdateWhenItComesBeforeTheCacheTime() {
        X509Certificate certificate = issue(serial(), Optional.empty(), Optional.of(crl.url()));
        Instant thisUpdate = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        crl.publish(Certificates.crl(ca, thisUpdate, thisUpdate.plus(Duration.ofSeconds(60))));

        checker.check(certificate, ca.certificate(), deadline());
        clock.advance(Duration.ofSeconds(61));
        Outcome afterNextUpdate = checker.check(certificate, ca.certificate(), deadline());

        assertThat(afterNextUpdate.cached()).isFalse();
        assertThat(crl.downloads()).isEqualTo(2);
    }

    @Test
    void keepsTheLackOfAnAnswerForTheRetryTimeOnly() {
        X509Certificate certificate = issue(serial(), Optional.empty(), Optional.of(crl.url()));

        Outcome first = checker.check(certificate, ca.certificate(), deadline());
        Outcome second = checker.check(certificate, ca.certificate(), deadline());
        clock.advance(RevocationChecker.RETRY);
        Outcome third = checker.check(certificate, ca.certificate(), deadline());

        assertThat(first.status().result()).isEqualTo(Result.UNAVAILABLE);
        assertThat(second.cached()).isTrue();
        assertThat(third.cached()).isFalse();
        assertThat(crl.downloads()).isEqualTo(2);
    }

    @Test
    void answersUncheckedForACertificateThatNamesNoSource() {
        X509Certificate certificate = issue(serial(), Optional.empty(), Optional.empty());

        Outcome outcome = checker.check(certificate, ca.certificate(), deadline());

        assertThat(outcome.status()).isEqualTo(RevocationStatus.unchecked());
    }

    private record Asked(URI responder, RevocationStatus status) {}

    /**
     * Asks about a valid certificate of {@link #ca} a responder started for {@code responderCa} that signs with
     * {@code signer}'s key.
     */
    private Asked askResponderSigningWith(Certificates.Issued responderCa, Certificates.Issued signer)
            throws Exception {
        BigInteger serial = serial();
        try (OcspResponder responder =
                OcspResponder.start(dir, responderCa, signer, Map.of(serial, Optional.empty()))) {
            X509Certificate certificate = issue(serial, Optional.of(responder.url()), Optional.empty());
            return new Asked(
                    responder.url(),
                    checker.check(certificate, ca.certificate(), deadline()).status());
        }
    }

    private static RevocationStatus unauthorised(URI responder) {
        return RevocationStatus.unavailable(
                "OCSP " + responder,
                "OCSP " + responder + ": the answer is signed neither by the certificate's issuer nor by a responder"
                        + " it authorised");
    }

    /** The URL of a responder that ran and stopped: its port refuses connections. */
    private URI stoppedResponder(BigInteger serial) throws Exception {
        try (OcspResponder responder = OcspResponder.start(dir, ca, Map.of(serial, Optional.empty()))) {
            return responder.url();
        }
    }

    private X509Certificate issue(BigInteger serial, Optional<URI> responder, Optional<URI> crlPoint) {
        Certificates.Builder builder = Certificates.certificate("CN=partner-" + serial + ",O=Passerelle tests")
                .issuedBy(ca)
                .serial(serial);
        responder.ifPresent(url -> builder.ocspResponder(url.toString()));
        crlPoint.ifPresent(url -> builder.crlDistributionPoint(url.toString()));
        return builder.issue().certificate();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(ThreadLocalRandom.current().nextLong(1L << 32, 1L << 62));
    }

    private static long deadline() {
        return System.nanoTime() + Duration.ofSeconds(5).toNanos();
    }
}
