package fr.passerelle.core.referral;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.internal.Text;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** The message types of DESIGN.md, by their wire code. Each has a JSON Schema {@code <code>.schema.json}. */
public enum ReferralType {
    VICTIM_ORIENTATION("victim.orientation"),
    SHELTER_REQUEST("shelter.request"),
    RESIDENCE_PERMIT_SUPPORT("residence.permit.support"),
    REFLECTION_PERIOD_REQUEST("reflection.period.request"),
    EXPLOITATION_REPORT("exploitation.report"),
    REMOVAL_OBJECTIVE("removal.objective"),
    ADMINISTRATIVE_CLOSURE("administrative.closure"),
    DIFFICULTY_REPORT("difficulty.report"),
    REFERRAL_RECEIPT("referral.receipt");

    private final String code;

    ReferralType(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Optional<ReferralType> find(String code) {
        return Arrays.stream(values()).filter(t -> t.code.equals(code)).findFirst();
    }

    /** @throws GatewayException {@code type_unknown} naming the known types */
    public static ReferralType fromCode(String code) {
        return find(code).orElseThrow(() -> new GatewayException(ErrorCode.TYPE_UNKNOWN,
                "referral type '" + Text.token(code, 40) + "' is unknown (expected one of: " + codes() + ")"));
    }

    public static String codes() {
        return Arrays.stream(values()).map(ReferralType::code).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return code;
    }
}
