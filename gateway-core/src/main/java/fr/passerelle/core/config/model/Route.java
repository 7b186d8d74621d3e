package fr.passerelle.core.config.model;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One line of the routing table ({@code config/routes.yaml}).
 *
 * @param from        sender kinds this route applies to
 * @param departments departments it applies to; empty means every department
 * @param fields      the canonical fields (dotted paths, such as {@code subject.languages}) that the recipients
 *                    may see; everything else is removed before storage. {@code schemaVersion}, {@code type},
 *                    {@code department} and {@code urgency} are always kept: they carry no personal data.
 * @param subject     whom it carries referrals about: adults, minors or anyone, as the gateway decides the age
 * @param legalObligation when present, the legal text that obliges this transmission (such as {@code CASF
 *                    L.226-3}): the route does not rest on the person's consent, and {@code consent.scope} does not
 *                    limit it; when empty, a referral that carries a consent reaches only the kinds in its scope
 * @param when        when present, the route applies only to a referral whose content meets it (such as
 *                    {@code shelter.constraints: away-from-department}); a check without a document, such as
 *                    {@code routes explain} by type, shows it as conditional
 */
public record Route(
        String id,
        ReferralType type,
        Set<PartnerKind> from,
        Set<Department> departments,
        List<Recipient> to,
        List<String> fields,
        RouteSubject subject,
        Optional<String> legalObligation,
        Optional<RouteCondition> when) {

    /** A route about anyone, resting on consent when the referral carries one. */
    public Route(
            String id,
            ReferralType type,
            Set<PartnerKind> from,
            Set<Department> departments,
            List<Recipient> to,
            List<String> fields) {
        this(id, type, from, departments, to, fields, RouteSubject.ANY, Optional.empty(), Optional.empty());
    }

    public Route {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(legalObligation, "legalObligation");
        Objects.requireNonNull(when, "when");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        from = Set.copyOf(from);
        departments = Set.copyOf(departments);
        to = List.copyOf(to);
        fields = List.copyOf(fields);
    }

    /** Whether the person's consent does not limit this route: a legal obligation commands it. */
    public boolean obligatory() {
        return legalObligation.isPresent();
    }

    /** Whether {@code document} meets the route's condition; true for a route without one. */
    public boolean applies(JsonNode document) {
        return when.map(condition -> condition.holds(document)).orElse(true);
    }

    public boolean matches(ReferralType type, PartnerKind senderKind, Department department) {
        return this.type == type
                && from.contains(senderKind)
                && (departments.isEmpty() || departments.contains(department));
    }
}
