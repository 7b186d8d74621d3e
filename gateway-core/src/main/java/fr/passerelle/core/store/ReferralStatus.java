package fr.passerelle.core.store;

import fr.passerelle.core.audit.AuditRecord;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A referral's status as one of its parties may see it (see {@link JdbcReferralStore#status}).
 *
 * @param status     the aggregate status over the deliveries listed here
 * @param deliveries the copies this viewer may see, in delivery order
 * @param history    the audit entries this viewer may see, in log order
 */
public record ReferralStatus(
        ReferralId id,
        ReferralType type,
        PartnerId sender,
        Department department,
        Urgency urgency,
        String status,
        Instant submittedAt,
        List<DeliveryStatus> deliveries,
        List<AuditRecord> history) {

    public ReferralStatus {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(department, "department");
        Objects.requireNonNull(urgency, "urgency");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(submittedAt, "submittedAt");
        deliveries = List.copyOf(deliveries);
        history = List.copyOf(history);
    }
}
