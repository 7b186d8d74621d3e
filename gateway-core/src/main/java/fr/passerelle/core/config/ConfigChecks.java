package fr.passerelle.core.config;

import fr.passerelle.core.referral.ReferralType;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What the configuration is checked against beyond its own files: the adapters on the class path and the
 * canonical schemas. Kept apart so that the core need not load adapters, and tools that lack them can still
 * read a configuration.
 *
 * @param inboundAdapterExists  whether an inbound adapter with this id is available
 * @param outboundAdapterExists whether an outbound adapter with this id is available
 * @param schemaFields          the dotted paths a route of this type may list (every object and leaf of the
 *                              type's schema, such as {@code subject} and {@code subject.languages}); an empty
 *                              set means the schema is not known, and the route's fields are then not checked
 */
public record ConfigChecks(Predicate<String> inboundAdapterExists, Predicate<String> outboundAdapterExists,
                           Function<ReferralType, Set<String>> schemaFields) {
    public ConfigChecks {
        Objects.requireNonNull(inboundAdapterExists, "inboundAdapterExists");
        Objects.requireNonNull(outboundAdapterExists, "outboundAdapterExists");
        Objects.requireNonNull(schemaFields, "schemaFields");
    }

    /** Accepts every adapter id and every field: for tools that have neither the adapters nor the schemas. */
    public static ConfigChecks lenient() {
        return new ConfigChecks(id -> true, id -> true, type -> Set.of());
    }
}
