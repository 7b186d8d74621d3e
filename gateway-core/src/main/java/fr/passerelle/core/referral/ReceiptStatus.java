package fr.passerelle.core.referral;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.util.Set;

/** What a recipient says of a referral it got. Each delivery moves forward only: delivered → received → accepted | declined; accepted → completed. */
public enum ReceiptStatus {
    RECEIVED("received"),
    ACCEPTED("accepted"),
    DECLINED("declined"),
    COMPLETED("completed");

    private final String code;

    ReceiptStatus(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static ReceiptStatus fromCode(String code) {
        for (ReceiptStatus status : values()) {
            if (status.code.equals(code)) {
                return status;
            }
        }
        throw new GatewayException(
                ErrorCode.RECEIPT_INVALID,
                "receipt status '" + code + "' is unknown (expected: received, accepted, declined or completed)");
    }

    /** The delivery states from which this receipt may be recorded. */
    public Set<DeliveryState> allowedFrom() {
        return switch (this) {
            case RECEIVED -> Set.of(DeliveryState.PENDING, DeliveryState.DELIVERED);
            case ACCEPTED, DECLINED -> Set.of(DeliveryState.PENDING, DeliveryState.DELIVERED, DeliveryState.RECEIVED);
            case COMPLETED -> Set.of(DeliveryState.ACCEPTED);
        };
    }

    public DeliveryState resultingState() {
        return DeliveryState.valueOf(name());
    }

    @Override
    public String toString() {
        return code;
    }
}
