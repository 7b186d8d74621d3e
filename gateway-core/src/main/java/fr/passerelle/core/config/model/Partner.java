package fr.passerelle.core.config.model;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.crypto.EnvelopeFormat;
import fr.passerelle.core.crypto.Fingerprints;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One partner's registry entry, read from {@code config/partners/<id>.yaml}.
 *
 * @param certificateSha256 the pinned SHA-256 fingerprint of the partner's client certificate, upper-case hex
 *                          pairs separated by colons; empty until {@code pki init} or an administrator pins one
 * @param departments       the departments the partner serves, empty for a national partner; a route "by
 *                          kind" picks partners that list the referral's department, a national partner only by name
 * @param maySend           the referral types the partner may submit
 * @param inboundAdapter    the adapter that reads what the partner submits
 * @param outboundAdapter   the adapter that renders what the partner receives
 * @param certificate       the partner's certificate, read from {@code partners/<id>.pem} beside its entry and
 *                          checked (dates, key usage, key size, chain to the trust anchors); the gateway seals for
 *                          it and verifies signed submissions with it. When present, {@code certificateSha256} is
 *                          its fingerprint.
 * @param signedSubmissionsRequired whether the partner's submissions must be CMS-signed ({@code signed_submissions:
 *                          required}); otherwise a signature is verified when present
 * @param envelope          how referrals are sealed for the partner ({@code envelope:}, AES-256-GCM by default)
 * @param delivery          how referrals reach the partner ({@code delivery:}): pulled from its inbox by default,
 *                          or pushed by a transport
 * @param previousCertificates the fingerprints of certificates being replaced ({@code certificate.previous:}),
 *                          each still accepted to authenticate the partner until its end: the overlap of a
 *                          certificate rotation. The gateway seals and verifies with {@code certificate} only.
 * @param quotas            the partner's own quotas on the main API ({@code limits:}), over those of its kind and
 *                          of gateway.yaml; {@link QuotaOverrides#none()} when the entry sets none
 * @param receives          the only types that routes by kind bring it ({@code receives:}), empty for every type:
 *                          a public prosecutor's office that informs the CODAF is not the juvenile section to which
 *                          the child-protection alerts of {@code {kind: prosecutor}} go
 */
public record Partner(
        PartnerId id,
        String name,
        Set<Department> departments,
        List<Approval> approvals,
        Optional<String> certificateSha256,
        Set<ReferralType> maySend,
        String inboundAdapter,
        String outboundAdapter,
        boolean enabled,
        Optional<X509Certificate> certificate,
        boolean signedSubmissionsRequired,
        EnvelopeFormat envelope,
        PartnerDelivery delivery,
        List<PreviousCertificate> previousCertificates,
        QuotaOverrides quotas,
        Set<ReferralType> receives) {

    private static final Pattern FINGERPRINT = Pattern.compile("([0-9A-F]{2}:){31}[0-9A-F]{2}");

    public Partner {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        departments = Set.copyOf(departments);
        approvals = List.copyOf(approvals);
        Objects.requireNonNull(certificateSha256, "certificateSha256");
        certificateSha256.filter(f -> !FINGERPRINT.matcher(f).matches()).ifPresent(f -> {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "partner " + id + ": certificate fingerprint is"
                            + " not valid (expected: 32 upper-case hex pairs separated by colons, such as 3F:A0:…:9A)");
        });
        maySend = Set.copyOf(maySend);
        Objects.requireNonNull(inboundAdapter, "inboundAdapter");
        Objects.requireNonNull(outboundAdapter, "outboundAdapter");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(delivery, "delivery");
        previousCertificates = List.copyOf(previousCertificates);
        Objects.requireNonNull(quotas, "quotas");
        receives = Set.copyOf(receives);
        if (certificate.isPresent()) {
            String actual = Fingerprints.sha256(certificate.get());
            if (!certificateSha256.map(actual::equalsIgnoreCase).orElse(false)) {
                throw new GatewayException(
                        ErrorCode.CONFIG_INVALID,
                        "partner " + id + ": the certificate has"
                                + " fingerprint " + actual + ", the entry pins " + certificateSha256.orElse("nothing")
                                + " (expected: the pin of the certificate)");
            }
        }
    }

    /** A partner with the quotas of its kind, that routes by kind bring every type its kind may receive. */
    public Partner(
            PartnerId id,
            String name,
            Set<Department> departments,
            List<Approval> approvals,
            Optional<String> certificateSha256,
            Set<ReferralType> maySend,
            String inboundAdapter,
            String outboundAdapter,
            boolean enabled,
            Optional<X509Certificate> certificate,
            boolean signedSubmissionsRequired,
            EnvelopeFormat envelope,
            PartnerDelivery delivery,
            List<PreviousCertificate> previousCertificates) {
        this(
                id,
                name,
                departments,
                approvals,
                certificateSha256,
                maySend,
                inboundAdapter,
                outboundAdapter,
                enabled,
                certificate,
                signedSubmissionsRequired,
                envelope,
                delivery,
                previousCertificates,
                QuotaOverrides.none(),
                Set.of());
    }

    /** A partner that authenticates with its pinned certificate only, as before any rotation. */
    public Partner(
            PartnerId id,
            String name,
            Set<Department> departments,
            List<Approval> approvals,
            Optional<String> certificateSha256,
            Set<ReferralType> maySend,
            String inboundAdapter,
            String outboundAdapter,
            boolean enabled,
            Optional<X509Certificate> certificate,
            boolean signedSubmissionsRequired,
            EnvelopeFormat envelope,
            PartnerDelivery delivery) {
        this(
                id,
                name,
                departments,
                approvals,
                certificateSha256,
                maySend,
                inboundAdapter,
                outboundAdapter,
                enabled,
                certificate,
                signedSubmissionsRequired,
                envelope,
                delivery,
                List.of());
    }

    /**
     * A certificate being replaced, still accepted to authenticate its partner until {@code until} (exclusive).
     *
     * @param sha256 its fingerprint, upper-case hex pairs separated by colons
     */
    public record PreviousCertificate(String sha256, Instant until) {
        public PreviousCertificate {
            if (!FINGERPRINT.matcher(Objects.requireNonNull(sha256, "sha256")).matches()) {
                throw new GatewayException(
                        ErrorCode.CONFIG_INVALID,
                        "previous certificate fingerprint is not valid"
                                + " (expected: 32 upper-case hex pairs separated by colons)");
            }
            Objects.requireNonNull(until, "until");
        }
    }

    /**
     * Whether a client presenting a certificate of this fingerprint (either case) is this partner at
     * {@code now}: the pinned certificate, or a previous one whose overlap has not ended.
     */
    public boolean authenticatesWith(String sha256, Instant now) {
        return certificateSha256.map(f -> f.equalsIgnoreCase(sha256)).orElse(false)
                || previousCertificates.stream()
                        .anyMatch(p -> p.sha256().equalsIgnoreCase(sha256) && now.isBefore(p.until()));
    }

    /** As the generated one, but the certificate shows as its fingerprint, not as its whole dump. */
    @Override
    public String toString() {
        return "Partner[id=" + id + ", name=" + name + ", departments=" + departments + ", approvals=" + approvals
                + ", certificateSha256=" + certificateSha256 + ", maySend=" + maySend + ", inboundAdapter="
                + inboundAdapter + ", outboundAdapter=" + outboundAdapter + ", enabled=" + enabled
                + ", certificate=" + (certificate.isPresent() ? "present" : "absent") + ", signedSubmissionsRequired="
                + signedSubmissionsRequired + ", envelope=" + envelope + ", delivery=" + delivery
                + ", previousCertificates="
                + previousCertificates + ", quotas=" + quotas + ", receives=" + receives + "]";
    }

    public PartnerKind kind() {
        return id.kind();
    }

    /** Whether a route by kind brings it {@code type}: its {@code receives:} lists it, or lists nothing. */
    public boolean receives(ReferralType type) {
        return receives.isEmpty() || receives.contains(type);
    }

    /** Whether the partner serves {@code department}; a national partner (no departments) serves them all. */
    public boolean serves(Department department) {
        return departments.isEmpty() || departments.contains(department);
    }

    /**
     * Whether a route "by kind" may reach the partner in {@code department}: it lists the department. A national
     * partner (no departments), such as the Ac.Sé network, serves them all but is reached by name only, so that a
     * route to every association of a department does not reach a national one too.
     */
    public boolean reachableByKindIn(Department department) {
        return departments.contains(department);
    }

    /** Whether the partner holds approval {@code code} for {@code department}, valid on {@code day}. */
    public boolean holds(String code, Department department, LocalDate day) {
        return approvals.stream()
                .anyMatch(a -> a.code().equals(code) && a.department().equals(department) && a.validOn(day));
    }
}
