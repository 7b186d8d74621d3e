package fr.passerelle.core.store;

import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.DeliveryState;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.Notice;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One delivery in a recipient's pull inbox.
 *
 * @param cursor  the delivery's id: pass the last one seen as {@code after} to get the next page
 * @param state   this copy's state after the pull, so at least {@code delivered} unless it failed, expired or was
 *                cancelled
 * @param payload the sealed copy for this recipient; not copied, never printed by {@link #toString()}
 * @param notice  when the item is a notice about the referral rather than its copy: which
 */
public record InboxItem(
        long cursor,
        ReferralId referralId,
        ReferralType type,
        PartnerId sender,
        Department department,
        Urgency urgency,
        Instant submittedAt,
        DeliveryState state,
        String mediaType,
        byte[] payload,
        Optional<Notice> notice) {

    public InboxItem {
        Objects.requireNonNull(referralId, "referralId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(department, "department");
        Objects.requireNonNull(urgency, "urgency");
        Objects.requireNonNull(submittedAt, "submittedAt");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(notice, "notice");
    }

    @Override
    public String toString() {
        return "InboxItem[cursor=" + cursor + ", referralId=" + referralId + ", type=" + type + ", sender=" + sender
                + ", department=" + department + ", urgency=" + urgency + ", submittedAt=" + submittedAt
                + ", state=" + state + notice.map(n -> ", notice=" + n).orElse("") + ", mediaType=" + mediaType
                + ", payload=<" + payload.length + " bytes>]";
    }
}
