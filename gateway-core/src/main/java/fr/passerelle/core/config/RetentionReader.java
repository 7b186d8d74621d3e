package fr.passerelle.core.config;

import fr.passerelle.core.config.model.Retention;
import fr.passerelle.core.config.model.RetentionRule;
import fr.passerelle.core.referral.ReferralType;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code retention:} section of gateway.yaml over {@link Retention#standard()}: a key left out keeps its
 * default, and a type left out of {@code types:} keeps its own default rule (the {@code default:} rule when it
 * has none). Durations are written as in routes.yaml's deadlines: {@code 90s}, {@code 30m}, {@code 4h}, {@code 2d}.
 */
final class RetentionReader {
    private static final Set<String> KEYS =
            new LinkedHashSet<>(List.of("default", "types", "signed_original", "payload_days"));
    private static final Set<String> RULE_KEYS = new LinkedHashSet<>(List.of("after_end", "at_most"));
    private static final String RULE = "{after_end: 730d, at_most: 1095d}";

    private boolean valid = true;

    private RetentionReader() {}

    /** @return the rules, the defaults when the section is absent, or empty when a problem of it was reported */
    static Optional<Retention> read(Optional<YamlNode> section) {
        return section.isEmpty() ? Optional.of(Retention.standard()) : new RetentionReader().retention(section.get());
    }

    private Optional<Retention> retention(YamlNode section) {
        if (!section.requireObject("retention:\n  default: " + RULE)) {
            return Optional.empty();
        }
        section.allowKeys(KEYS);
        Retention standard = Retention.standard();
        Optional<YamlNode> defaultNode = mapping(section.field("default"));
        Optional<Setting> alias = section.field("payload_days").flatMap(n -> payloadDays(n, defaultNode));
        RetentionRule fallback = rule(defaultNode, "'retention.default'", standard.defaults(), alias)
                .orElse(standard.defaults());
        Map<ReferralType, RetentionRule> types = new EnumMap<>(standard.types());
        section.field("types").ifPresent(node -> types(node, fallback, types));
        Duration signed =
                setting(section.field("signed_original")).map(Setting::value).orElse(standard.signedOriginal());
        return valid ? Optional.of(new Retention(fallback, types, signed)) : Optional.empty();
    }

    /** The old {@code payload_days: 730}: {@code default.after_end} in days, unless that is written too. */
    private Optional<Setting> payloadDays(YamlNode node, Optional<YamlNode> defaultRule) {
        Optional<Integer> days = node.integer(1, 36_500, "730");
        if (days.isEmpty()) {
            valid = false;
            return Optional.empty();
        }
        if (defaultRule.flatMap(d -> d.field("after_end")).isPresent()) {
            node.error(
                    "'retention.payload_days' and 'retention.default.after_end' both say how long content is kept"
                            + " after the referral's end: which one applies would be unclear",
                    "remove payload_days, the old" + " name of default.after_end");
            valid = false;
            return Optional.empty();
        }
        node.warning(
                "'retention.payload_days' is the old name of 'retention.default.after_end'",
                defaultRule.isPresent()
                        ? "remove payload_days and add after_end: " + days.get() + "d to default:"
                        : "replace payload_days: " + days.get() + " with default: {after_end: " + days.get() + "d}");
        return Optional.of(new Setting(node, Duration.ofDays(days.get())));
    }

    /** {@code types:}: one rule per referral type code, over the type's default rule. */
    private void types(YamlNode node, RetentionRule fallback, Map<ReferralType, RetentionRule> types) {
        if (!node.requireObject("types:\n    shelter.request: {after_end: 30d, at_most: 365d}")) {
            valid = false;
            return;
        }
        for (Iterator<String> codes = node.value().fieldNames(); codes.hasNext(); ) {
            String code = codes.next();
            Optional<YamlNode> entry = node.required(code, code + ": {after_end: 30d, at_most: 365d}");
            Optional<ReferralType> type = PartnerReader.type(new YamlNode.Located(entry.orElse(node), code));
            if (type.isEmpty() || entry.isEmpty()) {
                valid = false;
                continue;
            }
            if (Retention.NOT_STORED.contains(type.get())) {
                entry.get()
                        .error(
                                code + " is not stored as a referral: it acts on the referral it names, which"
                                        + " keeps its own type's rule",
                                "remove " + code + " from retention.types");
                valid = false;
                continue;
            }
            RetentionRule base = Retention.standard().types().getOrDefault(type.get(), fallback);
            rule(mapping(entry), entry.get().name(), base, Optional.empty()).ifPresent(r -> types.put(type.get(), r));
        }
    }

    /** A rule's node, when it is a mapping of after_end and at_most. */
    private Optional<YamlNode> mapping(Optional<YamlNode> node) {
        Optional<YamlNode> rule = node.filter(n -> n.requireObject(RULE));
        valid &= rule.isPresent() == node.isPresent();
        rule.ifPresent(r -> r.allowKeys(RULE_KEYS));
        return rule;
    }

    /**
     * A rule over {@code base}: a key left out keeps base's value.
     *
     * @param alias what stands for after_end when the rule does not write it: the old payload_days
     */
    private Optional<RetentionRule> rule(
            Optional<YamlNode> node, String subject, RetentionRule base, Optional<Setting> alias) {
        Optional<YamlNode> afterEndNode = node.flatMap(n -> n.field("after_end"));
        Optional<YamlNode> atMostNode = node.flatMap(n -> n.field("at_most"));
        Optional<Setting> written = setting(afterEndNode);
        Optional<Setting> atMost = setting(atMostNode);
        if (afterEndNode.isPresent() != written.isPresent() || atMostNode.isPresent() != atMost.isPresent()) {
            return Optional.empty();
        }
        Optional<Setting> afterEnd = written.or(() -> alias);
        Duration after = afterEnd.map(Setting::value).orElse(base.afterEnd());
        Duration most = atMost.map(Setting::value).orElse(base.atMost());
        if (after.compareTo(most) > 0) {
            // base keeps after_end within at_most: one of the two was written.
            Setting at = afterEnd.or(() -> atMost).orElseThrow();
            at.node()
                    .error(
                            subject + " keeps content " + shown(afterEnd, after) + " after the referral's end but "
                                    + shown(atMost, most)
                                    + " at most after its submission: a referral ends after its submission, so"
                                    + " after_end would never apply (expected: after_end no longer than at_most)",
                            at.alias()
                                    // An old file that kept payloads longer than the default at_most: it must now say
                                    // both.
                                    ? "replace payload_days with default: {after_end: " + unit(after) + ", at_most: "
                                            + unit(after) + "}, or shorter"
                                    : "lower after_end to " + unit(most) + " or less, or raise at_most to "
                                            + unit(after) + " or more");
            valid = false;
            return Optional.empty();
        }
        afterEnd.filter(a -> a.value().compareTo(Retention.LEGAL_AFTER_END) > 0).ifPresent(a -> a.node()
                .warning(
                        a.node().name() + " keeps content " + written(a)
                                + " after the referral's end, longer than the two"
                                + " years after the last contact after which SI-SIAO and the CNIL's social-support guidance"
                                + " erase data",
                        "keep it at " + unit(Retention.LEGAL_AFTER_END)
                                + " or less unless a legal obligation says otherwise"));
        return Optional.of(new RetentionRule(after, most));
    }

    /** A duration, absent when not written or unreadable (reported). */
    private Optional<Setting> setting(Optional<YamlNode> node) {
        Optional<Duration> duration = node.flatMap(DeadlineReader::duration);
        valid &= node.isPresent() == duration.isPresent();
        return duration.map(d -> new Setting(node.get(), d));
    }

    /** As written, or the default's value. */
    private static String shown(Optional<Setting> setting, Duration value) {
        return setting.map(s -> written(s) + (s.alias() ? " (payload_days)" : ""))
                .orElse(unit(value) + " (its default)");
    }

    private static String written(Setting setting) {
        return setting.alias()
                ? unit(setting.value())
                : setting.node().value().asText().strip();
    }

    /** {@code 730d}, or the largest unit that writes it whole. */
    private static String unit(Duration value) {
        long seconds = value.toSeconds();
        return seconds % 86_400 == 0
                ? seconds / 86_400 + "d"
                : seconds % 3600 == 0 ? seconds / 3600 + "h" : seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    /** A duration and the node it was read from, to report at its line. */
    private record Setting(YamlNode node, Duration value) {
        /** Whether it is the old payload_days, a number of days. */
        boolean alias() {
            return node.path().endsWith("payload_days");
        }
    }
}
