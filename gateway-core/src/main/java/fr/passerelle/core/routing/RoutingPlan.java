package fr.passerelle.core.routing;

import java.util.List;

/**
 * Where one referral goes: each recipient once, in the order the routing table first reaches it, and the
 * recipients its routes would have reached but the gateway left out, with why. A plan reaches somebody or leaves
 * somebody out: a referral that matches routes reaching nobody is refused with {@code route_not_found}.
 */
public record RoutingPlan(List<Destination> destinations, List<Withheld> withheld) {
    public RoutingPlan {
        destinations = List.copyOf(destinations);
        withheld = List.copyOf(withheld);
        if (destinations.isEmpty() && withheld.isEmpty()) {
            throw new IllegalArgumentException("a routing plan has at least one destination or one withheld recipient");
        }
    }

    /** A plan that leaves nobody out. */
    public RoutingPlan(List<Destination> destinations) {
        this(destinations, List.of());
    }

    /** The route ids that contributed, each once, in order: what the {@code 202} answer and the audit name. */
    public List<String> routeIds() {
        return destinations.stream()
                .flatMap(d -> d.routeIds().stream())
                .distinct()
                .toList();
    }
}
