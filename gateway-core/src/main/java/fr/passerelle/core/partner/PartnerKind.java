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
    /**
     * The prefecture's foreigners' department (service des étrangers; in Paris, the préfet de police's): residence
     * permits, reflection periods, removal objectives, the exit pathway's temporary authorisation to stay.
     */
    PREFECTURE("prefecture"),
    /**
     * The prefect's cabinet and security services (in Paris, the préfet de police's): administrative closures (Labour
     * Code L.8272-2) and the CODAF's secretariat with the public prosecutor.
     */
    SECURITY("security"),
    /**
     * The State's social cohesion service: the DDETS, the DEETS overseas, the préfet de Paris's services in Paris.
     * It runs the secretariat of the departmental commission of the exit pathway (CASF L.121-9).
     */
    COHESION("cohesion"),
    /**
     * The State's service for emergency housing, on duty over the 115: the DRIHL in Île-de-France, the DDETS
     * elsewhere, the DEETS overseas (CASF L.345-2).
     */
    HOUSING("housing"),
    CRIP("crip"),
    /** The public prosecutor's office; for child protection, its juvenile section (parquet des mineurs). */
    PROSECUTOR("prosecutor"),
    /** The labour inspection: a DDETS or DRIEETS unit, the DEETS overseas. */
    LABOUR("labour"),
    /** The URSSAF, the CGSS overseas. */
    URSSAF("urssaf"),
    /** The regional health agency (ARS), a member of the exit pathway's commission. */
    HEALTH("health"),
    /** The family allowance fund (CAF): the AFIS allowance of the exit pathway, a CODAF member. */
    CAF("caf"),
    /** The primary health insurance fund (CPAM; the CGSS overseas), a CODAF member. */
    CPAM("cpam"),
    /** The public finances service (DGFiP), a CODAF member. */
    TAX("tax"),
    /** The customs (douane), a CODAF member. */
    CUSTOMS("customs"),
    /** France Travail, a CODAF member and a funder of public aid to employers. */
    EMPLOYMENT("employment"),
    /** A public funder that granted aid to an employer (Labour Code L.8272-1): a region, Bpifrance, an agency. */
    FUNDER("funder"),
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
