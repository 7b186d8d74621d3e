package fr.passerelle.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.core.config.model.Retention;
import fr.passerelle.core.config.model.RetentionRule;
import fr.passerelle.core.referral.ReferralType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retention: section of gateway.yaml. */
class RetentionConfigTest {
    private static final RetentionRule VICTIM_SUPPORT = rule(730, 1095);
    private static final RetentionRule TRANSMITTED = rule(90, 365);

    @TempDir
    Path temp;

    private TestConfig config;

    @BeforeEach
    void writeValidConfiguration() {
        config = TestConfig.valid(temp);
    }

    /** Appends to gateway.yaml, whose 5 lines end with data_dir: the first line added is line 6. */
    private List<String> shownWith(String... lines) {
        config.replace("gateway.yaml", "data_dir: ../data", "data_dir: ../data\n" + String.join("\n", lines));
        return config.check().problems().stream().map(config::shown).toList();
    }

    private Retention retention() {
        return config.check().deployment().orElseThrow().settings().retention();
    }

    private static RetentionRule rule(int afterEndDays, int atMostDays) {
        return new RetentionRule(Duration.ofDays(afterEndDays), Duration.ofDays(atMostDays));
    }

    @Test
    void theShippedFileWritesTheDocumentedRulesOfEveryStoredType() {
        Retention shipped =
                ConfigLoader.settings(ShippedConfig.GATEWAY, Map.of()).retention();

        assertThat(shipped).isEqualTo(Retention.standard());
        assertThat(shipped.defaults()).isEqualTo(VICTIM_SUPPORT);
        assertThat(shipped.rule(ReferralType.VICTIM_ORIENTATION)).isEqualTo(VICTIM_SUPPORT);
        assertThat(shipped.rule(ReferralType.SHELTER_REQUEST)).isEqualTo(rule(30, 365));
        assertThat(shipped.rule(ReferralType.DIFFICULTY_REPORT)).isEqualTo(rule(365, 730));
        for (ReferralType transmitted : List.of(
                ReferralType.CHILD_PROTECTION_ALERT,
                ReferralType.RESIDENCE_PERMIT_SUPPORT,
                ReferralType.REFLECTION_PERIOD_REQUEST,
                ReferralType.REFLECTION_PERIOD_DECISION,
                ReferralType.RESIDENCE_PERMIT_DECISION,
                ReferralType.REMOVAL_OBJECTIVE,
                ReferralType.ADMINISTRATIVE_CLOSURE,
                ReferralType.EXPLOITATION_REPORT)) {
            assertThat(shipped.rule(transmitted)).as(transmitted.code()).isEqualTo(TRANSMITTED);
        }
        assertThat(shipped.types().keySet())
                .isEqualTo(EnumSet.complementOf(EnumSet.of(
                        ReferralType.VICTIM_ORIENTATION,
                        ReferralType.REFERRAL_RECEIPT,
                        ReferralType.CONSENT_WITHDRAWN)));
        assertThat(shipped.signedOriginal()).isEqualTo(Duration.ofDays(90));
    }

    @Test
    void theShippedFileWritesEachRuleRatherThanLeavingItToTheDefaults() {
        JsonNode retention = YamlFile.read(ShippedConfig.GATEWAY, new Problems())
                .orElseThrow()
                .root()
                .get("retention");

        assertThat(retention.fieldNames()).toIterable().containsExactly("default", "types", "signed_original");
        assertThat(retention.get("types").fieldNames())
                .toIterable()
                .containsExactlyInAnyOrderElementsOf(Retention.standard().types().keySet().stream()
                        .map(ReferralType::code)
                        .toList());
        assertThat(retention.get("default").get("after_end").asText()).isEqualTo("730d");
    }

    @Test
    void keepsTheStandardRulesWithoutARetentionSection() {
        assertThat(config.check().problems()).isEmpty();

        assertThat(retention()).isEqualTo(Retention.standard());
    }

    @Test
    void overridesOneTypeAndKeepsTheOtherKeysAndTypesAtTheirDefault() {
        assertThat(shownWith(
                        "retention:",
                        "  default: {at_most: 900d}",
                        "  types:",
                        "    shelter.request: {after_end: 48h}",
                        "    victim.orientation: {after_end: 365d}",
                        "  signed_original: 30d"))
                .isEmpty();

        Retention retention = retention();

        assertThat(retention.defaults()).isEqualTo(rule(730, 900));
        assertThat(retention.rule(ReferralType.SHELTER_REQUEST)).isEqualTo(rule(2, 365));
        assertThat(retention.rule(ReferralType.VICTIM_ORIENTATION)).isEqualTo(rule(365, 900));
        assertThat(retention.rule(ReferralType.REMOVAL_OBJECTIVE)).isEqualTo(TRANSMITTED);
        assertThat(retention.signedOriginal()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void refusesAfterEndLongerThanAtMostAtItsLine() {
        assertThat(shownWith(
                        "retention:",
                        "  default: {after_end: 730d, at_most: 365d}",
                        "  types:",
                        "    shelter.request: {after_end: 400d}"))
                .containsExactly(
                        "gateway.yaml:7: error: 'retention.default' keeps content 730d after the referral's end but 365d at"
                                + " most after its submission: a referral ends after its submission, so after_end would never"
                                + " apply (expected: after_end no longer than at_most) (fix: lower after_end to 365d or less,"
                                + " or raise at_most to 730d or more)",
                        "gateway.yaml:9: error: 'retention.types.shelter.request' keeps content 400d after the referral's end"
                                + " but 365d (its default) at most after its submission: a referral ends after its submission,"
                                + " so after_end would never apply (expected: after_end no longer than at_most) (fix: lower"
                                + " after_end to 365d or less, or raise at_most to 400d or more)");
    }

    @Test
    void refusesAnUnknownTypeSuggestingTheClosest() {
        assertThat(shownWith("retention:", "  types:", "    shelter.requets: {after_end: 30d}"))
                .containsExactly("gateway.yaml:8: error: unknown referral type 'shelter.requets' (expected one of: "
                        + ReferralType.codes() + ") (fix: did you mean 'shelter.request'?)");
    }

    @Test
    void refusesTypesThatAreNotStoredAsReferrals() {
        assertThat(shownWith(
                        "retention:",
                        "  types:",
                        "    referral.receipt: {after_end: 30d}",
                        "    consent.withdrawn: {after_end: 30d}"))
                .containsExactly(
                        "gateway.yaml:8: error: referral.receipt is not stored as a referral: it acts on the referral it"
                                + " names, which keeps its own type's rule (fix: remove referral.receipt from retention.types)",
                        "gateway.yaml:9: error: consent.withdrawn is not stored as a referral: it acts on the referral it"
                                + " names, which keeps its own type's rule (fix: remove consent.withdrawn from"
                                + " retention.types)");
    }

    @Test
    void acceptsPayloadDaysAsTheOldNameOfTheDefaultAfterEndWithAWarning() {
        assertThat(shownWith("retention:", "  payload_days: 365"))
                .containsExactly(
                        "gateway.yaml:7: warning: 'retention.payload_days' is the old name of 'retention.default.after_end'"
                                + " (fix: replace payload_days: 365 with default: {after_end: 365d})");

        assertThat(retention().defaults()).isEqualTo(rule(365, 1095));
        assertThat(retention().rule(ReferralType.SHELTER_REQUEST)).isEqualTo(rule(30, 365));
    }

    @Test
    void refusesPayloadDaysBesideTheDefaultAfterEnd() {
        assertThat(shownWith("retention:", "  payload_days: 365", "  default: {after_end: 730d}"))
                .containsExactly(
                        "gateway.yaml:7: error: 'retention.payload_days' and 'retention.default.after_end' both say how long"
                                + " content is kept after the referral's end: which one applies would be unclear (fix: remove"
                                + " payload_days, the old name of default.after_end)");
    }

    @Test
    void refusesPayloadDaysLongerThanTheDefaultAtMostSayingHowToWriteBoth() {
        assertThat(shownWith("retention:", "  payload_days: 1500"))
                .filteredOn(p -> p.contains("error"))
                .containsExactly(
                        "gateway.yaml:7: error: 'retention.default' keeps content 1500d (payload_days) after the referral's"
                                + " end but 1095d (its default) at most after its submission: a referral ends after its"
                                + " submission, so after_end would never apply (expected: after_end no longer than at_most)"
                                + " (fix: replace payload_days with default: {after_end: 1500d, at_most: 1500d}, or"
                                + " shorter)");
    }

    @Test
    void warnsOfContentKeptLongerThanTwoYearsAfterTheEnd() {
        assertThat(shownWith(
                        "retention:",
                        "  payload_days: 800",
                        "  types:",
                        "    exploitation.report: {after_end: 1000d, at_most: 1200d}"))
                .containsExactly(
                        "gateway.yaml:7: warning: 'retention.payload_days' is the old name of 'retention.default.after_end'"
                                + " (fix: replace payload_days: 800 with default: {after_end: 800d})",
                        "gateway.yaml:7: warning: 'retention.payload_days' keeps content 800d after the referral's end,"
                                + " longer than the two years after the last contact after which SI-SIAO and the CNIL's"
                                + " social-support guidance erase data (fix: keep it at 730d or less unless a legal obligation"
                                + " says otherwise)",
                        "gateway.yaml:9: warning: 'retention.types.exploitation.report.after_end' keeps content 1000d after"
                                + " the referral's end, longer than the two years after the last contact after which SI-SIAO"
                                + " and the CNIL's social-support guidance erase data (fix: keep it at 730d or less unless a"
                                + " legal obligation says otherwise)");

        assertThat(retention().rule(ReferralType.EXPLOITATION_REPORT)).isEqualTo(rule(1000, 1200));
    }

    @Test
    void refusesADurationWithoutItsUnitOrAnUnknownKey() {
        assertThat(shownWith(
                        "retention:",
                        "  default: {after_end: 730, at_most: 3y}",
                        "  types:",
                        "    shelter.request: {after_end: 30d, atmost: 365d}",
                        "  signed_original: 90 days"))
                .containsExactly(
                        "gateway.yaml:7: error: 'retention.default.after_end' is not a duration, found the number '730'"
                                + " (expected a whole number and a unit: s, m, h or d) (fix: write it like 30m, 4h or 2d)",
                        "gateway.yaml:7: error: 'retention.default.at_most' is not a duration, found the text '3y' (expected"
                                + " a whole number and a unit: s, m, h or d) (fix: write it like 30m, 4h or 2d)",
                        "gateway.yaml:9: error: unknown key 'atmost' in 'retention.types.shelter.request' (expected one of:"
                                + " after_end, at_most) (fix: did you mean 'at_most'?)",
                        "gateway.yaml:10: error: 'retention.signed_original' is not a duration, found the text '90 days'"
                                + " (expected a whole number and a unit: s, m, h or d) (fix: write it like 30m, 4h or 2d)");
        assertThat(config.check().deployment()).isEmpty();
    }
}
