package fr.passerelle.core.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.config.model.Recipient;
import fr.passerelle.core.config.model.Route;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Picks the recipients of a referral from one deployment's routing table. A route matches by type, sender kind
 * and department, and by the referral's content when it has a condition ({@code when:}); its recipients are named
 * partners (when enabled) or every enabled partner of a kind that lists the department (a national partner is
 * reached by name only), takes the type ({@code receives:}) and, when the route asks, holds an approval valid on
 * the clock's day. The sender never receives its own referral. Immutable and thread-safe; a new configuration
 * gets a new router.
 */
public final class Router {
    /** The types that go to the prefecture of the person's residence rather than of the referral's department. */
    private static final Set<ReferralType> BY_RESIDENCE =
            EnumSet.of(ReferralType.RESIDENCE_PERMIT_SUPPORT, ReferralType.REFLECTION_PERIOD_REQUEST);

    private final Deployment deployment;
    private final Clock clock;

    public Router(Deployment deployment, Clock clock) {
        this.deployment = Objects.requireNonNull(deployment, "deployment");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Where a referral about nobody in particular, or about an adult who gave no consent, goes: as
     * {@link #plan(PartnerId, ReferralType, Department, boolean, Optional)} for an adult, with no consent scope.
     */
    public RoutingPlan plan(PartnerId sender, ReferralType type, Department department) {
        return plan(sender, type, department, false, Optional.empty());
    }

    /**
     * Where a referral goes. A partner reached by several routes appears once, with the routes in table order
     * and the union of their fields. A partner that a route would reach but that the person's age or consent
     * excludes is withheld, with its reason, unless another route reaches it: a route that serves adults only
     * ({@code subject: adult}) takes no referral about a minor, a route for minors none about an adult; a route
     * that rests on consent (no {@code legal_obligation}) reaches only the kinds in the consent's scope.
     *
     * @param minor        whether the gateway treats the person as a minor ({@code Minority})
     * @param consentScope the recipient kinds the person's consent covers; empty when the referral carries no
     *                     consent (a type that does not rest on it)
     * @throws GatewayException {@code route_not_found} when no route matches (the message lists the routes of the
     *                          type, with their senders and departments), or when the matching routes reach
     *                          nobody and leave nobody out (the message says which route and why)
     */
    public RoutingPlan plan(
            PartnerId sender,
            ReferralType type,
            Department department,
            boolean minor,
            Optional<Set<PartnerKind>> consentScope) {
        return plan(sender, type, department, minor, consentScope, MissingNode.getInstance());
    }

    /**
     * As {@link #plan(PartnerId, ReferralType, Department, boolean, Optional)} for a referral whose content
     * {@code document} is: a route with a condition ({@code when:}) applies only when the document meets it, and
     * never without a document. {@code department} is where the referral is routed: see
     * {@link #routedDepartment(ReferralType, JsonNode, Department)}.
     */
    public RoutingPlan plan(
            PartnerId sender,
            ReferralType type,
            Department department,
            boolean minor,
            Optional<Set<PartnerKind>> consentScope,
            JsonNode document) {
        List<Route> routes = matching(type, sender.kind(), department).stream()
                .filter(route -> route.applies(document))
                .toList();
        if (routes.isEmpty()) {
            throw noRoute(sender, type, department);
        }
        LocalDate today = LocalDate.now(clock);
        Map<PartnerId, Set<String>> routeIds = new LinkedHashMap<>();
        Map<PartnerId, Set<String>> fields = new LinkedHashMap<>();
        Map<PartnerId, Withheld> withheld = new LinkedHashMap<>();
        List<String> reachedNobody = new ArrayList<>();
        for (Route route : routes) {
            Resolution resolution = resolve(route, sender, department, today);
            if (resolution.partners().isEmpty()) {
                reachedNobody.add("route " + route.id() + " reaches nobody: " + String.join("; ", resolution.why()));
            }
            for (Partner partner : resolution.partners()) {
                Optional<Withheld.Reason> reason = !route.subject().admits(minor)
                        ? Optional.of(minor ? Withheld.Reason.SUBJECT_MINOR : Withheld.Reason.SUBJECT_ADULT)
                        : consentScope
                                .filter(scope -> !route.obligatory() && !scope.contains(partner.kind()))
                                .map(scope -> Withheld.Reason.CONSENT_SCOPE);
                if (reason.isPresent()) {
                    withheld.putIfAbsent(partner.id(), new Withheld(partner.id(), route.id(), reason.get()));
                    continue;
                }
                routeIds.computeIfAbsent(partner.id(), id -> new LinkedHashSet<>())
                        .add(route.id());
                fields.computeIfAbsent(partner.id(), id -> new LinkedHashSet<>())
                        .addAll(route.fields());
            }
        }
        withheld.keySet().removeAll(routeIds.keySet());
        if (routeIds.isEmpty() && withheld.isEmpty()) {
            throw new GatewayException(
                    ErrorCode.ROUTE_NOT_FOUND,
                    "no recipient for " + type + " from " + sender + " in department " + department + ": "
                            + String.join("; ", reachedNobody),
                    reachedNobody);
        }
        return new RoutingPlan(
                routeIds.keySet().stream()
                        .map(id -> new Destination(
                                deployment.partners().get(id),
                                List.copyOf(routeIds.get(id)),
                                List.copyOf(fields.get(id))))
                        .toList(),
                List.copyOf(withheld.values()));
    }

    /**
     * The routes that match, each with the partners it would reach today, possibly none; never throws for want of
     * a route. For {@code routes explain}.
     */
    public List<RouteMatch> explain(ReferralType type, PartnerId sender, Department department) {
        LocalDate today = LocalDate.now(clock);
        return matching(type, sender.kind(), department).stream()
                .map(route -> new RouteMatch(
                        route,
                        resolve(route, sender, department, today).partners().stream()
                                .map(Partner::id)
                                .toList()))
                .toList();
    }

    /**
     * The department whose partners receive a referral: for a residence permit or a reflection period, the
     * prefecture of the department where the person lives is competent, so {@code subject.residenceDepartment} when the
     * sender gives it; otherwise, and for every other type, the referral's {@code department}. The referral keeps
     * its own department for everything else (statistics, deadlines, territory).
     */
    public static Department routedDepartment(ReferralType type, JsonNode document, Department department) {
        JsonNode residence = document.at("/subject/residenceDepartment");
        return BY_RESIDENCE.contains(type) && residence.isTextual() ? Department.of(residence.asText()) : department;
    }

    private List<Route> matching(ReferralType type, PartnerKind senderKind, Department department) {
        return deployment.routes().stream()
                .filter(r -> r.matches(type, senderKind, department))
                .toList();
    }

    /**
     * The enabled partners that {@code recipients} reach in {@code department} today, other than {@code sender}:
     * who the duty partners of a deadline are, with the rules that choose a route's recipients.
     */
    public List<Partner> reach(List<Recipient> recipients, PartnerId sender, Department department) {
        return resolve(recipients, sender, department, LocalDate.now(clock)).partners();
    }

    private Resolution resolve(Route route, PartnerId sender, Department department, LocalDate today) {
        return resolve(route.to(), sender, department, today, Optional.of(route.type()));
    }

    private Resolution resolve(List<Recipient> recipients, PartnerId sender, Department department, LocalDate today) {
        return resolve(recipients, sender, department, today, Optional.empty());
    }

    /** With a type, a partner whose {@code receives:} leaves the type out is not among a kind's partners. */
    private Resolution resolve(
            List<Recipient> recipients,
            PartnerId sender,
            Department department,
            LocalDate today,
            Optional<ReferralType> type) {
        Set<Partner> partners = new LinkedHashSet<>();
        List<String> why = new ArrayList<>();
        for (Recipient recipient : recipients) {
            if (recipient instanceof Recipient.Named named) {
                named(named.partner(), sender).ifPresentOrElse(partners::add, () -> why.add(whyNot(named, sender)));
            } else {
                Recipient.ByKind byKind = (Recipient.ByKind) recipient;
                List<Partner> found = deployment.sortedPartners().stream()
                        .filter(p -> qualifies(p, byKind, department, today))
                        .filter(p -> type.map(p::receives).orElse(true))
                        .toList();
                List<Partner> others =
                        found.stream().filter(p -> !p.id().equals(sender)).toList();
                partners.addAll(others);
                if (others.isEmpty()) {
                    why.add("no enabled " + byKind.kind().code()
                            + byKind.approval().map(a -> " approved for " + a).orElse("") + " serves department "
                            + department + (found.isEmpty() ? "" : " other than" + " the sender"));
                }
            }
        }
        return new Resolution(List.copyOf(partners), why);
    }

    private Optional<Partner> named(PartnerId id, PartnerId sender) {
        return deployment.partner(id).filter(Partner::enabled).filter(p -> !p.id().equals(sender));
    }

    private String whyNot(Recipient.Named named, PartnerId sender) {
        Optional<Partner> partner = deployment.partner(named.partner());
        if (partner.isEmpty()) {
            return "partner " + named.partner() + " is not in the registry";
        }
        return partner.get().enabled()
                ? "partner " + named.partner() + " is the sender"
                : "partner " + named.partner() + " is disabled";
    }

    private static boolean qualifies(Partner partner, Recipient.ByKind byKind, Department department, LocalDate today) {
        return partner.enabled()
                && partner.kind() == byKind.kind()
                && partner.reachableByKindIn(department)
                && byKind.approval()
                        .map(a -> partner.holds(a, department, today))
                        .orElse(true);
    }

    private GatewayException noRoute(PartnerId sender, ReferralType type, Department department) {
        List<String> existing = deployment.routes().stream()
                .filter(r -> r.type() == type)
                .map(r -> r.id() + " from "
                        + r.from().stream().sorted().map(PartnerKind::code).collect(Collectors.joining(", ")) + " in "
                        + (r.departments().isEmpty()
                                ? "every department"
                                : r.departments().stream()
                                        .sorted()
                                        .map(Department::code)
                                        .collect(Collectors.joining(", "))))
                .toList();
        return new GatewayException(
                ErrorCode.ROUTE_NOT_FOUND,
                "no route for " + type + " from a "
                        + sender.kind().code() + " (" + sender + ") in department " + department + " ("
                        + (existing.isEmpty()
                                ? "no route exists for " + type
                                : "routes for " + type + ": " + String.join("; ", existing))
                        + ")",
                existing);
    }

    private record Resolution(List<Partner> partners, List<String> why) {}
}
