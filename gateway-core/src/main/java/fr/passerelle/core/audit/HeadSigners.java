package fr.passerelle.core.audit;

import fr.passerelle.core.crypto.Fingerprints;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Checks each tree head with the certificate that signed it: the current signing certificate when the head names
 * it, else the certificate kept with the heads under the fingerprint the head names, which must chain to one of
 * the trusted authorities and be valid, with its issuer, at the head's time. The chain of each kept certificate
 * is validated once; later heads only check their time against the validity it found. Not thread-safe.
 */
final class HeadSigners {
    private static final Pattern FINGERPRINT = Pattern.compile("([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}");

    /** When a kept certificate and the authority it chains to are both valid. */
    private record Window(Instant from, Instant to) {}

    private final X509Certificate current;
    private final String currentFingerprint;
    private final List<X509Certificate> authorities;
    private final Map<String, X509Certificate> kept;
    private final Map<String, Window> chained = new HashMap<>();

    /** @param kept the certificates kept with the heads, by their SHA-256 fingerprint (upper case) */
    HeadSigners(SignerTrust trust, Map<String, X509Certificate> kept) {
        this.current = trust.current();
        this.currentFingerprint = Fingerprints.sha256(current);
        this.authorities = trust.authorities();
        this.kept = Map.copyOf(kept);
    }

    /** Empty when {@code head}'s signature verifies with a trusted certificate; else the problem, after {@code label}. */
    Optional<String> problem(SignedTreeHead head, String label) {
        String named = head.signerFingerprint();
        String shown = FINGERPRINT.matcher(named).matches() ? named : "'<" + named.length() + " characters>'";
        X509Certificate signer;
        if (named.equalsIgnoreCase(currentFingerprint)) {
            signer = current;
        } else {
            signer = kept.get(named.toUpperCase(Locale.ROOT));
            if (signer == null) {
                return Optional.of(label + ": signed by certificate " + shown + ", which is not kept with the signed"
                        + " heads (expected: the signing certificate " + currentFingerprint
                        + " or one kept in audit_signer_certificate or in the export)");
            }
            Optional<String> untrusted = chainProblem(signer, head.head().signedAt());
            if (untrusted.isPresent()) {
                return Optional.of(label + ": signer certificate " + shown + " " + untrusted.get());
            }
        }
        if (!TreeHeadSigner.verify(head, signer)) {
            return Optional.of(label + ": signature does not verify with certificate " + shown);
        }
        return Optional.empty();
    }

    private Optional<String> chainProblem(X509Certificate signer, Instant at) {
        Optional<String> invalid = validityProblem(signer, at, "was");
        if (invalid.isPresent()) {
            return invalid;
        }
        String fingerprint = Fingerprints.sha256(signer);
        Window window = chained.get(fingerprint);
        if (window == null) {
            Optional<X509Certificate> authority = authority(signer, at);
            if (authority.isEmpty()) {
                return Optional.of("does not chain to a trusted CA (expected: a certificate issued by "
                        + (authorities.isEmpty()
                                ? "a trusted CA; none was given"
                                : authorities.stream()
                                        .map(c -> c.getSubjectX500Principal().getName() + " " + Fingerprints.sha256(c))
                                        .distinct()
                                        .collect(Collectors.joining(" or ")))
                        + ")");
            }
            Optional<String> authorityInvalid = validityProblem(authority.get(), at, "chains to a CA that was");
            if (authorityInvalid.isPresent()) {
                return authorityInvalid;
            }
            window = new Window(
                    latest(signer.getNotBefore(), authority.get().getNotBefore()),
                    earliest(signer.getNotAfter(), authority.get().getNotAfter()));
            chained.put(fingerprint, window);
        }
        if (at.isBefore(window.from()) || at.isAfter(window.to())) {
            return Optional.of("chains to a CA that was not valid at the head's time " + at + " (expected: between "
                    + window.from() + " and " + window.to() + ")");
        }
        return Optional.empty();
    }

    /** The authority that {@code signer} chains to at {@code at}, by PKIX path validation; revocation not checked. */
    private Optional<X509Certificate> authority(X509Certificate signer, Instant at) {
        if (authorities.isEmpty()) {
            return Optional.empty();
        }
        Set<TrustAnchor> anchors = new HashSet<>();
        authorities.forEach(a -> anchors.add(new TrustAnchor(a, null)));
        try {
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(at));
            PKIXCertPathValidatorResult result = (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(signer)), parameters);
            return Optional.of(result.getTrustAnchor().getTrustedCert());
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> validityProblem(X509Certificate certificate, Instant at, String what) {
        Instant from = certificate.getNotBefore().toInstant();
        Instant to = certificate.getNotAfter().toInstant();
        if (at.isBefore(from) || at.isAfter(to)) {
            return Optional.of(what + " not valid at the head's time " + at + " (expected: valid from " + from + " to "
                    + to + ")");
        }
        return Optional.empty();
    }

    private static Instant latest(Date a, Date b) {
        return a.after(b) ? a.toInstant() : b.toInstant();
    }

    private static Instant earliest(Date a, Date b) {
        return a.before(b) ? a.toInstant() : b.toInstant();
    }
}
