/**
 * Routing and data minimisation: the {@link fr.passerelle.core.routing.Router} picks a referral's recipients
 * from the routing table by type, sender kind and department, and tells for each recipient the fields its routes
 * allow; the {@link fr.passerelle.core.routing.Minimiser} then cuts the canonical document down to those fields,
 * so that nothing a route does not list ever reaches a recipient. The
 * {@link fr.passerelle.core.routing.DryRun} explains all of it for one referral without sending anything.
 */
package fr.passerelle.core.routing;
