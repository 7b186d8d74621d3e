package fr.passerelle.core.config;

import fr.passerelle.core.GatewayException;
import fr.passerelle.core.crypto.Fingerprints;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.partner.PartnerId;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;

/**
 * Reads each partner's certificate from {@code partners/<id>.pem} and checks it when the configuration is loaded:
 * the pin, the validity dates on the clock's day, the key usage that signing and sealing need, the key sizes and
 * curves of ANSSI's guide to cryptographic mechanisms, and the chain to the trust anchors of {@code client_ca}.
 * Every problem names the partner and the .pem file, at line 0. Not thread-safe: one per check.
 */
final class PartnerCertificates {
    /** Certificates that expire within this window are warned about. */
    static final Duration EXPIRY_WARNING = Duration.ofDays(30);

    private static final int RSA_MINIMUM = 2048;
    private static final int RSA_RECOMMENDED = 3072;
    private static final Map<ASN1ObjectIdentifier, String> CURVES = Map.of(
            SECObjectIdentifiers.secp256r1,
            "P-256",
            SECObjectIdentifiers.secp384r1,
            "P-384",
            SECObjectIdentifiers.secp521r1,
            "P-521");
    private static final String[] USAGE_NAMES = {
        "digitalSignature",
        "nonRepudiation",
        "keyEncipherment",
        "dataEncipherment",
        "keyAgreement",
        "keyCertSign",
        "cRLSign",
        "encipherOnly",
        "decipherOnly"
    };
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int KEY_ENCIPHERMENT = 2;
    private static final int KEY_AGREEMENT = 4;

    private final Optional<Path> clientCa;
    private final Instant now;
    private final Problems problems;
    private Optional<Set<TrustAnchor>> anchors;

    /**
     * @param clientCa the trust anchors' PEM file; empty when the settings could not be read, and then the chain
     *                 is not checked
     */
    PartnerCertificates(Optional<Path> clientCa, Clock clock, Problems problems) {
        this.clientCa = clientCa;
        this.now = clock.instant();
        this.problems = problems;
    }

    /** What a partner's certificate file yielded: the certificate and the pin to use, each empty on an error. */
    record Checked(Optional<X509Certificate> certificate, Optional<String> pin) {}

    /**
     * Reads and checks {@code content}, the bytes of {@code pem}.
     *
     * @param pin the entry's {@code certificate.sha256}, upper case, empty when nothing is pinned
     * @return the certificate when no error was found, and the pin: the entry's, or the certificate's when the entry
     *         pins nothing (with a warning); both empty on an error
     */
    Checked check(PartnerId id, Path pem, byte[] content, Optional<String> pin) {
        String shown = "partners/" + pem.getFileName();
        List<X509Certificate> certificates;
        try {
            certificates = PemFiles.parseCertificates(pem, content);
        } catch (GatewayException e) {
            String reason = e.getMessage().startsWith(pem + ": ")
                    ? e.getMessage().substring(pem.toString().length() + 2)
                    : e.getMessage();
            error(
                    pem,
                    "certificate of " + id + " cannot be read: " + shown + " " + reason,
                    "put the partner's" + " certificate there as PEM ('BEGIN CERTIFICATE'), or remove the file");
            return new Checked(Optional.empty(), Optional.empty());
        }
        long errorsBefore = problems.errorCount();
        X509Certificate leaf = certificates.get(0);
        List<X509Certificate> rest = certificates.subList(1, certificates.size());
        if (!issuingChain(certificates)) {
            warning(
                    pem,
                    shown + " holds " + certificates.size() + " certificates that are not a chain: the first is"
                            + " taken as the certificate of " + id,
                    "keep the partner's certificate first, then only the CAs" + " that issued it, in order");
        }
        String fingerprint = Fingerprints.sha256(leaf);
        if (pin.isPresent() && !pin.get().equals(fingerprint)) {
            error(
                    pem,
                    shown + " has fingerprint " + fingerprint + ", the entry pins " + pin.get(),
                    "pin the new" + " one, or put back the matching certificate");
        } else if (pin.isEmpty()) {
            warning(
                    pem,
                    "partner " + id + " pins no certificate fingerprint: the fingerprint of " + shown + ", "
                            + fingerprint + ", is used",
                    "pin it in partners/" + id + ".yaml (certificate.sha256), or run" + " `gateway pki init`");
        }
        boolean current = dates(id, pem, leaf);
        keyUsage(id, pem, leaf);
        keySize(id, pem, leaf.getPublicKey());
        chain(id, pem, leaf, rest, current);
        if (problems.errorCount() > errorsBefore) {
            return new Checked(Optional.empty(), Optional.empty());
        }
        return new Checked(Optional.of(leaf), Optional.of(fingerprint));
    }

    /** "certificate of siao-75 expires on 2026-12-20 (in 22 days)", the line the warnings and health use. */
    static String expiryLine(String subject, X509Certificate certificate, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate end = LocalDate.ofInstant(certificate.getNotAfter().toInstant(), ZoneOffset.UTC);
        long days = ChronoUnit.DAYS.between(today, end);
        if (certificate.getNotAfter().toInstant().isBefore(now)) {
            return "certificate of " + subject + " expired on " + end + " (" + -days + (days == -1 ? " day" : " days")
                    + " ago)";
        }
        return "certificate of " + subject + " expires on " + end + " ("
                + (days == 0 ? "today" : "in " + days + (days == 1 ? " day" : " days")) + ")";
    }

    /** @return whether the certificate is valid at the clock's instant */
    private boolean dates(PartnerId id, Path pem, X509Certificate leaf) {
        Instant from = leaf.getNotBefore().toInstant();
        Instant until = leaf.getNotAfter().toInstant();
        String validity = "valid from " + day(from) + " to " + day(until);
        if (until.isBefore(now)) {
            error(
                    pem,
                    "certificate of " + id + " expired on " + day(until) + " (" + validity + ")",
                    "ask the partner" + " for its renewed certificate, put it at partners/" + pem.getFileName()
                            + " and pin it");
            return false;
        }
        if (from.isAfter(now)) {
            error(
                    pem,
                    "certificate of " + id + " is not valid yet on " + day(now) + " (" + validity + ")",
                    "check the gateway's clock, or put back the current certificate until then");
            return false;
        }
        if (!until.isAfter(now.plus(EXPIRY_WARNING))) {
            warning(
                    pem,
                    expiryLine(id.value(), leaf, now),
                    "ask the partner for its renewed certificate before" + " then");
        }
        return true;
    }

    private void keyUsage(PartnerId id, Path pem, X509Certificate leaf) {
        boolean[] usage = leaf.getKeyUsage();
        if (usage == null) {
            // No key usage extension: RFC 5280 allows every use.
            return;
        }
        String algorithm = leaf.getPublicKey().getAlgorithm();
        List<String> missing = new ArrayList<>();
        if (!has(usage, DIGITAL_SIGNATURE)) {
            missing.add("digitalSignature (to sign submissions and authenticate)");
        }
        if (algorithm.equals("EC") && !has(usage, KEY_AGREEMENT)) {
            missing.add("keyAgreement (to receive envelopes sealed to an EC key)");
        } else if (algorithm.equals("RSA") && !has(usage, KEY_ENCIPHERMENT)) {
            missing.add("keyEncipherment (to receive envelopes sealed to an RSA key)");
        }
        if (!missing.isEmpty()) {
            error(
                    pem,
                    "certificate of " + id + " does not allow " + String.join(" nor ", missing) + " (key usage: "
                            + usageNames(usage) + ")",
                    "ask the partner for a certificate whose key usage allows it");
        }
    }

    private void keySize(PartnerId id, Path pem, PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            int bits = rsa.getModulus().bitLength();
            if (bits < RSA_MINIMUM) {
                error(
                        pem,
                        "certificate of " + id + " has an RSA key of " + bits + " bits (expected: " + RSA_MINIMUM
                                + " bits or more, as ANSSI's guide requires)",
                        "ask the partner for a certificate with an" + " RSA key of 3072 bits or an EC key on P-256");
            } else if (bits < RSA_RECOMMENDED) {
                warning(
                        pem,
                        "certificate of " + id + " has an RSA key of " + bits + " bits: ANSSI's guide asks for "
                                + RSA_RECOMMENDED + " bits or more beyond 2030",
                        "plan a certificate with an RSA key of 3072" + " bits or an EC key on P-256 at its renewal");
            }
        } else if (key.getAlgorithm().equals("EC")) {
            ASN1Encodable parameters = SubjectPublicKeyInfo.getInstance(key.getEncoded())
                    .getAlgorithm()
                    .getParameters();
            if (!(parameters instanceof ASN1ObjectIdentifier curve) || !CURVES.containsKey(curve)) {
                String name = parameters instanceof ASN1ObjectIdentifier oid
                        ? Optional.ofNullable(ECNamedCurveTable.getName(oid)).orElse(oid.getId())
                        : "explicit parameters";
                error(
                        pem,
                        "certificate of " + id + " has an EC key on " + name + " (expected: P-256, P-384 or P-521)",
                        "ask the partner for a certificate with an EC key on P-256");
            }
        } else {
            error(
                    pem,
                    "certificate of " + id + " has a " + key.getAlgorithm() + " key, which cannot receive sealed"
                            + " envelopes (expected: EC on P-256, P-384 or P-521, or RSA of 2048 bits or more)",
                    "ask the partner for a certificate with an EC key on P-256");
        }
    }

    private void chain(PartnerId id, Path pem, X509Certificate leaf, List<X509Certificate> rest, boolean current) {
        Optional<Set<TrustAnchor>> trusted = anchors();
        if (trusted.isEmpty()) {
            return;
        }
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(leaf);
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(trusted.get(), target);
            parameters.setRevocationEnabled(false);
            // An expired certificate is reported once, by its dates: judge its chain on a day it was valid.
            parameters.setDate(Date.from(current ? now : leaf.getNotBefore().toInstant()));
            List<X509Certificate> store = new ArrayList<>(rest);
            store.add(leaf);
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(store)));
            CertPathBuilder.getInstance("PKIX").build(parameters);
        } catch (GeneralSecurityException e) {
            String caFile = clientCa.map(f -> f.getFileName().toString()).orElse("client_ca");
            error(
                    pem,
                    "certificate of " + id + " does not chain to the trust anchors of " + caFile + " (issuer: "
                            + leaf.getIssuerX500Principal().getName() + "; trusted: "
                            + trusted.get().stream()
                                    .map(a -> a.getTrustedCert()
                                            .getSubjectX500Principal()
                                            .getName())
                                    .sorted()
                                    .collect(Collectors.joining(", "))
                            + ")",
                    "ask the partner for a certificate issued by a" + " trusted CA, or add its CA to " + caFile);
        }
    }

    /** The trust anchors, read once; empty when the settings failed or the file cannot be read (one error). */
    private Optional<Set<TrustAnchor>> anchors() {
        if (anchors == null) {
            anchors = clientCa.flatMap(this::readAnchors);
        }
        return anchors;
    }

    private Optional<Set<TrustAnchor>> readAnchors(Path file) {
        try {
            return Optional.of(PemFiles.readCertificates(file).stream()
                    .map(c -> new TrustAnchor(c, null))
                    .collect(Collectors.toSet()));
        } catch (GatewayException e) {
            problems.error(
                    file,
                    0,
                    "the trust anchors cannot be read, so no partner certificate can be checked" + " against them: "
                            + e.getMessage(),
                    "run `gateway pki init`, or point tls.client_ca at the"
                            + " PEM file of the CAs that issue partner certificates");
            return Optional.empty();
        }
    }

    /** Whether each certificate after the first is the issuer of the one before, as OpenSSL writes chains. */
    private static boolean issuingChain(List<X509Certificate> certificates) {
        for (int i = 1; i < certificates.size(); i++) {
            if (!certificates
                    .get(i)
                    .getSubjectX500Principal()
                    .equals(certificates.get(i - 1).getIssuerX500Principal())) {
                return false;
            }
        }
        return true;
    }

    private static boolean has(boolean[] usage, int bit) {
        return usage.length > bit && usage[bit];
    }

    private static String usageNames(boolean[] usage) {
        List<String> names = new ArrayList<>();
        for (int bit = 0; bit < usage.length && bit < USAGE_NAMES.length; bit++) {
            if (usage[bit]) {
                names.add(USAGE_NAMES[bit]);
            }
        }
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    private static LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }

    private void error(Path pem, String message, String fix) {
        problems.error(pem, 0, message, fix);
    }

    private void warning(Path pem, String message, String fix) {
        problems.warning(pem, 0, message, fix);
    }
}
