package fr.passerelle.core.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.referral.Minority;
import fr.passerelle.core.referral.Referral;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.ReferralValidator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which referrals raise a child-protection alert, and that the alert is a valid document of its own schema. */
class ChildProtectionTest {
    private static final Path CONFIG = Path.of("..", "config");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ReferralValidator VALIDATOR = ReferralValidator.fromDirectory(CONFIG.resolve("schemas"));
    private static final LocalDate TODAY = LocalDate.of(2026, 12, 5);

    @Test
    void aMinorsOrientationRaisesAnAlertThatValidatesAndCopiesWhatTheCripNeeds() throws IOException {
        ObjectNode orientation = sample(ReferralType.VICTIM_ORIENTATION);
        ((ObjectNode) orientation.path("subject"))
                .put("birthDate", "2010-01-01")
                .put("minor", true);
        Referral referral = VALIDATOR.validate(orientation, TODAY);
        ReferralId source = ReferralId.random();

        List<String> reasons = ChildProtection.reasons(referral, Minority.of(orientation, TODAY));
        Referral alert = VALIDATOR.validate(ChildProtection.alert(referral, Optional.of(source), reasons), TODAY);

        assertThat(reasons).containsExactly("minor-subject");
        assertThat(alert.type()).isEqualTo(ReferralType.CHILD_PROTECTION_ALERT);
        assertThat(alert.urgency().code()).isEqualTo("immediate");
        assertThat(alert.body().path("sourceReferralId").asText()).isEqualTo(source.toString());
        assertThat(alert.body().path("sourceType").asText()).isEqualTo("victim.orientation");
        assertThat(alert.body().path("subject").path("givenName"))
                .isEqualTo(orientation.path("subject").path("givenName"));
        assertThat(alert.body().path("referrer")).isEqualTo(orientation.path("referrer"));
        assertThat(alert.body().has("consent"))
                .as("an alert rests on the law, not on consent")
                .isFalse();
        assertThat(alert.body().has("notes")).isFalse();
    }

    @Test
    void anAdultsReferralRaisesNothing() throws IOException {
        ObjectNode shelter = sample(ReferralType.SHELTER_REQUEST);
        Referral referral = VALIDATOR.validate(shelter, TODAY);

        assertThat(ChildProtection.reasons(referral, Minority.of(shelter, TODAY)))
                .isEmpty();
    }

    @Test
    void anExploitationReportRaisesOneForMinorsSuspectedOrPresent() throws IOException {
        ObjectNode report = sample(ReferralType.EXPLOITATION_REPORT);
        report.put("minorsSuspected", true);
        report.withArray("indicators").add("minors-present");
        Referral referral = VALIDATOR.validate(report, TODAY);

        List<String> reasons = ChildProtection.reasons(referral, Minority.of(report, TODAY));
        Referral alert = VALIDATOR.validate(ChildProtection.alert(referral, Optional.empty(), reasons), TODAY);

        assertThat(reasons).containsExactly("minors-suspected", "minors-present");
        assertThat(alert.body().path("place")).isEqualTo(report.path("place"));
        assertThat(alert.body().has("sourceReferralId")).isFalse();
    }

    @Test
    void aPresumedMinorRaisesOneAndAnAlertNeverRaisesAnother() throws IOException {
        ObjectNode shelter = sample(ReferralType.SHELTER_REQUEST);
        ((ObjectNode) shelter.path("subject")).remove("birthDate");
        ((ObjectNode) shelter.path("subject")).put("estimatedAge", 19);
        ObjectNode alert = sample(ReferralType.CHILD_PROTECTION_ALERT);

        assertThat(ChildProtection.reasons(VALIDATOR.validate(shelter, TODAY), Minority.of(shelter, TODAY)))
                .containsExactly("presumed-minor");
        assertThat(ChildProtection.reasons(VALIDATOR.validate(alert, TODAY), Minority.of(alert, TODAY)))
                .isEmpty();
    }

    private static ObjectNode sample(ReferralType type) throws IOException {
        return (ObjectNode) JSON.readTree(
                CONFIG.resolve("samples").resolve(type.code() + ".json").toFile());
    }
}
