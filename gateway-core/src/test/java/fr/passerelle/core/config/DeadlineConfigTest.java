package fr.passerelle.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.config.model.DeadlineRule;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.Recipient;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deadlines: list of routes.yaml. */
class DeadlineConfigTest {
    @TempDir
    Path temp;

    private TestConfig config;

    @BeforeEach
    void writeValidConfiguration() {
        config = TestConfig.valid(temp);
    }

    /** Appends to routes.yaml, whose 37 lines end with route permit-decision: the first line added is line 38. */
    private List<String> shownWith(String... deadlines) {
        config.replace("routes.yaml", "fields: [card]}", "fields: [card]}\n" + String.join("\n", deadlines));
        ConfigReport report = config.check(Map.of(), ConfigChecks.lenient());
        return report.problems().stream().map(config::shown).toList();
    }

    @Test
    void readsEscalationAndExpiryPerTypeAndUrgency() {
        assertThat(shownWith(
                        "deadlines:",
                        "  - type: child.protection.alert",
                        "    urgency: [immediate, urgent]",
                        "    acknowledge_within: 30m",
                        "    escalate_to: [{kind: prefecture}, {partner: monitoring-centre-de-veille}]",
                        "    expire_after: 24h",
                        "  - type: victim.orientation",
                        "    expire_after: 15d"))
                .isEmpty();

        Deployment deployment =
                config.check(Map.of(), ConfigChecks.lenient()).deployment().orElseThrow();

        assertThat(deployment.deadlines())
                .containsExactly(
                        new DeadlineRule(
                                ReferralType.CHILD_PROTECTION_ALERT,
                                Set.of(Urgency.IMMEDIATE, Urgency.URGENT),
                                Optional.of(Duration.ofMinutes(30)),
                                List.of(
                                        new Recipient.ByKind(PartnerKind.PREFECTURE, Optional.empty()),
                                        new Recipient.Named(PartnerId.of("monitoring-centre-de-veille"))),
                                Optional.of(Duration.ofHours(24))),
                        new DeadlineRule(
                                ReferralType.VICTIM_ORIENTATION,
                                Set.of(Urgency.values()),
                                Optional.empty(),
                                List.of(),
                                Optional.of(Duration.ofDays(15))));
        assertThat(deployment.deadline(ReferralType.CHILD_PROTECTION_ALERT, Urgency.ROUTINE))
                .isEmpty();
        assertThat(deployment
                        .deadline(ReferralType.CHILD_PROTECTION_ALERT, Urgency.URGENT)
                        .orElseThrow()
                        .name())
                .isEqualTo("child.protection.alert/urgent,immediate");
    }

    @Test
    void refusesADurationWithoutItsUnit() {
        assertThat(shownWith("deadlines:", "  - type: victim.orientation", "    expire_after: 15"))
                .containsExactly(
                        "routes.yaml:37: error: 'deadlines[0].expire_after' is not a"
                                + " duration, found the number '15' (expected a whole number and a unit: s, m, h or d) (fix: write it like 30m, 4h or 2d)");
    }

    @Test
    void refusesAnEscalationThatTellsNobodyOrHasNoDeadline() {
        assertThat(shownWith(
                        "deadlines:",
                        "  - type: shelter.request",
                        "    acknowledge_within: 30m",
                        "  - type: victim.orientation",
                        "    escalate_to: [{kind: prefecture}]"))
                .containsExactly(
                        "routes.yaml:37: error: acknowledge_within without escalate_to: nobody would be told (fix: add"
                                + " escalate_to: [{kind: housing}] (the duty partners of the referral's department))",
                        "routes.yaml:39: error: escalate_to without acknowledge_within: nothing says when to escalate (fix:"
                                + " add acknowledge_within: 30m)");
    }

    @Test
    void refusesAnUnknownDutyPartnerAndAnExpiryBeforeTheEscalation() {
        assertThat(shownWith(
                        "deadlines:",
                        "  - type: shelter.request",
                        "    acknowledge_within: 2h",
                        "    escalate_to: [{partner: prefecture-99}]",
                        "  - type: victim.orientation",
                        "    urgency: [urgent]",
                        "    acknowledge_within: 2h",
                        "    escalate_to: [{kind: police}]",
                        "    expire_after: 1h"))
                .containsExactly(
                        "routes.yaml:38: error: the deadline for shelter.request names partner 'prefecture-99', which is not in"
                                + " partners/ (rule recipient-exists) (fix: did you mean 'prefecture-75'?)",
                        "routes.yaml:43: error: expire_after (1h) is not later than acknowledge_within (2h): the referral"
                                + " would expire before anyone is told it waits (fix: make expire_after longer than"
                                + " acknowledge_within)");
    }

    @Test
    void refusesTwoDeadlinesForOneTypeAndUrgency() {
        assertThat(shownWith(
                        "deadlines:",
                        "  - type: victim.orientation",
                        "    expire_after: 15d",
                        "  - type: victim.orientation",
                        "    urgency: [urgent]",
                        "    expire_after: 2d"))
                .containsExactly("routes.yaml:38: error: a deadline for victim.orientation"
                        + " with urgency urgent is already set above: which one applies would be unclear (fix: give each"
                        + " type and urgency one deadline)");
    }

    @Test
    void warnsWhenAShelterRequestEscalatesToAServiceWithoutAuthorityOverThe115() {
        assertThat(shownWith(
                        "deadlines:",
                        "  - type: shelter.request",
                        "    acknowledge_within: 30m",
                        "    escalate_to: [{kind: prefecture}]"))
                .containsExactly("routes.yaml:38: warning: the deadline for shelter.request escalates to a prefecture,"
                        + " which has no authority over the 115: only the State's housing service (DRIHL, DDETS, DEETS)"
                        + " can find a place (rule shelter-escalation-authority) (fix: escalate_to: [{kind: housing}],"
                        + " with a housing partner serving each department)");
    }
}
