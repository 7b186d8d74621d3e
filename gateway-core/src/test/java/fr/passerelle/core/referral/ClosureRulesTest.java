package fr.passerelle.core.referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClosureRulesTest {
    private static final ReferralValidator VALIDATOR = ReferralValidator.fromDirectory(Samples.SCHEMAS);
    private static final LocalDate TODAY = LocalDate.of(2025, 9, 1);

    @ParameterizedTest
    @EnumSource(
            value = ReferralType.class,
            names = {"ADMINISTRATIVE_CLOSURE", "ILLEGAL_WORK_REPORT", "CLOSURE_PROPOSAL", "PUBLIC_FUNDING_ALERT"})
    void acceptsEachSampleOfTheClosureChain(ReferralType type) {

        Referral referral = VALIDATOR.validate(Samples.of(type), TODAY);

        assertThat(referral.type()).isEqualTo(type);
        assertThat(type.domain()).isEqualTo(Domain.POLICE_JUSTICE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"99900001000010", "73282932000074", "35600000000048", "35600000049837"})
    void acceptsSiretsWhoseCheckDigitHolds(String siret) {

        assertThat(ClosureRules.siretValid(siret)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"99900001000011", "73282932000075", "35600000049838", "7328293200007", "7328293200007A"})
    void refusesSiretsWhoseCheckDigitFails(String siret) {

        assertThat(ClosureRules.siretValid(siret)).isFalse();
    }

    @Test
    void refusesABadSiretNamingTheFieldAndTheFixWithoutItsValue() {
        ObjectNode report = Samples.of(ReferralType.ILLEGAL_WORK_REPORT);
        ((ObjectNode) report.get("establishment")).put("siret", "99900001000011");

        assertThatThrownBy(() -> VALIDATOR.validate(report, TODAY))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION);
                    assertThat(e.getMessage()).isEqualTo(ClosureRules.SIRET_CHECK_DIGIT);
                    assertThat(e.getMessage()).doesNotContain("99900001000011");
                });
    }

    @Test
    void refusesAnL82722ClosureOfFourMonths() {
        ObjectNode order = Samples.of(ReferralType.ADMINISTRATIVE_CLOSURE);
        ((ObjectNode) order.at("/action/orderedDuration")).put("months", 4);

        assertThatThrownBy(() -> VALIDATOR.validate(order, TODAY))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.details())
                        .containsExactly("action.orderedDuration too long: an administrative closure lasts at most 3"
                                + " months (Labour Code L.8272-2), or 93 days; shorten it, or, for a longer closure,"
                                + " ask the court (judicial-closure)"));
    }

    @Test
    void measuresDaysAgainstTheLongestMonths() {
        ObjectNode ninetyThree = Samples.of(ReferralType.ADMINISTRATIVE_CLOSURE);
        ObjectNode ninetyFour = Samples.of(ReferralType.ADMINISTRATIVE_CLOSURE);
        ((ObjectNode) ninetyThree.at("/action")).putObject("orderedDuration").put("days", 93);
        ((ObjectNode) ninetyFour.at("/action")).putObject("orderedDuration").put("days", 94);

        assertThat(VALIDATOR.validate(ninetyThree, TODAY).type()).isEqualTo(ReferralType.ADMINISTRATIVE_CLOSURE);
        assertThatThrownBy(() -> VALIDATOR.validate(ninetyFour, TODAY))
                .hasMessageContaining("action.orderedDuration too long");
    }

    @Test
    void allowsSixMonthsOfExclusionFromPublicContractsButNotSeven() {
        ObjectNode six = Samples.of(ReferralType.ILLEGAL_WORK_REPORT);
        ObjectNode seven = Samples.of(ReferralType.ILLEGAL_WORK_REPORT);
        for (ObjectNode report : new ObjectNode[] {six, seven}) {
            ((ObjectNode) report.at("/action")).put("legalBasis", "l8272-4-public-contracts");
        }
        ((ObjectNode) six.at("/action/proposedDuration")).put("months", 6);
        ((ObjectNode) seven.at("/action/proposedDuration")).put("months", 7);

        assertThat(VALIDATOR.validate(six, TODAY).type()).isEqualTo(ReferralType.ILLEGAL_WORK_REPORT);
        assertThatThrownBy(() -> VALIDATOR.validate(seven, TODAY))
                .hasMessage("action.proposedDuration too long: an exclusion from public contracts"
                        + " lasts at most 6 months (Labour Code L.8272-4), or 186 days; shorten it, or, for a longer"
                        + " closure, ask the court (judicial-closure)");
    }

    @Test
    void letsTheCourtDecideTheDurationOfAJudicialClosure() {
        ObjectNode order = Samples.of(ReferralType.ADMINISTRATIVE_CLOSURE);
        ((ObjectNode) order.at("/action")).put("legalBasis", "judicial-closure");
        ((ObjectNode) order.at("/action/orderedDuration")).put("months", 24);
        ((ObjectNode) order.at("/action/proposedDuration")).put("months", 24);

        assertThat(VALIDATOR.validate(order, TODAY).type()).isEqualTo(ReferralType.ADMINISTRATIVE_CLOSURE);
    }

    @Test
    void refusesAClosureOrderWithoutItsBasisDurationOrderOrSiret() {
        ObjectNode order = Samples.of(ReferralType.ADMINISTRATIVE_CLOSURE);
        ((ObjectNode) order.get("action")).remove("legalBasis");
        ((ObjectNode) order.get("action")).remove("orderedDuration");
        ((ObjectNode) order.get("establishment")).remove("siret");
        order.remove("order");

        assertThatThrownBy(() -> VALIDATOR.validate(order, TODAY))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.details())
                        .containsExactly(
                                ClosureRules.CLOSURE_BASIS_REQUIRED,
                                ClosureRules.SIRET_REQUIRED,
                                ClosureRules.ORDERED_DURATION_REQUIRED,
                                ClosureRules.ORDER_REQUIRED));
    }

    @Test
    void acceptsACoordinatedInspectionWithoutAnOrder() {
        ObjectNode inspection = Samples.of(ReferralType.ADMINISTRATIVE_CLOSURE);
        ((ObjectNode) inspection.get("action")).put("kind", "coordinated-inspection");
        ((ObjectNode) inspection.get("action")).remove("legalBasis");
        ((ObjectNode) inspection.get("action")).remove("orderedDuration");
        ((ObjectNode) inspection.get("action")).remove("proposedDuration");
        inspection.remove("order");

        assertThat(VALIDATOR.validate(inspection, TODAY).type()).isEqualTo(ReferralType.ADMINISTRATIVE_CLOSURE);
    }

    @Test
    void refusesAPublicAidBasisForAClosureAndAnyDurationOnIt() {
        ObjectNode order = Samples.of(ReferralType.ADMINISTRATIVE_CLOSURE);
        ((ObjectNode) order.get("action")).put("legalBasis", "l8272-1-public-aid");

        assertThatThrownBy(() -> VALIDATOR.validate(order, TODAY))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.details())
                        .containsExactly(
                                ClosureRules.durationWithoutTerm("action.proposedDuration"),
                                ClosureRules.durationWithoutTerm("action.orderedDuration"),
                                ClosureRules.CLOSURE_BASIS_PUBLIC_AID));
    }

    @Test
    void refusesADurationInBothUnitsAndAnOrderNotifiedBeforeItWasSigned() {
        ObjectNode order = Samples.of(ReferralType.ADMINISTRATIVE_CLOSURE);
        ((ObjectNode) order.at("/action/orderedDuration")).put("days", 10);
        ((ObjectNode) order.get("order")).put("notifiedOn", "2025-08-19");

        assertThatThrownBy(() -> VALIDATOR.validate(order, TODAY))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.details())
                        .containsExactly(
                                ClosureRules.twoUnits("action.orderedDuration"),
                                ClosureRules.ORDER_NOTIFIED_BEFORE_SIGNED));
    }

    @Test
    void namesTheOperatorAsWhatItIs() {
        ObjectNode company = Samples.of(ReferralType.CLOSURE_PROPOSAL);
        ((ObjectNode) company.get("operator")).put("familyName", "Exemple");
        ObjectNode soleTrader = Samples.of(ReferralType.CLOSURE_PROPOSAL);
        ((ObjectNode) soleTrader.get("operator")).put("kind", "natural-person");

        assertThatThrownBy(() -> VALIDATOR.validate(company, TODAY)).hasMessage(ClosureRules.LEGAL_PERSON_WITH_NAMES);
        assertThatThrownBy(() -> VALIDATOR.validate(soleTrader, TODAY)).hasMessage(ClosureRules.NATURAL_PERSON_UNNAMED);
    }
}
