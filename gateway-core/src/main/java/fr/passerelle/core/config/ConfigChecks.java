package fr.passerelle.core.config;

import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.spi.Transport;
import fr.passerelle.core.spi.TransportContext;
import fr.passerelle.core.spi.TransportProvider;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 * @param transport             the transport provider of an id, empty when none claims it ({@code inbox} needs
 *                              none and is never looked up)
 */
public record ConfigChecks(
        Predicate<String> inboundAdapterExists,
        Predicate<String> outboundAdapterExists,
        Function<ReferralType, Set<String>> schemaFields,
        Function<String, Optional<TransportProvider>> transport) {
    public ConfigChecks {
        Objects.requireNonNull(inboundAdapterExists, "inboundAdapterExists");
        Objects.requireNonNull(outboundAdapterExists, "outboundAdapterExists");
        Objects.requireNonNull(schemaFields, "schemaFields");
        Objects.requireNonNull(transport, "transport");
    }

    /** Checks adapters and fields; accepts every transport id and option. */
    public ConfigChecks(
            Predicate<String> inboundAdapterExists,
            Predicate<String> outboundAdapterExists,
            Function<ReferralType, Set<String>> schemaFields) {
        this(inboundAdapterExists, outboundAdapterExists, schemaFields, id -> Optional.of(new AnyTransport(id)));
    }

    /** Accepts every adapter id and every field: for tools that have neither the adapters nor the schemas. */
    public static ConfigChecks lenient() {
        return new ConfigChecks(id -> true, id -> true, type -> Set.of());
    }

    /** A transport of any id that accepts any option: for tools that do not load the transports. */
    private record AnyTransport(String id) implements TransportProvider {
        @Override
        public List<OptionProblem> checkPartner(Map<String, String> options) {
            return List.of();
        }

        @Override
        public List<OptionProblem> checkSettings(Map<String, String> settings) {
            return List.of();
        }

        @Override
        public Transport open(TransportContext context) {
            throw new UnsupportedOperationException("transport '" + id + "' was not loaded: only checked leniently");
        }
    }
}
