package fr.passerelle.core.store;

import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.Notice;
import java.util.Objects;

/**
 * A notice about a referral, rendered and sealed for one partner, ready to store beside the referral's copies.
 *
 * @param recipient the partner told
 * @param notice    what it is told
 * @param mediaType of the payload: a CMS envelope, or an S/MIME entity for mail
 * @param payload   the sealed notice; not copied, never printed by {@link #toString()}
 * @param transport the transport it was packaged for ({@code inbox} when the partner pulls)
 */
public record NewNotice(PartnerId recipient, Notice notice, String mediaType, byte[] payload, String transport) {
    public NewNotice {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(notice, "notice");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(transport, "transport");
    }

    @Override
    public String toString() {
        return "NewNotice[" + notice + " to " + recipient + ", " + mediaType + ", <" + payload.length + " bytes>, "
                + transport + "]";
    }
}
