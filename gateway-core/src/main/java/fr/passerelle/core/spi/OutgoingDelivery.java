package fr.passerelle.core.spi;

import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.Notice;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One sealed delivery, as a transport hands it over.
 *
 * @param deliveryId the delivery's id, stable across attempts: sent to the partner (HTTP header
 *                   {@value #DELIVERY_ID_HEADER}, mail Message-ID) so that it can ignore a duplicate
 * @param referralId the referral it carries; random, reveals nothing
 * @param recipient  the partner it goes to
 * @param type       the referral's type; no personal data, may stand in a mail subject
 * @param urgency    the referral's urgency
 * @param options    the recipient's {@code delivery:} options (url, address, ...), already checked
 * @param mediaType  the media type of {@code payload}
 * @param payload    the sealed bytes: a DER CMS envelope, or an S/MIME entity with its headers
 * @param attempt    1 for the first attempt
 * @param notice     when this delivery is a notice about the referral rather than its copy: which
 *                   (HTTP header {@value #NOTICE_HEADER}, a mail subject of its own)
 */
public record OutgoingDelivery(
        long deliveryId,
        ReferralId referralId,
        PartnerId recipient,
        ReferralType type,
        Urgency urgency,
        Map<String, String> options,
        String mediaType,
        byte[] payload,
        int attempt,
        Optional<Notice> notice) {
    /** The HTTP header that carries {@link #deliveryId}. */
    public static final String DELIVERY_ID_HEADER = "Passerelle-Delivery-Id";
    /** The HTTP header that names a notice, absent on a referral's copy. */
    public static final String NOTICE_HEADER = "Passerelle-Notice";

    /** A referral's copy. */
    public OutgoingDelivery(
            long deliveryId,
            ReferralId referralId,
            PartnerId recipient,
            ReferralType type,
            Urgency urgency,
            Map<String, String> options,
            String mediaType,
            byte[] payload,
            int attempt) {
        this(deliveryId, referralId, recipient, type, urgency, options, mediaType, payload, attempt, Optional.empty());
    }

    public OutgoingDelivery {
        Objects.requireNonNull(referralId, "referralId");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(urgency, "urgency");
        options = Map.copyOf(options);
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(notice, "notice");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt " + attempt + " (expected: 1 or more)");
        }
    }

    /** Shows ids and sizes only, never the payload. */
    @Override
    public String toString() {
        return "OutgoingDelivery[" + deliveryId + ", referral " + referralId + " to " + recipient + ", " + type
                + notice.map(n -> ", notice " + n).orElse("") + ", attempt " + attempt + ", " + payload.length
                + " bytes]";
    }
}
