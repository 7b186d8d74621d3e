package fr.passerelle.core.config;

import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One line of the routing table ({@code config/routes.yaml}).
 *
 * @param from        sender kinds this route applies to
 * @param departments departments it applies to; empty means every department
 * @param fields      the canonical fields (dotted paths, such as {@code subject.languages}) that the recipients
 *                    may see; everything else is removed before storage. {@code schemaVersion}, {@code type},
 *                    {@code department} and {@code urgency} are always kept: they carry no personal data.
 */
public record Route(
        String id,
        ReferralType type,
        Set<PartnerKind> from,
        Set<Department> departments,
        List<Recipient> to,
        List<String> fields) {

    public Route {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        from = Set.copyOf(from);
        departments = Set.copyOf(departments);
        to = List.copyOf(to);
        fields = List.copyOf(fields);
    }

    public boolean matches(ReferralType type, PartnerKind senderKind, Department department) {
        return this.type == type && from.contains(senderKind)
                && (departments.isEmpty() || departments.contains(department));
    }
}
