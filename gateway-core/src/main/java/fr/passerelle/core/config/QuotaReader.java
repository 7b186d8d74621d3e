package fr.passerelle.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.core.config.model.QuotaOverrides;
import fr.passerelle.core.partner.PartnerKind;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the five quota keys wherever they may stand: the global {@code limits:} block of gateway.yaml, its
 * {@code limits.by_kind.<kind>:} blocks and the {@code limits:} block of a partner's entry. Each key is declared
 * once, with its range and default, in gateway.yaml's schema (where the global block is checked), and read from
 * there for the two others, so that the three places check it alike.
 */
final class QuotaReader {
    /** The keys of gateway.yaml's {@code limits:} that only the gateway as a whole has. */
    private static final Set<String> CONNECTION_KEYS = Set.of("max_connections", "max_connections_per_address");
    /** The quota keys, with their ranges and defaults, are those of gateway.yaml's {@code limits:} in its schema. */
    private static final ConfigSchema GATEWAY = ConfigSchema.named("gateway");

    static final Set<String> NAMES = quotaKeys();

    private QuotaReader() {}

    /**
     * The quota keys present in {@code section}, each a whole number from 1 to its maximum; other keys are the
     * caller's to check.
     *
     * @return empty when a value is wrong (each one reported)
     */
    static Optional<QuotaOverrides> values(YamlNode section) {
        Map<String, Optional<Integer>> read = new LinkedHashMap<>();
        boolean valid = true;
        for (String key : NAMES) {
            JsonNode declared = GATEWAY.propertyOf("limits." + key);
            Optional<YamlNode> node = section.field(key);
            Optional<Integer> value = node.flatMap(n -> n.integer(
                    declared.path("minimum").asLong(),
                    declared.path("maximum").asLong(),
                    declared.path("default").asText()));
            valid &= node.isEmpty() || value.isPresent();
            read.put(key, value);
        }
        if (!valid) {
            return Optional.empty();
        }
        return Optional.of(new QuotaOverrides(
                read.get("submissions_per_second"),
                read.get("submission_burst"),
                read.get("requests_per_second"),
                read.get("request_burst"),
                read.get("submissions_per_day")));
    }

    /**
     * A block that holds quota keys only: {@code limits:} of a partner's entry, or one kind's block under
     * gateway.yaml's {@code limits.by_kind:}.
     *
     * @param scope "per partner" or "per kind", for the message about a connection cap
     * @return empty when the block is wrong (each problem reported)
     */
    static Optional<QuotaOverrides> block(YamlNode section, String scope) {
        if (!section.requireObject("an indented block of keys such as submissions_per_second: 50")) {
            return Optional.empty();
        }
        boolean valid = true;
        for (Iterator<String> names = section.value().fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (NAMES.contains(name)) {
                continue;
            }
            valid = false;
            YamlNode entry = section.child(name);
            if (CONNECTION_KEYS.contains(name)) {
                entry.error(
                        entry.name() + " cannot be set " + scope + ": connections are capped before TLS"
                                + " authenticates anyone",
                        "remove it; set it in the limits: block of gateway.yaml");
            } else {
                entry.error(
                        "unknown key '" + name + "' in " + section.name() + " (expected one of: "
                                + String.join(", ", NAMES) + ")",
                        Suggest.didYouMean(name, NAMES, "remove it or correct its" + " name"));
            }
        }
        Optional<QuotaOverrides> values = values(section);
        return valid ? values : Optional.empty();
    }

    /** gateway.yaml's {@code limits.by_kind:}: a block of quota keys per partner kind. */
    static Optional<Map<PartnerKind, QuotaOverrides>> byKind(YamlNode node) {
        if (!node.requireObject("by_kind: {association: {submissions_per_second: 5}}")) {
            return Optional.empty();
        }
        Map<PartnerKind, QuotaOverrides> byKind = new java.util.EnumMap<>(PartnerKind.class);
        boolean valid = true;
        for (Iterator<String> names = node.value().fieldNames(); names.hasNext(); ) {
            String code = names.next();
            Optional<PartnerKind> kind = PartnerReader.kind(new YamlNode.Located(node.child(code), code));
            Optional<YamlNode> section = node.field(code);
            if (kind.isEmpty()) {
                valid = false;
                continue;
            }
            if (section.isEmpty()) {
                continue;
            }
            Optional<QuotaOverrides> overrides = block(section.get(), "per kind");
            overrides.ifPresent(o -> byKind.put(kind.get(), o));
            valid &= overrides.isPresent();
        }
        return valid ? Optional.of(byKind) : Optional.empty();
    }

    private static Set<String> quotaKeys() {
        Set<String> names = new LinkedHashSet<>();
        GATEWAY.propertyOf("limits").path("properties").fieldNames().forEachRemaining(names::add);
        names.removeAll(CONNECTION_KEYS);
        names.remove("by_kind");
        return java.util.Collections.unmodifiableSet(names);
    }
}
