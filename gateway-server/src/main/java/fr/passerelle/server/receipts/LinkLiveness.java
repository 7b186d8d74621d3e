package fr.passerelle.server.receipts;

import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.config.model.Recipient;
import fr.passerelle.core.config.model.Route;
import fr.passerelle.core.receipt.ReceiptLinks.LinkView;
import fr.passerelle.core.referral.DeliveryState;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Whether a receipt link still works, given the deployment of now: its partner is known and enabled, one of the
 * routes that chose the copy still exists for the referral's type and still reaches the partner, the referral is
 * not closed for good (cancelled, expired, withdrawn or purged), the copy is not in a final state that takes no
 * answer (cancelled, expired, failed), and the certificate its mail was encrypted to is still the partner's: the
 * pinned one, or a previous one whose rotation overlap has not ended. A link that fails any of these is dead; which
 * one is never shown to the person who opened it. A link issued before the gateway recorded its certificate is not
 * killed on that last ground.
 *
 * <p>Thread-safe: reads the deployment and the clock at each test.
 */
final class LinkLiveness implements Predicate<LinkView> {
    /** Copy states after which the recipient's answer means nothing. */
    private static final Set<DeliveryState> FINAL =
            Set.of(DeliveryState.CANCELLED, DeliveryState.EXPIRED, DeliveryState.FAILED);

    private final Supplier<Deployment> deployment;
    private final Clock clock;

    LinkLiveness(Supplier<Deployment> deployment, Clock clock) {
        this.deployment = Objects.requireNonNull(deployment, "deployment");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public boolean test(LinkView link) {
        if (link.closed() || FINAL.contains(link.copy())) {
            return false;
        }
        Deployment now = deployment.get();
        return now.partner(link.recipient())
                .filter(Partner::enabled)
                .filter(partner -> stillHolds(partner, link))
                .map(partner -> now.routes().stream().anyMatch(route -> reaches(route, link, partner)))
                .orElse(false);
    }

    /**
     * Whether the partner's entry still lists the certificate the link's mail was encrypted to: whoever holds the
     * key of a certificate rotated out must not answer for the partner. The same test as the client certificates'.
     */
    private boolean stillHolds(Partner partner, LinkView link) {
        return link.certificateSha256()
                .map(sha256 -> partner.authenticatesWith(sha256, clock.instant()))
                .orElse(true);
    }

    private static boolean reaches(Route route, LinkView link, Partner partner) {
        return route.type() == link.type()
                && link.routeIds().contains(route.id())
                && route.to().stream()
                        .anyMatch(to -> to instanceof Recipient.Named named
                                ? named.partner().equals(partner.id())
                                : to instanceof Recipient.ByKind byKind && byKind.kind() == partner.kind());
    }
}
