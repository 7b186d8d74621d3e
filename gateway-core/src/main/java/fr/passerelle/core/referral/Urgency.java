package fr.passerelle.core.referral;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;

/** How soon a referral must be handled. {@code immediate} is a person who may sleep outside tonight. */
public enum Urgency {
    ROUTINE("routine"),
    URGENT("urgent"),
    IMMEDIATE("immediate");

    private final String code;

    Urgency(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Urgency fromCode(String code) {
        for (Urgency urgency : values()) {
            if (urgency.code.equals(code)) {
                return urgency;
            }
        }
        throw new GatewayException(
                ErrorCode.SCHEMA_VIOLATION,
                "urgency '" + code + "' is unknown (expected: routine, urgent or immediate)");
    }

    @Override
    public String toString() {
        return code;
    }
}
