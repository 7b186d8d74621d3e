package fr.passerelle.core.referral;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether the person a document is about is a minor, as the gateway judges it from {@code subject.birthDate},
 * {@code subject.estimatedAge} and {@code subject.minor}, rather than trusting the sender's flag alone.
 *
 * <p>A minor is a person who has not reached 18 (Code civil art. 388, al. 1); a minor in prostitution is deemed
 * in danger (law 2002-305, art. 13) and cannot be the subject of an obligation to leave French territory (CESEDA
 * L.611-3). When the age is doubtful, the doubt benefits the person (Code civil art. 388, al. 2): the gateway then
 * answers {@link #PRESUMED_MINOR}, which it treats as a minor. The decision, in this order:
 *
 * <ol>
 *   <li>no {@code subject} object: {@link #NO_SUBJECT};</li>
 *   <li>a {@code birthDate} (a valid ISO date) decides: the person is an adult from the 18th birthday, as
 *       {@link LocalDate#plusYears(long)} counts it (someone born on 29 February comes of age on 28 February of a
 *       common year). Under 18 on {@code today}: {@link #MINOR}. An adult by the date but {@code minor: true} or an
 *       {@code estimatedAge} under 18: {@link #PRESUMED_MINOR}, since the sources disagree. Otherwise
 *       {@link #ADULT};</li>
 *   <li>no birth date, an {@code estimatedAge}: under 18, {@link #MINOR}; 18 or 19, {@link #PRESUMED_MINOR},
 *       because an estimate within {@value #DOUBT_MARGIN} years of majority is doubtful; 20 or more,
 *       {@link #PRESUMED_MINOR} when {@code minor: true}, otherwise {@link #ADULT};</li>
 *   <li>neither: {@code minor: true} gives {@link #MINOR}, anything else {@link #ADULT}.</li>
 * </ol>
 *
 * <p>A field of the wrong JSON type (a birth date that is not a date, an age that is not an integer, a flag that
 * is not a boolean) counts as absent: the schema refuses such documents before any rule reads them.
 */
public enum Minority {
    /** An adult by every source the document gives. */
    ADULT("adult"),
    /** A minor by the birth date, by an estimated age under 18, or by the flag when nothing else is known. */
    MINOR("minor"),
    /** The age is doubtful or the sources disagree: the doubt counts as minority (Code civil art. 388). */
    PRESUMED_MINOR("presumed-minor"),
    /** The document is about no one person. */
    NO_SUBJECT("no-subject");

    /** The age of majority (Code civil art. 388, al. 1). */
    static final int MAJORITY = 18;
    /** How many years past majority an estimated age stays doubtful. */
    static final int DOUBT_MARGIN = 2;

    private final String code;

    Minority(String code) {
        this.code = code;
    }

    /** Whether the gateway treats the person as a minor: {@link #MINOR} or {@link #PRESUMED_MINOR}. */
    public boolean treatedAsMinor() {
        return this == MINOR || this == PRESUMED_MINOR;
    }

    /** The stable code: {@code adult}, {@code minor}, {@code presumed-minor} or {@code no-subject}. */
    public String code() {
        return code;
    }

    /**
     * Judges the minority of {@code document.subject} on {@code today}.
     *
     * @param document a canonical document, whatever its type
     * @param today    the day the age is judged on (the submission day)
     * @throws NullPointerException when either argument is null
     */
    public static Minority of(JsonNode document, LocalDate today) {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(today, "today");
        JsonNode subject = document.path("subject");
        if (!subject.isObject()) {
            return NO_SUBJECT;
        }
        boolean flagged =
                subject.path("minor").isBoolean() && subject.path("minor").booleanValue();
        JsonNode age = subject.path("estimatedAge");
        Optional<Integer> estimatedAge =
                age.isIntegralNumber() && age.canConvertToInt() ? Optional.of(age.intValue()) : Optional.empty();
        Optional<LocalDate> birthDate = IsoDates.of(subject.path("birthDate"));
        if (birthDate.isPresent()) {
            if (isUnderMajority(birthDate.get(), today)) {
                return MINOR;
            }
            return flagged || estimatedAge.filter(years -> years < MAJORITY).isPresent() ? PRESUMED_MINOR : ADULT;
        }
        if (estimatedAge.isPresent()) {
            int years = estimatedAge.get();
            if (years < MAJORITY) {
                return MINOR;
            }
            return years < MAJORITY + DOUBT_MARGIN || flagged ? PRESUMED_MINOR : ADULT;
        }
        return flagged ? MINOR : ADULT;
    }

    /** Whether someone born on {@code birthDate} is still under 18 on {@code today}. */
    static boolean isUnderMajority(LocalDate birthDate, LocalDate today) {
        return birthDate.plusYears(MAJORITY).isAfter(today);
    }
}
