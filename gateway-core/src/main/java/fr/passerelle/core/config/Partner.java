package fr.passerelle.core.config;

import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One partner's registry entry, read from {@code config/partners/<id>.yaml}.
 *
 * @param certificateSha256 the pinned SHA-256 fingerprint of the partner's client certificate, upper-case hex
 *                          pairs separated by colons; empty until {@code pki init} or an administrator pins one
 * @param departments       the departments the partner serves, empty for a national partner; a route "by
 *                          kind" picks partners of the referral's department
 * @param maySend           the referral types the partner may submit
 * @param inboundAdapter    the adapter that reads what the partner submits
 * @param outboundAdapter   the adapter that renders what the partner receives
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
        boolean enabled) {

    public Partner {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        departments = Set.copyOf(departments);
        approvals = List.copyOf(approvals);
        Objects.requireNonNull(certificateSha256, "certificateSha256");
        maySend = Set.copyOf(maySend);
        Objects.requireNonNull(inboundAdapter, "inboundAdapter");
        Objects.requireNonNull(outboundAdapter, "outboundAdapter");
    }

    public PartnerKind kind() {
        return id.kind();
    }

    /** Whether the partner serves {@code department}; a national partner (no departments) serves them all. */
    public boolean serves(Department department) {
        return departments.isEmpty() || departments.contains(department);
    }

    /** Whether the partner holds approval {@code code} for {@code department}, valid on {@code day}. */
    public boolean holds(String code, Department department, LocalDate day) {
        return approvals.stream().anyMatch(a -> a.code().equals(code) && a.department().equals(department)
                && a.validOn(day));
    }
}
