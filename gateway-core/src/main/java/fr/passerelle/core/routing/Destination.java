package fr.passerelle.core.routing;

import fr.passerelle.core.config.model.Partner;
import java.util.List;
import java.util.Objects;

/**
 * One recipient of a referral and what it may see.
 *
 * @param routeIds the routes that reach it, in the routing table's order
 * @param fields   the union of those routes' fields, in the order they were first listed
 */
public record Destination(Partner recipient, List<String> routeIds, List<String> fields) {
    public Destination {
        Objects.requireNonNull(recipient, "recipient");
        routeIds = List.copyOf(routeIds);
        fields = List.copyOf(fields);
        if (routeIds.isEmpty()) {
            throw new IllegalArgumentException("a destination is reached by at least one route");
        }
    }
}
