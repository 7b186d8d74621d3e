package fr.passerelle.core.referral;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.util.Objects;
import java.util.Optional;

/**
 * A recipient's receipt as submitted to {@code POST /v1/referrals/{id}/receipts}, after validation: a status and,
 * for {@link ReceiptStatus#DECLINED} only, the reason as a code. Building one with a declined status and no
 * reason, or another status and a reason, throws a {@link GatewayException} {@code receipt_invalid}.
 */
public record ReceiptRequest(ReceiptStatus status, Optional<DeclineReason> reason) {
    public ReceiptRequest {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        if (status == ReceiptStatus.DECLINED && reason.isEmpty()) {
            throw new GatewayException(
                    ErrorCode.RECEIPT_INVALID,
                    "a declined receipt needs a reason (expected one of: " + DeclineReason.codes() + ")");
        }
        if (status != ReceiptStatus.DECLINED && reason.isPresent()) {
            throw new GatewayException(
                    ErrorCode.RECEIPT_INVALID,
                    "a receipt with status " + status + " takes no reason (only a declined receipt has one)");
        }
    }
}
