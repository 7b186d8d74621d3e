package fr.passerelle.core.referral;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MinorityTest {
    private static final LocalDate TODAY = LocalDate.of(2025, 7, 14);

    @ParameterizedTest(name = "born {0}, estimated {1}, flag {2}, on {3}: {4}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                // The birth date decides, to the day: adult on the 18th birthday.
                "2007-07-15 | -  | false | 2025-07-14 | MINOR",
                "2007-07-14 | -  | false | 2025-07-14 | ADULT",
                "2007-07-13 | -  | false | 2025-07-14 | ADULT",
                "2007-07-15 | -  | false | 2025-07-15 | ADULT",
                "2007-07-14 | -  | -     | 2025-07-13 | MINOR",
                // Born on 29 February: of age on 28 February, since the 18th birthday always falls in a common year.
                "2008-02-29 | -  | false | 2026-02-27 | MINOR",
                "2008-02-29 | -  | false | 2026-02-28 | ADULT",
                "2008-02-29 | -  | false | 2026-03-01 | ADULT",
                // An adult by the date whom another source shows as a minor: the disagreement counts as minority.
                "2000-01-01 | -  | true  | 2025-07-14 | PRESUMED_MINOR",
                "2000-01-01 | 17 | false | 2025-07-14 | PRESUMED_MINOR",
                "2000-01-01 | 19 | false | 2025-07-14 | ADULT",
                "2000-01-01 | 30 | false | 2025-07-14 | ADULT",
                // A minor by the date stays one, whatever the flag or the estimate say.
                "2010-01-01 | -  | false | 2025-07-14 | MINOR",
                "2010-01-01 | 25 | false | 2025-07-14 | MINOR",
                // No birth date: the estimate, doubtful within two years of majority.
                "-          | 17 | false | 2025-07-14 | MINOR",
                "-          | 17 | true  | 2025-07-14 | MINOR",
                "-          | 18 | false | 2025-07-14 | PRESUMED_MINOR",
                "-          | 18 | true  | 2025-07-14 | PRESUMED_MINOR",
                "-          | 19 | false | 2025-07-14 | PRESUMED_MINOR",
                "-          | 19 | true  | 2025-07-14 | PRESUMED_MINOR",
                "-          | 20 | false | 2025-07-14 | ADULT",
                "-          | 20 | true  | 2025-07-14 | PRESUMED_MINOR",
                "-          | 20 | -     | 2025-07-14 | ADULT",
                "-          | 0  | false | 2025-07-14 | MINOR",
                // Neither: the flag alone.
                "-          | -  | true  | 2025-07-14 | MINOR",
                "-          | -  | false | 2025-07-14 | ADULT",
                "-          | -  | -     | 2025-07-14 | ADULT",
                // A birth date that is no date counts as absent.
                "2007-02-30 | 17 | false | 2025-07-14 | MINOR",
                "2007-02-30 | -  | false | 2025-07-14 | ADULT"
            })
    void judgesMinorityFromTheSubject(
            String birthDate, Integer estimatedAge, Boolean minor, LocalDate today, Minority expected) {
        ObjectNode document = Samples.JSON.createObjectNode().put("type", "victim.orientation");
        ObjectNode subject = document.putObject("subject").put("givenName", "Exemple");
        if (birthDate != null) {
            subject.put("birthDate", birthDate);
        }
        if (estimatedAge != null) {
            subject.put("estimatedAge", estimatedAge);
        }
        if (minor != null) {
            subject.put("minor", minor);
        }

        Minority minority = Minority.of(document, today);

        assertThat(minority).isEqualTo(expected);
    }

    @Test
    void findsNoSubjectInADocumentAboutNoOnePerson() {
        ObjectNode closure = Samples.of(ReferralType.ADMINISTRATIVE_CLOSURE);

        Minority minority = Minority.of(closure, TODAY);

        assertThat(minority).isEqualTo(Minority.NO_SUBJECT);
    }

    @Test
    void findsNoSubjectWhenTheSubjectIsNotAnObject() {
        ObjectNode document = Samples.JSON.createObjectNode().put("subject", "Exemple");

        Minority minority = Minority.of(document, TODAY);

        assertThat(minority).isEqualTo(Minority.NO_SUBJECT);
    }

    @Test
    void ignoresAFlagOrAnAgeOfTheWrongType() {
        ObjectNode document = Samples.JSON.createObjectNode();
        document.putObject("subject").put("minor", "true").put("estimatedAge", "16");

        Minority minority = Minority.of(document, TODAY);

        assertThat(minority).isEqualTo(Minority.ADULT);
    }

    @Test
    void judgesTheShippedSamples() {

        assertThat(Minority.of(Samples.of(ReferralType.VICTIM_ORIENTATION), TODAY))
                .isEqualTo(Minority.ADULT);
        assertThat(Minority.of(Samples.of(ReferralType.CHILD_PROTECTION_ALERT), TODAY))
                .isEqualTo(Minority.MINOR);
        assertThat(Minority.of(Samples.of(ReferralType.CONSENT_WITHDRAWN), TODAY))
                .isEqualTo(Minority.NO_SUBJECT);
    }

    @Test
    void treatsAMinorAndAPresumedMinorAsMinors() {

        assertThat(Arrays.stream(Minority.values()).filter(Minority::treatedAsMinor))
                .containsExactly(Minority.MINOR, Minority.PRESUMED_MINOR);
    }

    @Test
    void hasStableCodes() {

        assertThat(Arrays.stream(Minority.values()).map(Minority::code))
                .containsExactly("adult", "minor", "presumed-minor", "no-subject");
    }
}
