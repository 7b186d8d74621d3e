package fr.passerelle.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.config.model.Recipient;
import fr.passerelle.core.config.model.Route;
import fr.passerelle.core.config.model.RouteCondition;
import fr.passerelle.core.config.model.RouteSubject;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Reads {@code routes.yaml} and checks each route against the partner registry and the schemas. */
final class RouteReader {
    private static final Pattern ROUTE_ID = Pattern.compile("[a-z0-9][a-z0-9.-]{0,62}");
    private static final Pattern FIELD = Pattern.compile("[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z][A-Za-z0-9]*)*");
    private static final ConfigSchema SCHEMA = ConfigSchema.named("routes");
    /** Services for adults only: the SIAO's adult emergency housing, the associations (exit pathway, adult victims). */
    private static final Set<PartnerKind> ADULT_SERVICES = EnumSet.of(PartnerKind.SIAO, PartnerKind.ASSOCIATION);
    /** Types that concern adults only: a minor needs no residence permit and cannot be removed (CESEDA L.611-3). */
    private static final Set<ReferralType> ADULT_TYPES = EnumSet.of(
            ReferralType.RESIDENCE_PERMIT_SUPPORT,
            ReferralType.REFLECTION_PERIOD_REQUEST,
            ReferralType.REMOVAL_OBJECTIVE,
            ReferralType.RESIDENCE_PERMIT_DECISION,
            ReferralType.REFLECTION_PERIOD_DECISION);

    private final Map<PartnerId, Partner> partners;
    private final Set<PartnerId> declared;
    private final ConfigChecks checks;
    private final Problems problems;
    private final LocalDate today;
    private final boolean partnersValid;
    private final Map<String, Integer> idLines = new HashMap<>();

    /**
     * @param declared every partner id declared by a file, so a partner with errors is not also "unknown" here
     * @param today    the day on which approvals are judged valid or expired
     * @param partnersValid whether every partner file read without error: only then is it known who serves where
     */
    RouteReader(
            Map<PartnerId, Partner> partners,
            Set<PartnerId> declared,
            ConfigChecks checks,
            Problems problems,
            LocalDate today,
            boolean partnersValid) {
        this.partners = partners;
        this.declared = declared;
        this.checks = checks;
        this.problems = problems;
        this.today = today;
        this.partnersValid = partnersValid;
    }

    /** The line of each route's id in routes.yaml, for problems found later about a whole route. */
    Map<String, Integer> lines() {
        return Map.copyOf(idLines);
    }

    /** @return the routes, or empty when one of them could not be read */
    Optional<List<Route>> read(YamlFile file) {
        YamlNode unchecked = YamlNode.root(file, problems);
        if (!unchecked.requireObject("routes: followed by a list of routes")) {
            return Optional.empty();
        }
        // The keys and types of routes are the schema's; deadlines and protection have their own readers.
        YamlNode root = unchecked.checkedAgainst(SCHEMA);
        Optional<YamlNode> routesNode = root.field("routes");
        Optional<List<YamlNode>> items =
                routesNode.flatMap(n -> n.items("a list of routes, each beginning with" + " '- id:'"));
        if (items.isEmpty()) {
            return Optional.empty();
        }
        // a route the schema refused was reported and is left out: the table is incomplete
        boolean valid = items.get().size() == routesNode.get().value().size();
        List<Route> routes = new ArrayList<>();
        for (YamlNode item : items.get()) {
            Optional<Route> route = route(item);
            route.ifPresent(routes::add);
            valid &= route.isPresent();
        }
        Set<ReferralType> routed = EnumSet.noneOf(ReferralType.class);
        routes.forEach(r -> routed.add(r.type()));
        for (ReferralType type : ReferralType.values()) {
            if (valid && type == ReferralType.CHILD_PROTECTION_ALERT && !routed.contains(type)) {
                root.warning(
                        "no route for " + type.code() + ": the gateway raises one for every referral about a"
                                + " minor, so every such referral will be refused with route_not_found",
                        "add a route of " + type.code() + " to {kind: crip} and {kind: prosecutor} (docs/MINORS.md)");
            } else if (valid && type.routed() && !routed.contains(type)) {
                root.warning(
                        "no route for " + type.code() + ": every submission of it will be refused with"
                                + " route_not_found",
                        "add a route for " + type.code() + ", or remove it from the partners'" + " may_send");
            }
        }
        return valid ? Optional.of(routes) : Optional.empty();
    }

    private Optional<Route> route(YamlNode item) {
        Optional<String> id = item.field("id").flatMap(this::id);
        Optional<ReferralType> type = item.field("type").flatMap(RouteReader::type);
        Optional<Set<PartnerKind>> from = item.field("from").flatMap(n -> from(n, type));
        Optional<Set<Department>> departments =
                item.field("departments").map(PartnerReader::departments).orElse(Optional.of(Set.of()));
        String name = id.map(i -> "route " + i).orElse("this route");
        Optional<List<Recipient>> to = item.field("to").flatMap(n -> to(n, name, type, departments));
        Optional<List<String>> fields = item.field("fields").flatMap(n -> fields(n, name, type, to));
        Optional<RouteSubject> subject =
                item.field("subject").map(RouteReader::subject).orElse(Optional.of(RouteSubject.ANY));
        Optional<Optional<String>> obligation =
                item.field("legal_obligation").map(RouteReader::obligation).orElse(Optional.of(Optional.empty()));
        Optional<Optional<RouteCondition>> when =
                item.field("when").map(n -> when(n, name, type)).orElse(Optional.of(Optional.empty()));
        if (id.isEmpty()
                || type.isEmpty()
                || from.isEmpty()
                || departments.isEmpty()
                || to.isEmpty()
                || fields.isEmpty()
                || subject.isEmpty()
                || obligation.isEmpty()
                || when.isEmpty()
                || !adultsOnly(item, name, type.get(), to.get(), subject.get())) {
            return Optional.empty();
        }
        return Optional.of(new Route(
                id.get(),
                type.get(),
                from.get(),
                departments.get(),
                to.get(),
                fields.get(),
                subject.get(),
                obligation.get(),
                when.get()));
    }

    /**
     * {@code when: {shelter.constraints: away-from-department}}: one field of the type's schema and the value it
     * must have, or hold when it is a list.
     */
    private Optional<Optional<RouteCondition>> when(YamlNode node, String route, Optional<ReferralType> type) {
        String example = "when: {shelter.constraints: away-from-department}";
        if (!node.requireObject(example)) {
            return Optional.empty();
        }
        if (node.value().size() != 1) {
            node.error(
                    route + " has " + node.value().size() + " conditions under 'when' (expected exactly one field"
                            + " and its value)",
                    "write it like " + example);
            return Optional.empty();
        }
        String field = node.value().fieldNames().next();
        // A dotted key is no path of the file: problems are reported on the line of 'when' itself.
        JsonNode value = node.value().get(field);
        Set<String> known = type.map(checks.schemaFields()).orElse(Set.of());
        if (!FIELD.matcher(field).matches()) {
            node.error(
                    route + " tests '" + field + "', which is not a dotted path (expected: names joined by dots,"
                            + " such as shelter.constraints)",
                    "write it like " + example);
            return Optional.empty();
        }
        if (!known.isEmpty() && !known.contains(field)) {
            notInSchema(node, route + " tests field '" + field + "'", field, type.get(), known);
            return Optional.empty();
        }
        if (!value.isValueNode() || value.isNull() || value.asText().isBlank()) {
            node.error(
                    route + " tests '" + field + "' against "
                            + (value.isContainerNode() ? "a list or a mapping" : "nothing")
                            + " (expected one value: a code such as away-from-department, true or false)",
                    "write it like " + example);
            return Optional.empty();
        }
        return Optional.of(Optional.of(new RouteCondition(field, value.asText())));
    }

    private static Optional<RouteSubject> subject(YamlNode node) {
        Optional<String> text = node.text();
        Optional<RouteSubject> subject = text.flatMap(RouteSubject::find);
        if (text.isPresent() && subject.isEmpty()) {
            node.error(
                    "subject is not valid, found " + node.found() + " (expected one of: " + RouteSubject.codes() + ")",
                    "write subject: adult for a service for adults, minor for child protection, or leave it"
                            + " out (any)");
        }
        return subject;
    }

    private static Optional<Optional<String>> obligation(YamlNode node) {
        Optional<String> text = node.text();
        if (text.isPresent() && text.get().isBlank()) {
            node.error(
                    "legal_obligation is empty",
                    "name the legal text that obliges this transmission, such as"
                            + " \"CASF L.226-3\", or remove the key: the route then rests on the person's consent");
            return Optional.empty();
        }
        return text.map(t -> Optional.of(t.strip()));
    }

    /**
     * A route to an adult-only service declares {@code subject: adult}; a route for minors carries no type that
     * concerns adults only.
     */
    private boolean adultsOnly(
            YamlNode item, String route, ReferralType type, List<Recipient> to, RouteSubject subject) {
        boolean carriesPerson = checks.schemaFields().apply(type).contains("subject");
        Optional<PartnerKind> adultService = to.stream()
                .map(RouteReader::kind)
                .filter(ADULT_SERVICES::contains)
                .findFirst();
        YamlNode at = item.field("subject").orElse(item);
        if (carriesPerson && subject != RouteSubject.ADULT && adultService.isPresent()) {
            at.error(
                    route + " sends " + type.code() + " to " + Competence.aKind(adultService.get()) + ", a service for"
                            + " adults, but takes referrals about "
                            + (subject == RouteSubject.MINOR ? "minors" : "anyone")
                            + ": a referral about a minor must never reach it " + SafetyRule.ADULTS_ONLY.tag(),
                    "add subject: adult to the route; a referral about a minor raises a child.protection.alert to"
                            + " the CRIP and the juvenile prosecutor instead (docs/MINORS.md)");
            return false;
        }
        if (subject == RouteSubject.MINOR && ADULT_TYPES.contains(type)) {
            at.error(
                    route + " carries " + type.code() + " about minors, but it concerns adults only (a minor needs"
                            + " no residence permit and cannot be removed, CESEDA L.611-3) "
                            + SafetyRule.ADULTS_ONLY.tag(),
                    "remove subject: minor, or the route");
            return false;
        }
        return true;
    }

    private static PartnerKind kind(Recipient recipient) {
        return recipient instanceof Recipient.ByKind byKind
                ? byKind.kind()
                : ((Recipient.Named) recipient).partner().kind();
    }

    private Optional<String> id(YamlNode node) {
        Optional<String> id = node.text();
        if (id.isEmpty()) {
            return id;
        }
        if (!ROUTE_ID.matcher(id.get()).matches()) {
            node.error(
                    "route id is not valid, found " + node.found() + " (expected: lowercase letters, digits, dots"
                            + " and dashes, at most 63 characters)",
                    "write it like orientation-75");
            return Optional.empty();
        }
        Integer first = idLines.putIfAbsent(id.get(), node.line());
        if (first != null) {
            node.error("route id '" + id.get() + "' is already used on line " + first, "give each route its own id");
            return Optional.empty();
        }
        return id;
    }

    private static Optional<ReferralType> type(YamlNode node) {
        Optional<ReferralType> type = node.text().flatMap(t -> PartnerReader.type(new YamlNode.Located(node, t)));
        if (type.filter(t -> t == ReferralType.REFERRAL_RECEIPT).isPresent()) {
            node.error(
                    "referral.receipt is not routed: a receipt always goes back to the referral's sender",
                    "remove this route");
            return Optional.empty();
        }
        if (type.filter(t -> t == ReferralType.CONSENT_WITHDRAWN).isPresent()) {
            node.error(
                    "consent.withdrawn is not routed: it goes to every partner that holds a copy of the referral"
                            + " it names",
                    "remove this route");
            return Optional.empty();
        }
        return type;
    }

    private static Optional<Set<PartnerKind>> from(YamlNode node, Optional<ReferralType> type) {
        Optional<List<YamlNode.Located>> codes = node.texts("[police, gendarmerie]");
        if (codes.isEmpty()) {
            return Optional.empty();
        }
        if (codes.get().isEmpty()) {
            node.error("'from' is empty: the route would match no sender", "list the sender kinds, such as [police]");
            return Optional.empty();
        }
        Set<PartnerKind> kinds = EnumSet.noneOf(PartnerKind.class);
        boolean valid = true;
        for (YamlNode.Located code : codes.get()) {
            Optional<PartnerKind> kind = PartnerReader.kind(code);
            valid &= kind.isPresent();
            kind.ifPresent(kinds::add);
            if (kind.isPresent() && type.isPresent() && !Competence.maySend(kind.get(), type.get())) {
                code.node()
                        .warning(
                                Competence.aKind(kind.get()) + " does not send "
                                        + type.get().code() + " in" + " DESIGN.md's message table (senders: "
                                        + Competence.senders(type.get()) + ")",
                                "remove " + kind.get().code() + " from this route's senders");
            }
        }
        return valid ? Optional.of(kinds) : Optional.empty();
    }

    /**
     * A list of recipients, {@code route} naming their owner in messages; with a type, each must be a kind of
     * partner that receives it; with departments, each kind must be served there.
     */
    Optional<List<Recipient>> to(
            YamlNode node, String route, Optional<ReferralType> type, Optional<Set<Department>> departments) {
        Optional<List<YamlNode>> items = node.items("[{kind: association}, {partner: siao-75}]");
        if (items.isEmpty()) {
            return Optional.empty();
        }
        if (items.get().isEmpty()) {
            node.error("'to' is empty: the route would reach nobody", "list the recipients, such as [{kind: siao}]");
            return Optional.empty();
        }
        List<Recipient> recipients = new ArrayList<>();
        boolean valid = true;
        for (YamlNode item : items.get()) {
            Optional<Recipient> recipient = recipient(item, route, type, departments);
            recipient.ifPresent(recipients::add);
            valid &= recipient.isPresent();
        }
        return valid ? Optional.of(recipients) : Optional.empty();
    }

    private Optional<Recipient> recipient(
            YamlNode item, String route, Optional<ReferralType> type, Optional<Set<Department>> departments) {
        if (!item.requireObject("{partner: siao-75} or {kind: association, approval: exit-pathway}")) {
            return Optional.empty();
        }
        item.allowKeys(new LinkedHashSet<>(List.of("partner", "kind", "approval")));
        Optional<YamlNode> partner = item.field("partner");
        Optional<YamlNode> kind = item.field("kind");
        if (partner.isPresent() == kind.isPresent()) {
            item.error(
                    "a recipient names either a partner or a kind" + (partner.isPresent() ? ", not both" : ""),
                    "write {partner: siao-75} or {kind: association}");
            return Optional.empty();
        }
        if (partner.isPresent()) {
            item.field("approval")
                    .ifPresent(a -> a.error(
                            "'approval' applies to {kind: ...} recipients only: a"
                                    + " named partner is reached whatever its approvals",
                            "remove it, or use {kind: association," + " approval: ...}"));
            return partner.flatMap(p -> named(p, route, type))
                    .filter(r -> item.field("approval").isEmpty());
        }
        Optional<PartnerKind> recipientKind =
                kind.get().text().flatMap(t -> PartnerReader.kind(new YamlNode.Located(kind.get(), t)));
        if (recipientKind.isPresent() && type.isPresent() && !Competence.mayReceive(recipientKind.get(), type.get())) {
            kind.get()
                    .error(
                            route + " sends " + type.get().code() + " to " + Competence.aKind(recipientKind.get())
                                    + ", which the instruction does not intend: "
                                    + type.get().code() + " goes to "
                                    + Competence.receivers(type.get()) + " only " + SafetyRule.RECIPIENT_INTENDED.tag(),
                            "route " + type.get().code() + " to " + Competence.receivers(type.get()));
            return Optional.empty();
        }
        Optional<YamlNode> approvalNode = item.field("approval");
        Optional<String> approval = approvalNode.flatMap(a -> PartnerReader.code(a, "approval"));
        if (approvalNode.isPresent() && approval.isEmpty()) {
            return Optional.empty();
        }
        if (approval.isPresent()
                && recipientKind.filter(k -> k != PartnerKind.ASSOCIATION).isPresent()) {
            approvalNode
                    .get()
                    .error(
                            "only associations hold approvals: every "
                                    + recipientKind.get().code() + " would be left out",
                            "remove the approval, or route to {kind: association}");
            return Optional.empty();
        }
        Optional<Recipient> recipient = recipientKind.map(k -> new Recipient.ByKind(k, approval));
        if (recipient.isPresent()
                && departments.isPresent()
                && !served(item, route, (Recipient.ByKind) recipient.get(), departments.get())) {
            return Optional.empty();
        }
        return recipient;
    }

    /**
     * Whether a recipient by kind reaches somebody: an enabled partner of the kind, holding the approval when one
     * is asked, in every department the route lists, or in at least one department when it lists none. An
     * approval that has expired is only warned about: the date alone must not stop a gateway from restarting.
     */
    private boolean served(YamlNode item, String route, Recipient.ByKind byKind, Set<Department> listed) {
        if (!partnersValid) {
            return true; // a partner file has errors of its own, reported once there: who serves where is unknown
        }
        Set<Department> wanted = listed.isEmpty() ? deploymentDepartments() : new TreeSet<>(listed);
        String who = "enabled " + byKind.kind().code()
                + byKind.approval().map(a -> " approved for " + a).orElse("");
        List<Department> none = new ArrayList<>();
        List<Department> expired = new ArrayList<>();
        for (Department department : wanted) {
            List<Partner> candidates = partners.values().stream()
                    .filter(p -> p.enabled()
                            && p.kind() == byKind.kind()
                            && p.reachableByKindIn(department)
                            && byKind.approval()
                                    .map(a -> p.approvals().stream()
                                            .anyMatch(h -> h.code().equals(a)
                                                    && h.department().equals(department)))
                                    .orElse(true))
                    .toList();
            if (candidates.isEmpty()) {
                none.add(department);
            } else if (byKind.approval().isPresent()
                    && candidates.stream()
                            .noneMatch(p -> p.holds(byKind.approval().get(), department, today))) {
                expired.add(department);
            }
        }
        boolean reachesNobody = wanted.isEmpty()
                ? partners.values().stream().noneMatch(p -> p.enabled() && p.kind() == byKind.kind())
                : none.size() == wanted.size();
        if (reachesNobody || (!listed.isEmpty() && !none.isEmpty())) {
            String what = listed.isEmpty()
                    ? " of the referral's department, but "
                            + (wanted.isEmpty()
                                    ? "there is none"
                                    : "none serves any department of the deployment (" + codes(wanted) + ")")
                    : " of departments " + codes(wanted) + ", but none serves " + codes(none);
            item.error(
                    route + " sends to every " + who + what + " " + SafetyRule.RECIPIENT_SERVED.tag(),
                    "add or enable " + Competence.aKind(byKind.kind()) + " partner"
                            + (none.isEmpty() ? "" : " serving " + codes(none))
                            + byKind.approval()
                                    .map(a -> " with the " + a + " approval")
                                    .orElse("") + ", or remove "
                            + (listed.isEmpty() ? "this recipient" : "the department")
                            + " from the route");
            return false;
        }
        if (!expired.isEmpty()) {
            item.warning(
                    route + " sends to every " + who + ", but every such partner's approval has expired in "
                            + codes(expired) + ": it reaches nobody there " + SafetyRule.RECIPIENT_SERVED.tag(),
                    "renew the approval's date in the partner's entry, or route to another partner");
        }
        return true;
    }

    /** The departments that at least one partner serves by name: where the deployment operates. */
    private Set<Department> deploymentDepartments() {
        Set<Department> departments = new TreeSet<>();
        partners.values().forEach(p -> departments.addAll(p.departments()));
        return departments;
    }

    private static String codes(java.util.Collection<Department> departments) {
        return departments.stream().map(Department::code).sorted().collect(java.util.stream.Collectors.joining(", "));
    }

    private Optional<Recipient> named(YamlNode node, String route, Optional<ReferralType> type) {
        Optional<String> text = node.text();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        PartnerId id;
        try {
            id = PartnerId.of(text.get());
        } catch (GatewayException e) {
            node.error(e.getMessage(), "write the id of a partner in partners/");
            return Optional.empty();
        }
        Partner partner = partners.get(id);
        if (partner == null && !declared.contains(id)) {
            node.error(
                    route + " names partner '" + id + "', which is not in partners/ "
                            + SafetyRule.RECIPIENT_EXISTS.tag(),
                    Suggest.didYouMean(
                            id.value(),
                            partners.keySet().stream().map(PartnerId::value).toList(),
                            "add partners/" + id + ".yaml, or" + " correct the id"));
            return Optional.empty();
        }
        if (type.isPresent() && !Competence.mayReceive(id.kind(), type.get())) {
            node.error(
                    route + " sends " + type.get().code() + " to partner " + id + ", " + Competence.aKind(id.kind())
                            + ", which the instruction does not intend: "
                            + type.get().code() + " goes to "
                            + Competence.receivers(type.get()) + " only " + SafetyRule.RECIPIENT_INTENDED.tag(),
                    "route " + type.get().code() + " to " + Competence.receivers(type.get()));
            return Optional.empty();
        }
        if (partner != null && !partner.enabled()) {
            node.error(
                    route + " names partner " + id + ", which is disabled: the route would reach it no more "
                            + SafetyRule.RECIPIENT_ENABLED.tag(),
                    "enable the partner, or remove it from the route");
            return Optional.empty();
        }
        return Optional.of(new Recipient.Named(id));
    }

    private Optional<List<String>> fields(
            YamlNode node, String route, Optional<ReferralType> type, Optional<List<Recipient>> to) {
        Optional<List<YamlNode.Located>> paths = node.texts("[subject.languages, needs]");
        if (paths.isEmpty()) {
            return Optional.empty();
        }
        if (paths.get().isEmpty()) {
            node.warning(
                    "'fields' is empty: recipients get only type, department and urgency",
                    "list the fields the recipients need");
        }
        Set<String> known = type.map(checks.schemaFields()).orElse(Set.of());
        boolean toSiao = to.orElse(List.of()).stream().anyMatch(RouteReader::isSiao);
        Set<String> fields = new LinkedHashSet<>();
        boolean valid = true;
        for (YamlNode.Located path : paths.get()) {
            String field = path.text();
            Optional<SafetyRule.Refusal> notForSiao = toSiao ? SafetyRule.notForSiao(route, field) : Optional.empty();
            boolean ok = true;
            if (!FIELD.matcher(field).matches()) {
                path.node()
                        .error(
                                "field is not a dotted path, found "
                                        + path.node().found() + " (expected: names"
                                        + " joined by dots, such as subject.languages)",
                                "write it like subject.languages");
                ok = false;
            } else if (!known.isEmpty() && !known.contains(field)) {
                notInSchema(path.node(), route + " lists field '" + field + "'", field, type.get(), known);
                ok = false;
            } else if (notForSiao.isPresent()) {
                path.node().error(notForSiao.get().message(), notForSiao.get().fix());
                ok = false;
            }
            if (ok && !fields.add(field)) {
                path.node().warning("field '" + field + "' is listed twice", "remove the second one");
            }
            valid &= ok;
        }
        return valid ? Optional.of(List.copyOf(fields)) : Optional.empty();
    }

    /** Rule {@link SafetyRule#FIELDS_IN_SCHEMA}: {@code what} names a field outside the type's schema. */
    private static void notInSchema(YamlNode at, String what, String field, ReferralType type, Set<String> known) {
        at.error(
                what + ", which is not in the " + type.code() + " schema " + SafetyRule.FIELDS_IN_SCHEMA.tag(),
                Suggest.didYouMean(field, known, "see docs/CANONICAL.md for the fields of " + type.code()));
    }

    private static boolean isSiao(Recipient recipient) {
        return recipient instanceof Recipient.ByKind byKind
                ? byKind.kind() == PartnerKind.SIAO
                : ((Recipient.Named) recipient).partner().kind() == PartnerKind.SIAO;
    }
}
