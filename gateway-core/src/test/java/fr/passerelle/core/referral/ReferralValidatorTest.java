package fr.passerelle.core.referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReferralValidatorTest {
    private static final ReferralValidator VALIDATOR = ReferralValidator.fromDirectory(Samples.SCHEMAS);
    private static final String SUBMITTABLE = "victim.orientation, shelter.request, residence.permit.support,"
            + " reflection.period.request, exploitation.report, removal.objective, administrative.closure,"
            + " difficulty.report, reflection.period.decision, residence.permit.decision";
    /** The submission day of the tests that depend on it. */
    private static final LocalDate TODAY = LocalDate.of(2025, 7, 14);
    private static final String DEPARTMENTS = "expected 01-19, 2A, 2B, 21-95, 971-974 or 976";

    @ParameterizedTest
    @EnumSource(value = ReferralType.class, names = "REFERRAL_RECEIPT", mode = EnumSource.Mode.EXCLUDE)
    void acceptsTheSampleOfEveryType(ReferralType type) {
        ObjectNode sample = Samples.of(type);

        Referral referral = VALIDATOR.validate(sample);

        assertThat(referral.type()).isEqualTo(type);
        assertThat(referral.department().code()).isEqualTo(sample.get("department").textValue());
        assertThat(referral.urgency().code()).isEqualTo(sample.get("urgency").textValue());
        assertThat(referral.body()).isSameAs(sample);
    }

    @Test
    void readsRoutingMetadataFromTheDocument() {
        ObjectNode report = Samples.of(ReferralType.EXPLOITATION_REPORT);

        Referral referral = VALIDATOR.validate(report);

        assertThat(referral.department()).isEqualTo(Department.of("974"));
        assertThat(referral.urgency()).isEqualTo(Urgency.URGENT);
    }

    @Test
    void refusesABodyThatIsNotAnObject() {
        GatewayException e = refusal(Samples.JSON.createArrayNode().add(1));

        assertThat(e.code()).isEqualTo(ErrorCode.REQUEST_INVALID);
        assertThat(e).hasMessage("the body must be a JSON object holding a canonical referral with its type"
                + " (got an array)");
    }

    @Test
    void refusesADocumentWithoutType() {
        ObjectNode orientation = Samples.of(ReferralType.VICTIM_ORIENTATION);
        orientation.remove("type");

        GatewayException e = refusal(orientation);

        assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_VIOLATION);
        assertThat(e).hasMessage("type is required: a string naming the referral type (expected one of: "
                + SUBMITTABLE + ")");
    }

    @Test
    void refusesATypeThatIsNotAString() {
        ObjectNode orientation = Samples.of(ReferralType.VICTIM_ORIENTATION).put("type", 7);

        GatewayException e = refusal(orientation);

        assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_VIOLATION);
        assertThat(e).hasMessageStartingWith("type is required: a string naming the referral type");
    }

    @Test
    void refusesAnUnknownType() {
        ObjectNode orientation = Samples.of(ReferralType.VICTIM_ORIENTATION).put("type", "victim.orientaton");

        GatewayException e = refusal(orientation);

        assertThat(e.code()).isEqualTo(ErrorCode.TYPE_UNKNOWN);
        assertThat(e).hasMessage("referral type 'victim.orientaton' is unknown (expected one of: "
                + ReferralType.codes() + ")");
    }

    @Test
    void refusesAReceiptSubmittedAsAReferral() {
        GatewayException e = refusal(Samples.of(ReferralType.REFERRAL_RECEIPT));

        assertThat(e.code()).isEqualTo(ErrorCode.TYPE_NOT_ALLOWED);
        assertThat(e).hasMessage("a referral.receipt is not a referral: send receipts to"
                + " POST /v1/referrals/{id}/receipts (expected one of: " + SUBMITTABLE + ")");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "975 | 975 is an overseas collectivity, not a department, and the instruction does not apply there",
        "987 | 987 is an overseas collectivity, not a department, and the instruction does not apply there",
        "20  | Corsica is 2A or 2B since 1976",
        "2a  | write Corsica in upper case: 2A or 2B",
        "7   | write two digits: 07",
        "99  | no explanation beyond the list"})
    void refusesADepartmentWithItsOwnExplanation(String department, String why) {
        GatewayException e = refusal(Samples.of(ReferralType.SHELTER_REQUEST).put("department", department));

        assertThat(e.code()).isEqualTo(ErrorCode.DEPARTMENT_INVALID);
        assertThat(e).hasMessage("department '" + department + "' is not valid ("
                + (why.startsWith("no explanation") ? "" : why + "; ") + DEPARTMENTS + ")");
    }

    @Test
    void acceptsCorsicaInUpperCase() {
        Referral referral = VALIDATOR.validate(Samples.of(ReferralType.SHELTER_REQUEST).put("department", "2A"));

        assertThat(referral.department()).isEqualTo(Department.of("2A"));
    }

    @Test
    void refusesADepartmentThatIsNotAString() {
        GatewayException e = refusal(Samples.of(ReferralType.SHELTER_REQUEST).put("department", 75));

        assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_VIOLATION);
        assertThat(e).hasMessage("the shelter.request document does not match its schema (1 problem)");
        assertThat(e.details()).containsExactly("$.department: must be a string");
    }

    @Test
    void refusesAnUnknownTopLevelField() {
        ObjectNode orientation = Samples.of(ReferralType.VICTIM_ORIENTATION).put("nickname", "x");

        GatewayException e = refusal(orientation);

        assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_VIOLATION);
        assertThat(e).hasMessage("the victim.orientation document does not match its schema (1 problem)");
        assertThat(e.details()).containsExactly("$.nickname: is not allowed here (expected only: schemaVersion,"
                + " type, department, urgency, senderReference, subject, consent, needs, situation, referrer, notes)");
    }

    @Test
    void refusesAnUnknownNestedField() {
        ObjectNode orientation = Samples.of(ReferralType.VICTIM_ORIENTATION);
        ((ObjectNode) orientation.get("subject").get("contact")).put("fax", "x");

        GatewayException e = refusal(orientation);

        assertThat(e.details()).containsExactly("$.subject.contact.fax: is not allowed here (expected only:"
                + " channel, phone, email, safeTimes)");
    }

    @Test
    void refusesADocumentMissingRequiredFields() {
        ObjectNode orientation = Samples.of(ReferralType.VICTIM_ORIENTATION);
        orientation.remove("needs");
        ((ObjectNode) orientation.get("subject")).remove("minor");

        GatewayException e = refusal(orientation);

        assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_VIOLATION);
        assertThat(e).hasMessage("the victim.orientation document does not match its schema (2 problems)");
        assertThat(e.details()).containsExactly("$.needs: is required", "$.subject.minor: is required");
    }

    @Test
    void requiresTheNationalityForAPermitSupport() {
        ObjectNode support = Samples.of(ReferralType.RESIDENCE_PERMIT_SUPPORT);
        ((ObjectNode) support.get("subject")).remove("nationality");

        GatewayException e = refusal(support);

        assertThat(e.details()).containsExactly("$.subject.nationality: is required");
    }

    @Test
    void requiresTheProceedingWhenThePersonTestified() {
        ObjectNode support = Samples.of(ReferralType.RESIDENCE_PERMIT_SUPPORT).put("basis", "testimony");

        GatewayException e = refusal(support);

        assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_VIOLATION);
        assertThat(e.details()).containsExactly("$.proceeding: is required");
    }

    @Test
    void requiresTheComplaintWhenThePersonFiledOne() {
        ObjectNode support = Samples.of(ReferralType.RESIDENCE_PERMIT_SUPPORT);
        support.remove("complaint");

        GatewayException e = refusal(support);

        assertThat(e.details()).containsExactly("$.complaint: is required");
    }

    @Test
    void describesSchemaViolationsByPathAndExpectationWithoutTheOffendingValues() {
        String personal = "Zorbalina Quetzal 7741";
        ObjectNode orientation = Samples.of(ReferralType.VICTIM_ORIENTATION).put("senderReference", personal);
        ObjectNode subject = (ObjectNode) orientation.get("subject");
        subject.put("gender", personal).put("nationality", personal).put("birthDate", personal)
                .put("givenName", personal.repeat(5));
        ((ObjectNode) subject.get("contact")).put("phone", personal).put("email", personal);
        ((ArrayNode) subject.get("languages")).add(personal);
        ((ObjectNode) orientation.get("consent")).put("recordedAt", personal);
        ((ArrayNode) orientation.get("needs")).add(personal).add("shelter");
        orientation.put("schemaVersion", 2);

        GatewayException e = refusal(orientation);

        assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_VIOLATION);
        assertThat(e).hasMessage("the victim.orientation document does not match its schema (12 problems)");
        assertThat(e.details()).containsExactly(
                "$.consent.recordedAt: must be a date-time with its offset such as 2025-07-11T09:30:00+02:00"
                        + " (RFC 3339)",
                "$.needs: must not hold the same item twice",
                "$.needs[3]: must be one of: shelter, health, legal-aid, psychological-support, exit-pathway,"
                        + " interpreting, administrative-support, safety-planning",
                "$.schemaVersion: must be 1",
                "$.senderReference: must match the pattern ^[A-Za-z0-9._/-]+$",
                "$.subject.birthDate: must be a date such as 2025-07-11 (RFC 3339 full-date)",
                "$.subject.contact.email: must be an e-mail address such as name@example.org",
                "$.subject.contact.phone: must match the pattern ^\\+?[0-9 ]{6,20}$",
                "$.subject.gender: must be one of: female, male, other, unknown",
                "$.subject.givenName: must be at most 100 characters long",
                "$.subject.languages[2]: must match the pattern ^[a-z]{2,3}(-[A-Z]{2})?$",
                "$.subject.nationality: must match the pattern ^[A-Z]{2}$");
        assertThat(String.join("\n", e.details()) + e.getMessage() + e).doesNotContain("Zorbalina", "7741");
    }

    @Test
    void refusesAnOrientationWithoutConsent() {
        ObjectNode orientation = Samples.of(ReferralType.VICTIM_ORIENTATION);
        ((ObjectNode) orientation.get("consent")).put("given", false);

        GatewayException e = refusal(orientation);

        assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION);
        assertThat(e).hasMessage("consent not recorded: a victim.orientation needs consent.given true and"
                + " consent.recordedAt, because a victim is oriented to an association only with their explicit"
                + " consent (GDPR art. 9(2)(a))");
        assertThat(e.details()).containsExactly(e.getMessage());
    }

    @Test
    void refusesAnOrientationWhoseConsentWasNotTimed() {
        ObjectNode orientation = Samples.of(ReferralType.VICTIM_ORIENTATION);
        ((ObjectNode) orientation.get("consent")).remove("recordedAt");

        GatewayException e = refusal(orientation);

        assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION);
        assertThat(e).hasMessageStartingWith("consent not recorded: ");
    }

    @Test
    void refusesAPermitSupportWithoutAQualifiedHearing() {
        ObjectNode support = Samples.of(ReferralType.RESIDENCE_PERMIT_SUPPORT);
        ((ObjectNode) support.get("hearing")).put("byQualifiedStaff", false);

        GatewayException e = refusal(support);

        assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION);
        assertThat(e).hasMessage("hearing not attested: a residence.permit.support needs hearing.byQualifiedStaff"
                + " true, because the person must first be heard by qualified police or gendarmerie staff"
                + " (CESEDA L.425-1; instruction of 11 July 2025)");
    }

    @Test
    void refusesAPermitSupportBeforeThePersonWasToldOfAllFourRights() {
        ObjectNode support = Samples.of(ReferralType.RESIDENCE_PERMIT_SUPPORT);
        ((ObjectNode) support.get("rightsInformation")).putArray("items")
                .add("reception-housing-protection").add("admission-to-stay-and-work");

        GatewayException e = refusal(support);

        assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION);
        assertThat(e).hasMessage("rights information incomplete: a residence.permit.support needs all four"
                + " rightsInformation.items, missing: rights-cpp-53-1-legal-aid, reflection-period (duty to inform"
                + " the person of their rights, CESEDA R.425-1)");
    }

    @Test
    void refusesAReflectionRequestBeforeThePersonWasToldOfAnyRight() {
        ObjectNode request = Samples.of(ReferralType.REFLECTION_PERIOD_REQUEST);
        ((ObjectNode) request.get("rightsInformation")).putArray("items");

        GatewayException e = refusal(request);

        assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION);
        assertThat(e).hasMessage("rights information incomplete: a reflection.period.request needs all four"
                + " rightsInformation.items, missing: admission-to-stay-and-work, reception-housing-protection,"
                + " rights-cpp-53-1-legal-aid, reflection-period (duty to inform the person of their rights,"
                + " CESEDA R.425-1)");
    }

    @Test
    void listsEveryBrokenRuleInTheDetails() {
        ObjectNode support = Samples.of(ReferralType.RESIDENCE_PERMIT_SUPPORT);
        ((ObjectNode) support.get("hearing")).put("byQualifiedStaff", false);
        ((ObjectNode) support.get("rightsInformation")).putArray("items")
                .add("admission-to-stay-and-work").add("reception-housing-protection").add("rights-cpp-53-1-legal-aid");

        GatewayException e = refusal(support);

        assertThat(e).hasMessageStartingWith("hearing not attested: ");
        assertThat(e.details()).hasSize(2);
        assertThat(e.details().get(1)).startsWith("rights information incomplete: ").contains("missing: reflection-period (");
    }

    @Test
    void refusesARemovalObjectiveDuringTheReflectionPeriod() {
        ObjectNode removal = Samples.of(ReferralType.REMOVAL_OBJECTIVE);
        ((ObjectNode) removal.get("reflectionPeriod")).put("running", true).put("endsOn", "2025-08-14");

        GatewayException e = refusal(removal, TODAY);

        assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION);
        assertThat(e).hasMessage("removal objective refused: reflectionPeriod.running is true, and no removal may"
                + " be taken or enforced during the reflection period (CESEDA R.425-2)");
        assertThat(e.details()).containsExactly(e.getMessage());
    }

    @Test
    void refusesARemovalObjectiveThatDoesNotStateTheReflectionPeriod() {
        ObjectNode removal = Samples.of(ReferralType.REMOVAL_OBJECTIVE);
        removal.remove("reflectionPeriod");

        GatewayException e = refusal(removal, TODAY);

        assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_VIOLATION);
        assertThat(e.details()).containsExactly("$.reflectionPeriod: is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-07-14", "2025-07-15", "2025-08-13"})
    void refusesARemovalObjectiveSayingThePeriodIsOverWhileItEndsTodayOrLater(String endsOn) {
        ObjectNode removal = Samples.of(ReferralType.REMOVAL_OBJECTIVE);
        ((ObjectNode) removal.get("reflectionPeriod")).put("running", false).put("endsOn", endsOn);

        GatewayException e = refusal(removal, TODAY);

        assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION);
        assertThat(e).hasMessage("removal objective refused: reflectionPeriod.running is false but"
                + " reflectionPeriod.endsOn is today or later, so the period still runs; no removal may be taken or"
                + " enforced before its end (CESEDA R.425-2)");
        assertThat(e.getMessage()).doesNotContain(endsOn);
    }

    @Test
    void acceptsARemovalObjectiveAfterTheReflectionPeriodEnded() {
        ObjectNode removal = Samples.of(ReferralType.REMOVAL_OBJECTIVE);
        ((ObjectNode) removal.get("reflectionPeriod")).put("running", false).put("endsOn", "2025-07-13");

        Referral referral = VALIDATOR.validate(removal, TODAY);

        assertThat(referral.type()).isEqualTo(ReferralType.REMOVAL_OBJECTIVE);
    }

    @Test
    void refusesARunningReflectionPeriodThatEndedInThePastNamingTheContradiction() {
        ObjectNode removal = Samples.of(ReferralType.REMOVAL_OBJECTIVE);
        ((ObjectNode) removal.get("reflectionPeriod")).put("running", true).put("endsOn", "2025-07-13");

        GatewayException e = refusal(removal, TODAY);

        assertThat(e).hasMessageStartingWith("removal objective refused: reflectionPeriod.running is true,");
        assertThat(e.details()).containsExactly(e.getMessage(), "reflection period contradictory:"
                + " reflectionPeriod.running is true but reflectionPeriod.endsOn is already past; correct whichever"
                + " is wrong (CESEDA R.425-2)");
    }

    @Test
    void acceptsARunningReflectionPeriodEndingTodayAsOnlyRunning() {
        ObjectNode removal = Samples.of(ReferralType.REMOVAL_OBJECTIVE);
        ((ObjectNode) removal.get("reflectionPeriod")).put("running", true).put("endsOn", "2025-07-14");

        GatewayException e = refusal(removal, TODAY);

        assertThat(e.details()).containsExactly("removal objective refused: reflectionPeriod.running is true, and"
                + " no removal may be taken or enforced during the reflection period (CESEDA R.425-2)");
    }

    @Test
    void refusesARemovalObjectiveAboutAPersonMarkedMinor() {
        ObjectNode removal = Samples.of(ReferralType.REMOVAL_OBJECTIVE);
        ((ObjectNode) removal.get("subject")).put("minor", true);

        GatewayException e = refusal(removal, TODAY);

        assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION);
        assertThat(e).hasMessage("removal objective refused: the person is a minor (subject.minor is true), and a"
                + " minor cannot be the subject of an obligation to leave French territory (CESEDA L.611-3)");
    }

    @Test
    void refusesARemovalObjectiveAboutAPersonBornLessThanEighteenYearsBeforeTheSubmissionDay() {
        ObjectNode removal = Samples.of(ReferralType.REMOVAL_OBJECTIVE);
        ((ObjectNode) removal.get("subject")).put("birthDate", "2007-07-15");

        GatewayException e = refusal(removal, TODAY);

        assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION);
        assertThat(e).hasMessage("removal objective refused: subject.birthDate is less than 18 years before today,"
                + " so the person is a minor, and a minor cannot be the subject of an obligation to leave French"
                + " territory (CESEDA L.611-3)");
        assertThat(String.join("\n", e.details()) + e).doesNotContain("2007", "Exemple", "FICTIF");
    }

    @Test
    void acceptsARemovalObjectiveAboutAPersonWhoTurnedEighteenOnTheSubmissionDay() {
        ObjectNode removal = Samples.of(ReferralType.REMOVAL_OBJECTIVE);
        ((ObjectNode) removal.get("subject")).put("birthDate", "2007-07-14");

        Referral referral = VALIDATOR.validate(removal, TODAY);

        assertThat(referral.type()).isEqualTo(ReferralType.REMOVAL_OBJECTIVE);
    }

    @Test
    void refusesARemovalObjectiveAboutAPersonEstimatedUnderEighteen() {
        ObjectNode removal = Samples.of(ReferralType.REMOVAL_OBJECTIVE);
        ObjectNode subject = (ObjectNode) removal.get("subject");
        subject.remove("birthDate");
        subject.put("estimatedAge", 17);

        GatewayException e = refusal(removal, TODAY);

        assertThat(e).hasMessage("removal objective refused: subject.estimatedAge is under 18, so the person may be"
                + " a minor, and a minor cannot be the subject of an obligation to leave French territory"
                + " (CESEDA L.611-3)");
        assertThat(e.getMessage()).doesNotContain("17");
    }

    @Test
    void listsEverySignOfMinorityAndTheReflectionPeriodTogether() {
        ObjectNode removal = Samples.of(ReferralType.REMOVAL_OBJECTIVE);
        ((ObjectNode) removal.get("subject")).put("minor", true).put("birthDate", "2010-01-01")
                .put("estimatedAge", 15);
        ((ObjectNode) removal.get("reflectionPeriod")).put("running", true);

        GatewayException e = refusal(removal, TODAY);

        assertThat(e.details()).hasSize(4);
        assertThat(e.details().get(0)).startsWith("removal objective refused: reflectionPeriod.running is true");
        assertThat(e.details().subList(1, 4)).allSatisfy(line -> assertThat(line).endsWith("(CESEDA L.611-3)"));
    }

    @Test
    void acceptsTheReflectionDecisionSampleOnAnyDay() {
        ObjectNode decision = Samples.of(ReferralType.REFLECTION_PERIOD_DECISION);

        Referral referral = VALIDATOR.validate(decision, LocalDate.of(2031, 1, 1));

        assertThat(referral.type()).isEqualTo(ReferralType.REFLECTION_PERIOD_DECISION);
    }

    @Test
    void refusesAReceiptThatEndsBeforeItsHandover() {
        ObjectNode decision = Samples.of(ReferralType.REFLECTION_PERIOD_DECISION);
        ((ObjectNode) decision.get("receipt")).put("handedOverOn", "2025-07-20").put("endsOn", "2025-07-19");

        GatewayException e = refusal(decision, TODAY);

        assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION);
        assertThat(e).hasMessage("reflection period dates inverted: receipt.endsOn is before receipt.handedOverOn,"
                + " and the period runs from the récépissé's handover (CESEDA R.425-2)");
        assertThat(e.details()).containsExactly(e.getMessage());
    }

    @Test
    void refusesAReflectionPeriodLongerThanThirtyDays() {
        ObjectNode decision = Samples.of(ReferralType.REFLECTION_PERIOD_DECISION);
        ((ObjectNode) decision.get("receipt")).put("handedOverOn", "2025-07-20").put("endsOn", "2025-08-20");

        GatewayException e = refusal(decision, TODAY);

        assertThat(e).hasMessage("reflection period too long: receipt.endsOn is more than 30 days after"
                + " receipt.handedOverOn, and the period lasts 30 days from the récépissé's handover"
                + " (CESEDA R.425-2)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-07-20", "2025-08-01", "2025-08-19"})
    void acceptsAReceiptOfAtMostThirtyDaysAndAnEarlyEndWithinIt(String on) {
        ObjectNode decision = Samples.of(ReferralType.REFLECTION_PERIOD_DECISION);
        ((ObjectNode) decision.get("receipt")).put("handedOverOn", "2025-07-20").put("endsOn", "2025-08-19");
        decision.putObject("earlyEnd").put("on", on).put("reason", "public-order-threat");

        Referral referral = VALIDATOR.validate(decision, TODAY);

        assertThat(referral.type()).isEqualTo(ReferralType.REFLECTION_PERIOD_DECISION);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2025-07-19 | early end outside the period: earlyEnd.on is before receipt.handedOverOn, and the prefect can"
                + " end early only a period that has begun (CESEDA R.425-2)",
        "2025-08-20 | early end outside the period: earlyEnd.on is after receipt.endsOn, and a period that has"
                + " already ended cannot end early (CESEDA R.425-2)"})
    void refusesAnEarlyEndOutsideThePeriod(String on, String message) {
        ObjectNode decision = Samples.of(ReferralType.REFLECTION_PERIOD_DECISION);
        decision.putObject("earlyEnd").put("on", on).put("reason", "renewed-contact-with-perpetrators");

        GatewayException e = refusal(decision, TODAY);

        assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION);
        assertThat(e).hasMessage(message);
        assertThat(e.details()).containsExactly(message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"issued", "renewed"})
    void requiresTheCardOfAPermitIssuedOrRenewed(String outcome) {
        ObjectNode decision = Samples.of(ReferralType.RESIDENCE_PERMIT_DECISION);
        ((ObjectNode) decision.get("decision")).put("outcome", outcome);
        decision.remove("card");

        GatewayException e = refusal(decision, TODAY);

        assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_VIOLATION);
        assertThat(e).hasMessage("the residence.permit.decision document does not match its schema (1 problem)");
        assertThat(e.details()).containsExactly("$.card: is required");
    }

    @Test
    void asksOnlyForTheDecisionWhenItIsMissing() {
        ObjectNode decision = Samples.of(ReferralType.RESIDENCE_PERMIT_DECISION);
        decision.remove("decision");
        decision.remove("card");

        GatewayException e = refusal(decision, TODAY);

        assertThat(e.details()).containsExactly("$.decision: is required");
    }

    @Test
    void acceptsARefusalWithoutCard() {
        ObjectNode decision = Samples.of(ReferralType.RESIDENCE_PERMIT_DECISION);
        ((ObjectNode) decision.get("decision")).put("outcome", "refused");
        decision.remove("card");

        Referral referral = VALIDATOR.validate(decision, TODAY);

        assertThat(referral.type()).isEqualTo(ReferralType.RESIDENCE_PERMIT_DECISION);
    }

    @Test
    void refusesARefusalThatCarriesACard() {
        ObjectNode decision = Samples.of(ReferralType.RESIDENCE_PERMIT_DECISION);
        ((ObjectNode) decision.get("decision")).put("outcome", "refused");

        GatewayException e = refusal(decision, TODAY);

        assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION);
        assertThat(e).hasMessage("card with a refusal: decision.outcome is refused, so the decision carries no card;"
                + " remove card or correct the outcome (CESEDA L.425-1, L.425-3, L.425-4)");
    }

    @Test
    void refusesACardValidUntilBeforeItIsValidFrom() {
        ObjectNode decision = Samples.of(ReferralType.RESIDENCE_PERMIT_DECISION);
        ((ObjectNode) decision.get("card")).put("validFrom", "2025-09-01").put("validUntil", "2025-08-31");

        GatewayException e = refusal(decision, TODAY);

        assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION);
        assertThat(e).hasMessage("card validity inverted: card.validUntil is before card.validFrom, and the card"
                + " protects the person from its first to its last day of validity (CESEDA L.425-1, L.425-3,"
                + " L.425-4)");
        assertThat(e.getMessage()).doesNotContain("2025", "EX-TITRE");
    }

    @Test
    void acceptsACardValidForOneDay() {
        ObjectNode decision = Samples.of(ReferralType.RESIDENCE_PERMIT_DECISION);
        ((ObjectNode) decision.get("card")).put("validFrom", "2025-09-01").put("validUntil", "2025-09-01");

        Referral referral = VALIDATOR.validate(decision, TODAY);

        assertThat(referral.type()).isEqualTo(ReferralType.RESIDENCE_PERMIT_DECISION);
    }

    @Test
    void checksTheSchemaBeforeTheRules() {
        ObjectNode removal = Samples.of(ReferralType.REMOVAL_OBJECTIVE).put("action", "arrest");
        ((ObjectNode) removal.get("reflectionPeriod")).put("running", true);

        GatewayException e = refusal(removal);

        assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_VIOLATION);
        assertThat(e.details()).containsExactly("$.action: must be one of: notify, enforce");
    }

    private static GatewayException refusal(JsonNode document) {
        return catchThrowableOfType(GatewayException.class, () -> VALIDATOR.validate(document));
    }

    private static GatewayException refusal(JsonNode document, LocalDate today) {
        return catchThrowableOfType(GatewayException.class, () -> VALIDATOR.validate(document, today));
    }
}
