package fr.passerelle.core.partner;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The kinds of partner that the instruction of 11 July 2025 names. A partner id begins with its kind. */
public enum PartnerKind {
    POLICE("police"),
    GENDARMERIE("gendarmerie"),
    ASSOCIATION("association"),
    SOCIAL("social"),
    SIAO("siao"),
    PREFECTURE("prefecture"),
    CRIP("crip"),
    /** The public prosecutor's office; for child protection, its juvenile section (parquet des mineurs). */
    PROSECUTOR("prosecutor"),
    LABOUR("labour"),
    URSSAF("urssaf"),
    MONITORING("monitoring"),
    DGCS("dgcs"),
    MIPROF("miprof");

    private final String code;

    PartnerKind(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static PartnerKind fromCode(String code) {
        for (PartnerKind kind : values()) {
            if (kind.code.equals(code)) {
                return kind;
            }
        }
        throw new GatewayException(
                ErrorCode.CONFIG_INVALID, "partner kind '" + code + "' is unknown (expected one of: " + codes() + ")");
    }

    public static String codes() {
        return Arrays.stream(values()).map(PartnerKind::code).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return code.toLowerCase(Locale.ROOT);
    }
}
