package fr.passerelle.core.routing;

import fr.passerelle.core.config.model.Route;
import fr.passerelle.core.partner.PartnerId;
import java.util.List;
import java.util.Objects;

/**
 * A route that matches a type, sender and department, and the partners it would reach today (possibly none),
 * for {@code routes explain}.
 */
public record RouteMatch(Route route, List<PartnerId> recipients) {
    public RouteMatch {
        Objects.requireNonNull(route, "route");
        recipients = List.copyOf(recipients);
    }
}
