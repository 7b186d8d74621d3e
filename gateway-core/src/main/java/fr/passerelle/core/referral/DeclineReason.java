package fr.passerelle.core.referral;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Why a recipient declines, as a code: a free-text reason could carry personal data into the audit log, so the
 * reason is chosen from this list.
 */
public enum DeclineReason {
    NO_CAPACITY("no-capacity"),
    OUT_OF_SCOPE("out-of-scope"),
    NOT_COMPETENT_TERRITORY("not-competent-territory"),
    PERSON_UNREACHABLE("person-unreachable"),
    PERSON_DECLINED("person-declined"),
    DUPLICATE("duplicate"),
    INCOMPLETE("incomplete"),
    OTHER("other");

    private final String code;

    DeclineReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static DeclineReason fromCode(String code) {
        for (DeclineReason reason : values()) {
            if (reason.code.equals(code)) {
                return reason;
            }
        }
        throw new GatewayException(
                ErrorCode.RECEIPT_INVALID,
                "decline reason '" + code + "' is unknown (expected one of: " + codes() + ")");
    }

    public static String codes() {
        return Arrays.stream(values()).map(DeclineReason::code).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return code;
    }
}
