package fr.passerelle.core.routing;

import java.util.List;

/**
 * Where one referral goes: each recipient once, in the order the routing table first reaches it. Never empty: a
 * referral that reaches nobody is refused with {@code route_not_found}.
 */
public record RoutingPlan(List<Destination> destinations) {
    public RoutingPlan {
        destinations = List.copyOf(destinations);
        if (destinations.isEmpty()) {
            throw new IllegalArgumentException("a routing plan has at least one destination");
        }
    }

    /** The route ids that contributed, each once, in order: what the {@code 202} answer and the audit name. */
    public List<String> routeIds() {
        return destinations.stream().flatMap(d -> d.routeIds().stream()).distinct().toList();
    }
}
