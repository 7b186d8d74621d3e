package fr.passerelle.server.receipts;

import fr.passerelle.core.config.Deployment;
import fr.passerelle.core.config.Partner;
import fr.passerelle.core.config.Recipient;
import fr.passerelle.core.config.Route;
import fr.passerelle.core.referral.DeliveryState;
import fr.passerelle.core.store.ReceiptLinks.LinkView;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Whether a receipt link still works, given the deployment of now: its partner is known and enabled, one of the
 * routes that chose the copy still exists for the referral's type and still reaches the partner, the referral is
 * not closed for good (cancelled, expired, withdrawn or purged) and the copy is not in a final state that takes no
 * answer (cancelled, expired, failed). A link that fails any of these is dead; which one is never shown to the person
 * who opened it.
 *
 * <p>The certificate a link was issued under is not recorded with the link or its copy, so a certificate rotated
 * out cannot be told from here: a partner whose certificate is compromised is disabled instead, which kills its
 * links. Thread-safe: reads the deployment at each test.
 */
final class LinkLiveness implements Predicate<LinkView> {
    /** Copy states after which the recipient's answer means nothing. */
    private static final Set<DeliveryState> FINAL = Set.of(DeliveryState.CANCELLED, DeliveryState.EXPIRED,
            DeliveryState.FAILED);

    private final Supplier<Deployment> deployment;

    LinkLiveness(Supplier<Deployment> deployment) {
        this.deployment = Objects.requireNonNull(deployment, "deployment");
    }

    @Override
    public boolean test(LinkView link) {
        if (link.closed() || FINAL.contains(link.copy())) {
            return false;
        }
        Deployment now = deployment.get();
        return now.partner(link.recipient()).filter(Partner::enabled)
                .map(partner -> now.routes().stream().anyMatch(route -> reaches(route, link, partner)))
                .orElse(false);
    }

    private static boolean reaches(Route route, LinkView link, Partner partner) {
        return route.type() == link.type() && link.routeIds().contains(route.id())
                && route.to().stream().anyMatch(to -> to instanceof Recipient.Named named
                        ? named.partner().equals(partner.id())
                        : to instanceof Recipient.ByKind byKind && byKind.kind() == partner.kind());
    }
}
