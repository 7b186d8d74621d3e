package fr.passerelle.core.protection;

import java.util.Locale;

/**
 * What protects a person from removal, in the order a hold names them: the most absolute first. Each is a reason
 * code of a held removal objective ({@code protected:<code>}).
 */
public enum Basis {
    /** A minor cannot be the subject of an OQTF (CESEDA L.611-3). */
    MINOR,
    /**
     * The 30-day reflection period (CESEDA R.425-2): no removal may be taken or enforced while it runs; open while
     * no récépissé's handover is known (without the information of R.425-1, the period stays open).
     */
    REFLECTION_PERIOD,
    /** A residence card requested or held as a victim who filed a complaint or testified (L.425-1, L.425-3). */
    PERMIT,
    /** A temporary authorisation to stay of a person in the exit pathway (L.425-4). */
    EXIT_PATHWAY;

    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The reason code of a hold on this basis. */
    public String reason() {
        return "protected:" + code();
    }

    public static Basis fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
