package fr.passerelle.core.store;

import fr.passerelle.core.partner.PartnerId;
import java.util.List;
import java.util.Objects;

/**
 * One recipient's copy of a referral, ready to store: what the routes chose and what the outbound adapter and the
 * sealer produced. The payload array is not copied: callers must not change it after handing it over.
 *
 * @param recipient the partner that gets this copy
 * @param routeIds  the routes that chose this recipient, at least one
 * @param mediaType of the payload, such as {@code application/pkcs7-mime}
 * @param payload   the minimised, rendered, sealed copy; never printed by {@link #toString()}
 * @param transport the id of the transport it was packaged for ({@code inbox} when the recipient pulls)
 * @param links     the single-use receipt links issued for it (secure mail), stored with it
 */
public record NewDelivery(
        PartnerId recipient,
        List<String> routeIds,
        String mediaType,
        byte[] payload,
        String transport,
        List<NewReceiptLink> links) {

    /** A copy that the recipient pulls from its inbox. */
    public NewDelivery(PartnerId recipient, List<String> routeIds, String mediaType, byte[] payload) {
        this(recipient, routeIds, mediaType, payload, "inbox", List.of());
    }

    public NewDelivery {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(transport, "transport");
        links = List.copyOf(links);
        routeIds = List.copyOf(routeIds);
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(payload, "payload");
        if (routeIds.isEmpty()) {
            throw new IllegalArgumentException("delivery to " + recipient + " names no route (expected: at least"
                    + " the route that chose this recipient)");
        }
        if (mediaType.isBlank()) {
            throw new IllegalArgumentException("delivery to " + recipient + " has a blank media type");
        }
    }

    @Override
    public String toString() {
        return "NewDelivery[recipient=" + recipient + ", routeIds=" + routeIds + ", mediaType=" + mediaType
                + ", payload=<" + payload.length + " bytes>, transport=" + transport + ", links=" + links.size() + "]";
    }
}
