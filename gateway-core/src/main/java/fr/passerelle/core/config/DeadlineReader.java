package fr.passerelle.core.config;

import fr.passerelle.core.config.model.DeadlineRule;
import fr.passerelle.core.config.model.Recipient;
import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code deadlines:} list of routes.yaml: per type and urgency, how long recipients have to acknowledge
 * a referral before it is escalated, and to accept it before it expires.
 */
final class DeadlineReader {
    private static final Set<String> KEYS =
            new LinkedHashSet<>(List.of("type", "urgency", "acknowledge_within", "escalate_to", "expire_after"));
    private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,5})([smhd])");

    private final RouteReader routes;

    /** @param routes reads escalate_to's recipients exactly as a route's {@code to} */
    DeadlineReader(RouteReader routes) {
        this.routes = routes;
    }

    /** @return the rules, none when routes.yaml has no {@code deadlines:}, or empty when one could not be read */
    Optional<List<DeadlineRule>> read(YamlFile file, Problems problems) {
        YamlNode root = YamlNode.root(file, problems);
        Optional<YamlNode> section = root.value().isObject() ? root.field("deadlines") : Optional.empty();
        if (section.isEmpty()) {
            return Optional.of(List.of());
        }
        Optional<List<YamlNode>> items = section.get().items("a list of deadlines, each beginning with '- type:'");
        if (items.isEmpty()) {
            return Optional.empty();
        }
        List<DeadlineRule> rules = new ArrayList<>();
        boolean valid = true;
        for (YamlNode item : items.get()) {
            Optional<DeadlineRule> rule = rule(item, rules);
            rule.ifPresent(rules::add);
            valid &= rule.isPresent();
        }
        return valid ? Optional.of(rules) : Optional.empty();
    }

    private Optional<DeadlineRule> rule(YamlNode item, List<DeadlineRule> earlier) {
        if (!item.requireObject("- type: shelter.request\n  urgency: [immediate]\n  acknowledge_within: 30m")) {
            return Optional.empty();
        }
        item.allowKeys(KEYS);
        Optional<ReferralType> type = item.required("type", "type: shelter.request")
                .flatMap(n -> n.text().flatMap(t -> PartnerReader.type(new YamlNode.Located(n, t))));
        Optional<Set<Urgency>> urgencies =
                item.field("urgency").map(DeadlineReader::urgencies).orElse(Optional.of(EnumSet.allOf(Urgency.class)));
        Optional<YamlNode> ackNode = item.field("acknowledge_within");
        Optional<YamlNode> escalateNode = item.field("escalate_to");
        Optional<YamlNode> expireNode = item.field("expire_after");
        Optional<Duration> acknowledge = ackNode.flatMap(DeadlineReader::duration);
        Optional<Duration> expire = expireNode.flatMap(DeadlineReader::duration);
        // A notice carries no content of the referral: any partner may be told, whatever types it receives.
        String name = "the deadline for " + type.map(ReferralType::code).orElse("its type");
        Optional<List<Recipient>> escalateTo = escalateNode
                .map(n -> routes.to(n, name, Optional.empty(), Optional.empty()))
                .orElse(Optional.of(List.of()));
        boolean valid = type.isPresent()
                && urgencies.isPresent()
                && ackNode.isPresent() == acknowledge.isPresent()
                && expireNode.isPresent() == expire.isPresent()
                && escalateTo.isPresent();
        if (!valid) {
            return Optional.empty();
        }
        if (ackNode.isPresent() && escalateNode.isEmpty()) {
            ackNode.get()
                    .error(
                            "acknowledge_within without escalate_to: nobody would be told",
                            "add escalate_to: [{kind: "
                                    + (type.get() == ReferralType.SHELTER_REQUEST ? "housing" : "prefecture")
                                    + "}] (the duty partners of the referral's department)");
            return Optional.empty();
        }
        if (escalateNode.isPresent() && ackNode.isEmpty()) {
            escalateNode
                    .get()
                    .error(
                            "escalate_to without acknowledge_within: nothing says when to escalate",
                            "add acknowledge_within: 30m");
            return Optional.empty();
        }
        if (ackNode.isEmpty() && expireNode.isEmpty()) {
            item.error(
                    "this deadline sets neither acknowledge_within nor expire_after: it would do nothing",
                    "add acknowledge_within: 30m with escalate_to: [...], or expire_after: 24h");
            return Optional.empty();
        }
        if (acknowledge.isPresent() && expire.isPresent() && expire.get().compareTo(acknowledge.get()) <= 0) {
            expireNode
                    .get()
                    .error(
                            "expire_after (" + expireNode.get().value().asText() + ") is not later than"
                                    + " acknowledge_within ("
                                    + ackNode.get().value().asText() + "): the referral would expire before anyone"
                                    + " is told it waits",
                            "make expire_after longer than acknowledge_within");
            return Optional.empty();
        }
        for (DeadlineRule other : earlier) {
            Set<Urgency> both = EnumSet.copyOf(other.urgencies());
            both.retainAll(urgencies.get());
            if (other.type() == type.get() && !both.isEmpty()) {
                item.error(
                        "a deadline for " + type.get().code() + " with urgency "
                                + both.iterator().next() + " is already set above: which one applies would be unclear",
                        "give each type and urgency one deadline");
                return Optional.empty();
            }
        }
        if (type.get() == ReferralType.SHELTER_REQUEST) {
            escalateNode.ifPresent(node -> warnWithoutAuthority(node, escalateTo.get()));
        }
        return Optional.of(new DeadlineRule(type.get(), urgencies.get(), acknowledge, escalateTo.get(), expire));
    }

    /**
     * Rule {@link SafetyRule#SHELTER_ESCALATION_AUTHORITY}: a duty partner of a shelter request that is not the
     * State's housing service cannot find a place, and the person may sleep outside while it is told.
     */
    private static void warnWithoutAuthority(YamlNode escalateNode, List<Recipient> escalateTo) {
        for (Recipient recipient : escalateTo) {
            PartnerKind kind = recipient instanceof Recipient.ByKind byKind
                    ? byKind.kind()
                    : ((Recipient.Named) recipient).partner().kind();
            if (kind != PartnerKind.HOUSING) {
                escalateNode.warning(
                        "the deadline for " + ReferralType.SHELTER_REQUEST.code() + " escalates to a " + kind.code()
                                + ", which has no authority over the 115: only the State's housing service (DRIHL,"
                                + " DDETS, DEETS) can find a place " + SafetyRule.SHELTER_ESCALATION_AUTHORITY.tag(),
                        "escalate_to: [{kind: housing}], with a housing partner serving each department");
            }
        }
    }

    private static Optional<Set<Urgency>> urgencies(YamlNode node) {
        Optional<List<YamlNode.Located>> codes = node.texts("[immediate, urgent]");
        if (codes.isEmpty()) {
            return Optional.empty();
        }
        if (codes.get().isEmpty()) {
            node.error(
                    "'urgency' is empty: the deadline would watch nothing",
                    "list urgencies, such as [immediate]," + " or remove the key to watch every urgency");
            return Optional.empty();
        }
        Set<Urgency> urgencies = EnumSet.noneOf(Urgency.class);
        for (YamlNode.Located code : codes.get()) {
            switch (code.text()) {
                case "routine" -> urgencies.add(Urgency.ROUTINE);
                case "urgent" -> urgencies.add(Urgency.URGENT);
                case "immediate" -> urgencies.add(Urgency.IMMEDIATE);
                default -> {
                    code.node()
                            .error(
                                    "unknown urgency '" + code.text() + "' (expected: routine, urgent or"
                                            + " immediate)",
                                    "write one of routine, urgent, immediate");
                    return Optional.empty();
                }
            }
        }
        return Optional.of(urgencies);
    }

    /** {@code 90s}, {@code 30m}, {@code 24h} or {@code 7d}. */
    static Optional<Duration> duration(YamlNode node) {
        Optional<String> text = node.text();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = DURATION.matcher(text.get().trim());
        if (!m.matches()) {
            node.error(
                    node.name() + " is not a duration, found " + node.found() + " (expected a whole number and a"
                            + " unit: s, m, h or d)",
                    "write it like 30m, 4h or 2d");
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        return Optional.of(
                switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
    }
}
