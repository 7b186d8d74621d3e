package fr.passerelle.core.revocation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.CRLException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

/**
 * Reads a CRL distribution point (RFC 5280) for one certificate: a GET of a DER or PEM CRL that counts only when
 * the certificate's issuer issued and signed it and it is current. Delta CRLs are not read.
 */
final class CrlQuery {
    static final int MAX_CRL_BYTES = 16 * 1024 * 1024;

    private CrlQuery() {}

    static Answer ask(URI point, X509Certificate certificate, X509Certificate issuer, Instant now, long deadline) {
        String source = "CRL " + point;
        X509CRL crl;
        try {
            byte[] bytes = HttpFetch.exchange(point, Optional.empty(), "", MAX_CRL_BYTES, deadline);
            crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            return Answer.unavailable(source, source + ": " + e.getMessage());
        } catch (CRLException e) {
            return Answer.unavailable(source, source + ": not a CRL (" + e.getMessage() + ")");
        } catch (GeneralSecurityException e) {
            return Answer.unavailable(source, source + ": the CRL cannot be read (" + e.getMessage() + ")");
        }
        if (!crl.getIssuerX500Principal().equals(certificate.getIssuerX500Principal())) {
            return Answer.unavailable(source, source + ": the CRL is not from the certificate's issuer");
        }
        try {
            crl.verify(issuer.getPublicKey());
        } catch (GeneralSecurityException e) {
            return Answer.unavailable(source, source + ": the CRL is not signed by the certificate's issuer");
        }
        Optional<Instant> nextUpdate = Optional.ofNullable(crl.getNextUpdate()).map(Date::toInstant);
        Optional<String> stale = Freshness.problem(crl.getThisUpdate().toInstant(), nextUpdate, now);
        if (stale.isPresent()) {
            return Answer.unavailable(source, source + ": the CRL " + stale.get());
        }
        X509CRLEntry entry = crl.getRevokedCertificate(certificate);
        if (entry != null) {
            return new Answer(
                    RevocationStatus.revoked(source, entry.getRevocationDate().toInstant()), nextUpdate);
        }
        return new Answer(RevocationStatus.good(source), nextUpdate);
    }
}
