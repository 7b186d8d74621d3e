package fr.passerelle.core.config;

import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.config.model.Recipient;
import fr.passerelle.core.config.model.Route;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Rule {@link SafetyRule#DEPARTMENT_COVERED}: every enabled partner that may send a type, in every department it
 * serves (a national partner: every department of the deployment), has a route that delivers it to somebody
 * other than itself; and each recipient kind of a route that matches there reaches somebody there (a closure route
 * that lists the URSSAF, in a department where no URSSAF partner serves, is warned about once per kind and
 * department, even when the route's other kinds are reached; the police and the gendarmerie, which share the
 * territory, stand for each other). Recipients are resolved as {@code fr.passerelle.core.routing.Router} resolves them on the
 * check's day: named partners when enabled, partners of a kind when enabled, serving the department and holding
 * the route's approval then. A gap is a warning: such a referral is refused with {@code route_not_found}, it never
 * reaches a wrong party, and the order in which an administrator adds a sender and its recipients stays free.
 */
final class Coverage {
    private final Map<PartnerId, Partner> partners;
    private final List<Route> routes;
    private final LocalDate today;

    Coverage(Map<PartnerId, Partner> partners, List<Route> routes, LocalDate today) {
        this.partners = new TreeMap<>(partners);
        this.routes = List.copyOf(routes);
        this.today = today;
    }

    /**
     * Reports each (type, department) with senders but no recipient, once, on the line of the type's first route
     * (or the file, when the type has none).
     */
    void check(Path routesFile, Map<String, Integer> routeLines, Problems problems) {
        Map<String, Gap> gaps = new TreeMap<>();
        Map<String, KindGap> kindGaps = new TreeMap<>();
        Set<Department> deployment = new TreeSet<>();
        partners.values().forEach(p -> deployment.addAll(p.departments()));
        for (Partner sender : partners.values()) {
            if (!sender.enabled()) {
                continue;
            }
            for (ReferralType type : new TreeSet<>(sender.maySend())) {
                if (!type.routed()) {
                    continue;
                }
                for (Department department : sender.departments().isEmpty() ? deployment : sender.departments()) {
                    List<Route> matching = routes.stream()
                            .filter(r -> r.matches(type, sender.kind(), department))
                            .toList();
                    if (matching.stream().noneMatch(r -> reachesSomebody(r, sender, department))) {
                        gaps.computeIfAbsent(type.code() + " " + department.code(), k -> new Gap(type, department))
                                .add(sender, matching);
                        continue;
                    }
                    for (Route route : matching) {
                        for (Recipient recipient : route.to()) {
                            if (recipient instanceof Recipient.ByKind byKind
                                    && !reaches(route, byKind, sender, department)
                                    && !twinReached(route, byKind, sender, department)) {
                                kindGaps.computeIfAbsent(
                                                route.id() + " " + byKind.kind().code() + " " + department.code(),
                                                k -> new KindGap(route, byKind, department))
                                        .senders
                                        .add(sender.id());
                            }
                        }
                    }
                }
            }
        }
        for (Gap gap : gaps.values()) {
            int line = routes.stream()
                    .filter(r -> r.type() == gap.type)
                    .findFirst()
                    .map(r -> routeLines.getOrDefault(r.id(), 0))
                    .orElse(0);
            problems.warning(
                    routesFile,
                    line,
                    gap.type.code() + " sent in department " + gap.department.code()
                            + " by " + ids(gap.senders) + " would reach nobody: " + gap.why() + " "
                            + SafetyRule.DEPARTMENT_COVERED.tag(),
                    "add a route of " + gap.type.code() + " from "
                            + gap.kinds() + " to a recipient serving " + gap.department.code() + ", or remove "
                            + gap.type.code() + " from the may_send of " + ids(gap.senders));
        }
        reportKinds(kindGaps.values(), routesFile, routeLines, problems);
    }

    /**
     * Reports each recipient kind of a route that reaches nobody in a department where the route's type is sent,
     * while the referral reaches somebody else: the sender would believe that service told.
     */
    private static void reportKinds(
            Collection<KindGap> kindGaps, Path routesFile, Map<String, Integer> routeLines, Problems problems) {
        for (KindGap gap : kindGaps) {
            String kind = gap.recipient.kind().code();
            String approved =
                    gap.recipient.approval().map(a -> " approved for " + a).orElse("");
            problems.warning(
                    routesFile,
                    routeLines.getOrDefault(gap.route.id(), 0),
                    gap.route.id() + " sends " + gap.route.type().code() + " to every enabled " + kind + approved
                            + ", but none receives it in department " + gap.department.code() + ", where "
                            + ids(gap.senders) + " may send it: that recipient is silently missing there "
                            + SafetyRule.DEPARTMENT_COVERED.tag(),
                    "add " + Competence.aKind(gap.recipient.kind()) + " partner serving " + gap.department.code()
                            + approved + ", or give the route departments: that leave " + gap.department.code()
                            + " out and route " + gap.department.code() + " to whoever stands for it there");
        }
    }

    /**
     * The police and the gendarmerie share the territory (police zones in towns, gendarmerie zones elsewhere): a
     * route that lists both misses neither while the other is reached, as in Paris, which has no gendarmerie unit.
     */
    private boolean twinReached(Route route, Recipient.ByKind byKind, Partner sender, Department department) {
        PartnerKind twin =
                switch (byKind.kind()) {
                    case POLICE -> PartnerKind.GENDARMERIE;
                    case GENDARMERIE -> PartnerKind.POLICE;
                    default -> null;
                };
        return twin != null
                && route.to().stream()
                        .anyMatch(r -> r instanceof Recipient.ByKind other
                                && other.kind() == twin
                                && reaches(route, other, sender, department));
    }

    private boolean reaches(Route route, Recipient.ByKind byKind, Partner sender, Department department) {
        return partners.values().stream()
                .filter(p -> p.enabled() && !p.id().equals(sender.id()))
                .anyMatch(p -> qualifies(p, byKind, department) && p.receives(route.type()));
    }

    private boolean reachesSomebody(Route route, Partner sender, Department department) {
        return route.to().stream().anyMatch(recipient -> partners.values().stream()
                .filter(p -> p.enabled() && !p.id().equals(sender.id()))
                .anyMatch(p -> recipient instanceof Recipient.Named named
                        ? named.partner().equals(p.id())
                        : qualifies(p, (Recipient.ByKind) recipient, department) && p.receives(route.type())));
    }

    private boolean qualifies(Partner partner, Recipient.ByKind byKind, Department department) {
        // As the router reaches them: a national partner is reached by name only.
        return partner.kind() == byKind.kind()
                && partner.reachableByKindIn(department)
                && byKind.approval()
                        .map(a -> partner.holds(a, department, today))
                        .orElse(true);
    }

    /** One recipient kind of one route that reaches nobody in one department, and who sends there. */
    private static final class KindGap {
        private final Route route;
        private final Recipient.ByKind recipient;
        private final Department department;
        private final Set<PartnerId> senders = new LinkedHashSet<>();

        KindGap(Route route, Recipient.ByKind recipient, Department department) {
            this.route = route;
            this.recipient = recipient;
            this.department = department;
        }
    }

    private static String ids(Collection<PartnerId> ids) {
        return ids.stream().map(PartnerId::value).collect(Collectors.joining(", "));
    }

    /** The senders of one type in one department that no route serves, and the routes that matched them. */
    private static final class Gap {
        private final ReferralType type;
        private final Department department;
        private final Set<PartnerId> senders = new LinkedHashSet<>();
        private final Set<String> matched = new LinkedHashSet<>();

        Gap(ReferralType type, Department department) {
            this.type = type;
            this.department = department;
        }

        void add(Partner sender, List<Route> matching) {
            senders.add(sender.id());
            matching.forEach(r -> matched.add(r.id()));
        }

        String kinds() {
            return senders.stream()
                    .map(PartnerId::kind)
                    .map(PartnerKind::code)
                    .distinct()
                    .collect(Collectors.joining(", "));
        }

        String why() {
            return matched.isEmpty()
                    ? "no route matches them there"
                    : "route" + (matched.size() == 1 ? " " : "s ") + String.join(", ", new ArrayList<>(matched))
                            + " match" + (matched.size() == 1 ? "es" : "") + " but reach"
                            + (matched.size() == 1 ? "es" : "")
                            + " no enabled recipient there";
        }
    }
}
