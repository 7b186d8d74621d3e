package fr.passerelle.core.referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReferralValidatorTest {
    private static final ReferralValidator VALIDATOR = ReferralValidator.fromDirectory(Samples.SCHEMAS);
    private static final String SUBMITTABLE = "victim.orientation, shelter.request, residence.permit.support,"
            + " reflection.period.request, exploitation.report, removal.objective, administrative.closure,"
            + " illegal.work.report, closure.proposal, public.funding.alert, difficulty.report, reflection.period.decision,"
            + " residence.permit.decision, exit.pathway.application, exit.pathway.opinion, exit.pathway.decision,"
            + " proceeding.outcome,"
            + " child.protection.alert, consent.withdrawn";
    /** The submission day of the tests that depend on it. */
    private static final LocalDate TODAY = LocalDate.of(2025, 7, 14);

    private static final String DEPARTMENTS = "expected 01-19, 2A, 2B, 21-95, 971-974 or 976";

    @Test
    void acceptsEveryShippedSampleFile() throws IOException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(Samples.CONFIG.resolve("samples"))) {
            files = listed.filter(file -> file.toString().endsWith(".json"))
                    .filter(file -> !file.getFileName().toString().equals("referral.receipt.json"))
                    .sorted()
                    .toList();
        }

        List<ReferralType> types = new ArrayList<>();
        for (Path file : files) {
            types.add(VALIDATOR
                    .validate(Samples.JSON.readTree(file.toFile()), TODAY)
                    .type());
        }

        assertThat(types)
                .hasSize(files.size())
                .contains(ReferralType.CHILD_PROTECTION_ALERT, ReferralType.CONSENT_WITHDRAWN);
    }

    @ParameterizedTest
    @EnumSource(value = ReferralType.class, names = "REFERRAL_RECEIPT", mode = EnumSource.Mode.EXCLUDE)
    void acceptsTheSampleOfEveryType(ReferralType type) {
        ObjectNode sample = Samples.of(type);

        Referral referral = VALIDATOR.validate(sample);

        assertThat(referral.type()).isEqualTo(type);
        assertThat(referral.department().code())
                .isEqualTo(sample.get("department").textValue());
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
    void refusesTheOffencesOfAnAcquittal() {
        ObjectNode outcome = Samples.of(ReferralType.PROCEEDING_OUTCOME);
        ((ObjectNode) outcome.path("judgment")).put("outcome", "acquitted");

        GatewayException e = refusal(outcome);

        assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION);
        assertThat(e)
                .hasMessage("offences without a conviction: judgment.outcome is acquitted or dismissed, so no offence"
                        + " was retained; remove judgment.offences or correct the outcome (CESEDA L.425-3)");
    }

    @Test
    void refusesABodyThatIsNotAnObject() {
        GatewayException e = refusal(Samples.JSON.createArrayNode().add(1));

        assertThat(e.code()).isEqualTo(ErrorCode.REQUEST_INVALID);
        assertThat(e)
                .hasMessage("the body must be a JSON object holding a canonical referral with its type"
                        + " (got an array)");
    }

    @Test
    void refusesADocumentWithoutType() {
        ObjectNode orientation = Samples.of(ReferralType.VICTIM_ORIENTATION);
        orientation.remove("type");

        GatewayException e = refusal(orientation);

        assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_VIOLATION);
        assertThat(e)
                .hasMessage(
                        "type is required: a string naming the referral type (expected one of: " + SUBMITTABLE + ")");
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
        assertThat(e)
                .hasMessage(
                        "referral type 'victim.orientaton' is unknown (expected one of: " + ReferralType.codes() + ")");
    }

    @Test
    void refusesAReceiptSubmittedAsAReferral() {
        GatewayException e = refusal(Samples.of(ReferralType.REFERRAL_RECEIPT));

        assertThat(e.code()).isEqualTo(ErrorCode.TYPE_NOT_ALLOWED);
        assertThat(e)
                .hasMessage("a referral.receipt is not a referral: send receipts to"
                        + " POST /v1/referrals/{id}/receipts (expected one of: " + SUBMITTABLE + ")");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "975 | 975 is an overseas collectivity, not a department, and the instruction does not apply there",
                "987 | 987 is an overseas collectivity, not a department, and the instruction does not apply there",
                "20  | Corsica is 2A or 2B since 1976",
                "2a  | write Corsica in upper case: 2A or 2B",
                "7   | write two digits: 07",
                "99  | no explanation beyond the list"
            })
    void refusesADepartmentWithItsOwnExplanation(String department, String why) {
        GatewayException e = refusal(Samples.of(ReferralType.SHELTER_REQUEST).put("department", department));

        assertThat(e.code()).isEqualTo(ErrorCode.DEPARTMENT_INVALID);
        assertThat(e)
                .hasMessage("department '" + department + "' is not valid ("
                        + (why.startsWith("no explanation") ? "" : why + "; ") + DEPARTMENTS + ")");
    }

    @Test
    void refusesAResidenceDepartmentThatIsNoDepartmentNamingTheFieldAndTheFix() {
        ObjectNode permit = Samples.of(ReferralType.RESIDENCE_PERMIT_SUPPORT);
        ((ObjectNode) permit.get("subject")).put("residenceDepartment", "975");

        GatewayException e = refusal(permit);

        assertThat(e.code()).isEqualTo(ErrorCode.DEPARTMENT_INVALID);
        assertThat(e)
                .hasMessage("subject.residenceDepartment: department '975' is not valid (975 is an overseas"
                        + " collectivity, not a department, and the instruction does not apply there; " + DEPARTMENTS
                        + "); leave it out when the person lives in the referral's department");
    }

    @Test
    void acceptsTheResidenceDepartmentOfAPermitOrReflectionRequest() {
        for (ReferralType type :
                List.of(ReferralType.RESIDENCE_PERMIT_SUPPORT, ReferralType.REFLECTION_PERIOD_REQUEST)) {
            ObjectNode request = Samples.of(type);
            ((ObjectNode) request.get("subject")).put("residenceDepartment", "974");

            Referral referral = VALIDATOR.validate(request);

            assertThat(referral.body().at("/subject/residenceDepartment").asText())
                    .as(type.code())
                    .isEqualTo("974");
        }
    }

    @Test
    void acceptsCorsicaInUpperCase() {
        Referral referral =
                VALIDATOR.validate(Samples.of(ReferralType.SHELTER_REQUEST).put("department", "2A"));

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
        assertThat(e.details())
                .containsExactly(
                        "$.nickname: is not allowed here (expected only: schemaVersion,"
                                + " type, department, urgency, senderReference, subject, consent, needs, situation, referrer, notes)");
    }

    @Test
    void refusesAnUnknownNestedField() {
        ObjectNode orientation = Samples.of(ReferralType.VICTIM_ORIENTATION);
        ((ObjectNode) orientation.get("subject").get("contact")).put("fax", "x");

        GatewayException e = refusal(orientation);

        assertThat(e.details())
                .containsExactly("$.subject.contact.fax: is not allowed here (expected only:"
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
        subject.put("sex", personal)
                .put("nationality", personal)
                .put("birthDate", personal)
                .put("givenName", personal.repeat(5));
        ((ObjectNode) subject.get("contact")).put("phone", personal).put("email", personal);
        ((ArrayNode) subject.get("languages")).add(personal);
        ((ObjectNode) orientation.get("consent")).put("recordedAt", personal);
        ((ArrayNode) orientation.get("needs")).add(personal).add("shelter");
        orientation.put("schemaVersion", 2);

        GatewayException e = refusal(orientation);

        assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_VIOLATION);
        assertThat(e).hasMessage("the victim.orientation document does not match its schema (12 problems)");
        assertThat(e.details())
                .containsExactly(
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
                        "$.subject.givenName: must be at most 100 characters long",
                        "$.subject.languages[2]: must match the pattern ^[a-z]{2,3}(-[A-Z]{2})?$",
                        "$.subject.nationality: must match the pattern ^[A-Z]{2}$",
                        "$.subject.sex: must be one of: female, male, unknown");
        assertThat(String.join("\n", e.details()) + e.getMessage() + e).doesNotContain("Zorbalina", "7741");
    }

    @ParameterizedTest
    @EnumSource(
            value = ReferralType.class,
            names = {"VICTIM_ORIENTATION", "SHELTER_REQUEST", "RESIDENCE_PERMIT_SUPPORT", "REFLECTION_PERIOD_REQUEST"})
    void refusesAReferralAboutAPersonWhoDidNotConsent(ReferralType type) {
        ObjectNode referral = Samples.of(type);
        ((ObjectNode) referral.get("consent")).put("given", false);

        GatewayException e = refusal(referral, TODAY);

        assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION);
        assertThat(e)
                .hasMessage("consent not given: a " + type.code() + " needs consent.given true, because the"
                        + " person's data are shared only with their explicit consent (GDPR art. 9(2)(a))");
        assertThat(e.details()).containsExactly(e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(
            value = ReferralType.class,
            names = {"VICTIM_ORIENTATION", "SHELTER_REQUEST", "RESIDENCE_PERMIT_SUPPORT", "REFLECTION_PERIOD_REQUEST"})
    void requiresTheConsentRecordOfEveryReferralAboutAPerson(ReferralType type) {
        ObjectNode referral = Samples.of(type);
        ((ObjectNode) referral.get("consent")).remove(List.of("recordedAt", "givenBy", "informed"));

        GatewayException e = refusal(referral, TODAY);

        assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_VIOLATION);
        assertThat(e.details())
                .containsExactly(
                        "$.consent.givenBy: is required",
                        "$.consent.informed: is required",
                        "$.consent.recordedAt: is required");
    }

    @Test
    void refusesAPermitSupportWithoutAQualifiedHearing() {
        ObjectNode support = Samples.of(ReferralType.RESIDENCE_PERMIT_SUPPORT);
        ((ObjectNode) support.get("hearing")).put("byQualifiedStaff", false);

        GatewayException e = refusal(support);

        assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION);
        assertThat(e)
                .hasMessage("hearing not attested: a residence.permit.support needs hearing.byQualifiedStaff"
                        + " true, because the person must first be heard by qualified police or gendarmerie staff"
                        + " (CESEDA L.425-1; instruction of 11 July 2025)");
    }

    @Test
    void refusesAPermitSupportBeforeThePersonWasToldOfAllFiveRightsNamingEachMissingOne() {
        ObjectNode support = Samples.of(ReferralType.RESIDENCE_PERMIT_SUPPORT);
        ((ObjectNode) support.get("rightsInformation"))
                .putArray("items")
                .add("reception-housing-protection")
                .add("admission-to-stay-and-work");

        GatewayException e = refusal(support, TODAY);

        assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION);
        assertThat(e)
                .hasMessage("rights information incomplete: a residence.permit.support needs"
                        + " rightsInformation.items to hold rights-cpp-53-1-legal-aid (droits de l'article 53-1 du CPP dont"
                        + " l'aide juridique), because the person must be told of each of the five rights before the referral"
                        + " (CESEDA R.425-1; instruction of 11 July 2025)");
        assertThat(e.details())
                .containsExactly(
                        e.getMessage(),
                        "rights information incomplete: a residence.permit.support needs rightsInformation.items to hold"
                                + " reflection-period (délai de réflexion), because the person must be told of each of the"
                                + " five rights before the referral (CESEDA R.425-1; instruction of 11 July 2025)",
                        "rights information incomplete: a residence.permit.support needs rightsInformation.items to hold"
                                + " international-protection (protection internationale), because the person must be told of"
                                + " each of the five rights before the referral (CESEDA R.425-1; instruction of 11 July"
                                + " 2025)");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "admission-to-stay-and-work  | admission au séjour et au travail",
                "reception-housing-protection | accueil, hébergement et protection",
                "rights-cpp-53-1-legal-aid    | droits de l'article 53-1 du CPP dont l'aide juridique",
                "reflection-period            | délai de réflexion",
                "international-protection     | protection internationale"
            })
    void refusesAReflectionRequestMissingOneRightNamingItAndItsMeaning(String right, String meaning) {
        ObjectNode request = Samples.of(ReferralType.REFLECTION_PERIOD_REQUEST);
        ArrayNode items = ((ObjectNode) request.get("rightsInformation")).putArray("items");
        Rules.RIGHTS.stream().filter(item -> !item.equals(right)).forEach(items::add);

        GatewayException e = refusal(request, TODAY);

        assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION);
        assertThat(e.details())
                .containsExactly(
                        "rights information incomplete: a reflection.period.request needs"
                                + " rightsInformation.items to hold " + right + " (" + meaning
                                + "), because the person must be told"
                                + " of each of the five rights before the referral (CESEDA R.425-1; instruction of 11 July 2025)");
    }

    @Test
    void refusesAReflectionRequestBeforeThePersonWasToldOfAnyRightWithOneMessagePerRight() {
        ObjectNode request = Samples.of(ReferralType.REFLECTION_PERIOD_REQUEST);
        ((ObjectNode) request.get("rightsInformation")).putArray("items");

        GatewayException e = refusal(request, TODAY);

        assertThat(e.details()).hasSize(5).allSatisfy(line -> assertThat(line)
                .startsWith("rights information incomplete: a reflection.period.request needs rightsInformation.items"
                        + " to hold "));
        assertThat(e.details()).zipSatisfy(Rules.RIGHTS, (line, right) -> assertThat(line)
                .contains(" " + right + " (" + Rules.RIGHT_MEANINGS.get(right) + ")"));
    }

    @ParameterizedTest
    @EnumSource(
            value = ReferralType.class,
            names = {"RESIDENCE_PERMIT_SUPPORT", "REFLECTION_PERIOD_REQUEST"})
    void refusesRightsInformationGivenInALanguageThePersonDoesNotUnderstand(ReferralType type) {
        ObjectNode referral = Samples.of(type);
        ((ObjectNode) referral.get("subject")).putArray("languages").add("tig").add("ar");
        ((ObjectNode) referral.get("rightsInformation")).put("language", "fr");

        GatewayException e = refusal(referral, TODAY);

        assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION);
        assertThat(e)
                .hasMessage("rights information not understood: a " + type.code() + " needs"
                        + " rightsInformation.language, or rightsInformation.interpreter.language, to be one of"
                        + " subject.languages, because the person must be informed in a language they understand or through"
                        + " an interpreter who speaks one (CESEDA R.425-1)");
        assertThat(e.details()).containsExactly(e.getMessage());
        assertThat(e.getMessage()).doesNotContain("tig");
    }

    @Test
    void acceptsRightsInformationGivenThroughAnInterpreterWhoSpeaksTheLanguageOfThePerson() {
        ObjectNode request = Samples.of(ReferralType.REFLECTION_PERIOD_REQUEST);
        ((ObjectNode) request.get("subject")).putArray("languages").add("tig");
        ((ObjectNode) request.get("rightsInformation"))
                .put("language", "fr")
                .putObject("interpreter")
                .put("language", "tig")
                .put("reference", "EX-INTERP-01");

        Referral referral = VALIDATOR.validate(request, TODAY);

        assertThat(referral.type()).isEqualTo(ReferralType.REFLECTION_PERIOD_REQUEST);
    }

    @Test
    void refusesAnInterpreterWhoDoesNotSpeakALanguageOfThePerson() {
        ObjectNode support = Samples.of(ReferralType.RESIDENCE_PERMIT_SUPPORT);
        ((ObjectNode) support.get("subject")).putArray("languages").add("tig");
        ((ObjectNode) support.get("rightsInformation"))
                .put("language", "fr")
                .putObject("interpreter")
                .put("language", "ar");

        GatewayException e = refusal(support, TODAY);

        assertThat(e).hasMessageStartingWith("rights information not understood: a residence.permit.support needs");
    }

    @Test
    void refusesRightsInformationWhenTheLanguagesOfThePersonAreNotKnown() {
        ObjectNode support = Samples.of(ReferralType.RESIDENCE_PERMIT_SUPPORT);
        ((ObjectNode) support.get("subject")).remove("languages");

        GatewayException e = refusal(support, TODAY);

        assertThat(e).hasMessageStartingWith("rights information not understood: a residence.permit.support needs");
    }

    @Test
    void acceptsRightsInformationGivenDirectlyInAnyLanguageOfThePerson() {
        ObjectNode support = Samples.of(ReferralType.RESIDENCE_PERMIT_SUPPORT);
        ((ObjectNode) support.get("rightsInformation")).put("language", "en");

        Referral referral = VALIDATOR.validate(support, TODAY);

        assertThat(referral.type()).isEqualTo(ReferralType.RESIDENCE_PERMIT_SUPPORT);
    }

    @ParameterizedTest
    @EnumSource(
            value = ReferralType.class,
            names = {"RESIDENCE_PERMIT_SUPPORT", "REFLECTION_PERIOD_REQUEST"})
    void refusesRightsInformationGivenOutsideAConfidentialInterview(ReferralType type) {
        ObjectNode referral = Samples.of(type);
        ((ObjectNode) referral.get("rightsInformation")).put("confidential", false);

        GatewayException e = refusal(referral, TODAY);

        assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION);
        assertThat(e)
                .hasMessage("rights interview not confidential: a " + type.code() + " needs"
                        + " rightsInformation.confidential true, because the person must be informed in confidence, away"
                        + " from anyone who could put them under pressure (CESEDA R.425-1)");
        assertThat(e.details()).containsExactly(e.getMessage());
    }

    @Test
    void requiresTheConfidentialityOfTheRightsInterviewToBeStated() {
        ObjectNode request = Samples.of(ReferralType.REFLECTION_PERIOD_REQUEST);
        ((ObjectNode) request.get("rightsInformation")).remove("confidential");

        GatewayException e = refusal(request, TODAY);

        assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_VIOLATION);
        assertThat(e.details()).containsExactly("$.rightsInformation.confidential: is required");
    }

    @Test
    void listsEveryBrokenRuleInTheDetails() {
        ObjectNode support = Samples.of(ReferralType.RESIDENCE_PERMIT_SUPPORT);
        ((ObjectNode) support.get("consent")).put("given", false);
        ((ObjectNode) support.get("hearing")).put("byQualifiedStaff", false);
        ((ObjectNode) support.get("rightsInformation"))
                .put("language", "de")
                .put("confidential", false)
                .putArray("items")
                .add("admission-to-stay-and-work")
                .add("reception-housing-protection")
                .add("rights-cpp-53-1-legal-aid");
        ((ObjectNode) support.get("subject")).put("minor", true);

        GatewayException e = refusal(support, TODAY);

        assertThat(e).hasMessageStartingWith("consent not given: ");
        assertThat(e.details()).hasSize(7);
        assertThat(e.details().get(1)).startsWith("hearing not attested: ");
        assertThat(e.details().get(2))
                .startsWith("rights information incomplete: ")
                .contains(" reflection-period (");
        assertThat(e.details().get(3))
                .startsWith("rights information incomplete: ")
                .contains(" international-protection (");
        assertThat(e.details().get(4)).startsWith("rights information not understood: ");
        assertThat(e.details().get(5)).startsWith("rights interview not confidential: ");
        assertThat(e.details().get(6)).startsWith("subject.minor contradicts subject.birthDate: ");
    }

    @ParameterizedTest
    @EnumSource(
            value = ReferralType.class,
            names = {
                "VICTIM_ORIENTATION",
                "SHELTER_REQUEST",
                "RESIDENCE_PERMIT_SUPPORT",
                "REFLECTION_PERIOD_REQUEST",
                "EXPLOITATION_REPORT",
                "REMOVAL_OBJECTIVE",
                "REFLECTION_PERIOD_DECISION",
                "RESIDENCE_PERMIT_DECISION",
                "CHILD_PROTECTION_ALERT"
            })
    void refusesAMinorFlagThatABirthDateOfEighteenYearsOrMoreContradicts(ReferralType type) {
        ObjectNode referral = Samples.of(type);
        ObjectNode subject = referral.has("subject")
                ? (ObjectNode) referral.get("subject")
                : referral.putObject("subject").put("givenName", "Exemple");
        subject.put("birthDate", "2007-07-14").put("minor", true);

        GatewayException e = refusal(referral, TODAY);

        assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION);
        assertThat(e.details())
                .last()
                .isEqualTo("subject.minor contradicts subject.birthDate: subject.minor is true"
                        + " but subject.birthDate is 18 years or more before today; correct whichever is wrong (a minor is a"
                        + " person under 18, Code civil art. 388)");
        assertThat(String.join("\n", e.details())).doesNotContain("2007", "Exemple");
    }

    @ParameterizedTest
    @EnumSource(
            value = ReferralType.class,
            names = {
                "VICTIM_ORIENTATION",
                "SHELTER_REQUEST",
                "RESIDENCE_PERMIT_SUPPORT",
                "REFLECTION_PERIOD_REQUEST",
                "EXPLOITATION_REPORT",
                "REMOVAL_OBJECTIVE",
                "REFLECTION_PERIOD_DECISION",
                "RESIDENCE_PERMIT_DECISION",
                "CHILD_PROTECTION_ALERT"
            })
    void refusesAnAdultFlagThatABirthDateOfLessThanEighteenYearsContradicts(ReferralType type) {
        ObjectNode referral = Samples.of(type);
        ObjectNode subject = referral.has("subject")
                ? (ObjectNode) referral.get("subject")
                : referral.putObject("subject").put("givenName", "Exemple");
        subject.put("birthDate", "2007-07-15").put("minor", false);

        GatewayException e = refusal(referral, TODAY);

        assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION);
        assertThat(e.details())
                .last()
                .isEqualTo("subject.minor contradicts subject.birthDate: subject.minor is"
                        + " false but subject.birthDate is less than 18 years before today; correct whichever is wrong (a"
                        + " minor is a person under 18, Code civil art. 388)");
        assertThat(String.join("\n", e.details())).doesNotContain("2007", "Exemple");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"2007-07-15 | true", "2007-07-14 | false", "2000-01-01 | false"})
    void acceptsAMinorFlagThatAgreesWithTheBirthDate(String birthDate, boolean minor) {
        ObjectNode orientation = Samples.of(ReferralType.VICTIM_ORIENTATION);
        ((ObjectNode) orientation.get("subject")).put("birthDate", birthDate).put("minor", minor);

        Referral referral = VALIDATOR.validate(orientation, TODAY);

        assertThat(referral.type()).isEqualTo(ReferralType.VICTIM_ORIENTATION);
    }

    @Test
    void acceptsAMinorFlagWithoutABirthDateWhateverTheEstimate() {
        ObjectNode orientation = Samples.of(ReferralType.VICTIM_ORIENTATION);
        ObjectNode subject = (ObjectNode) orientation.get("subject");
        subject.remove("birthDate");
        subject.put("estimatedAge", 25).put("minor", true);

        Referral referral = VALIDATOR.validate(orientation, TODAY);

        assertThat(referral.type()).isEqualTo(ReferralType.VICTIM_ORIENTATION);
    }

    @Test
    void refusesARemovalObjectiveDuringTheReflectionPeriod() {
        ObjectNode removal = Samples.of(ReferralType.REMOVAL_OBJECTIVE);
        ((ObjectNode) removal.get("reflectionPeriod")).put("running", true).put("endsOn", "2025-08-14");

        GatewayException e = refusal(removal, TODAY);

        assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION);
        assertThat(e)
                .hasMessage("removal objective refused: reflectionPeriod.running is true, and no removal may"
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
        assertThat(e)
                .hasMessage("removal objective refused: reflectionPeriod.running is false but"
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
        assertThat(e.details())
                .containsExactly(
                        e.getMessage(),
                        "reflection period contradictory:"
                                + " reflectionPeriod.running is true but reflectionPeriod.endsOn is already past; correct whichever"
                                + " is wrong (CESEDA R.425-2)");
    }

    @Test
    void acceptsARunningReflectionPeriodEndingTodayAsOnlyRunning() {
        ObjectNode removal = Samples.of(ReferralType.REMOVAL_OBJECTIVE);
        ((ObjectNode) removal.get("reflectionPeriod")).put("running", true).put("endsOn", "2025-07-14");

        GatewayException e = refusal(removal, TODAY);

        assertThat(e.details())
                .containsExactly("removal objective refused: reflectionPeriod.running is true, and"
                        + " no removal may be taken or enforced during the reflection period (CESEDA R.425-2)");
    }

    @Test
    void refusesARemovalObjectiveAboutAPersonMarkedMinor() {
        ObjectNode removal = Samples.of(ReferralType.REMOVAL_OBJECTIVE);
        ((ObjectNode) removal.get("subject")).put("minor", true);

        GatewayException e = refusal(removal, TODAY);

        assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION);
        assertThat(e)
                .hasMessage("removal objective refused: the person is a minor (subject.minor is true), and a"
                        + " minor cannot be the subject of an obligation to leave French territory (CESEDA L.611-3)");
    }

    @Test
    void refusesARemovalObjectiveAboutAPersonBornLessThanEighteenYearsBeforeTheSubmissionDay() {
        ObjectNode removal = Samples.of(ReferralType.REMOVAL_OBJECTIVE);
        ((ObjectNode) removal.get("subject")).put("birthDate", "2007-07-15");

        GatewayException e = refusal(removal, TODAY);

        assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION);
        assertThat(e)
                .hasMessage("removal objective refused: subject.birthDate is less than 18 years before today,"
                        + " so the person is a minor, and a minor cannot be the subject of an obligation to leave French"
                        + " territory (CESEDA L.611-3)");
        assertThat(e.details()).last().asString().startsWith("subject.minor contradicts subject.birthDate: ");
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

        assertThat(e)
                .hasMessage("removal objective refused: subject.estimatedAge is under 18, so the person may be"
                        + " a minor, and a minor cannot be the subject of an obligation to leave French territory"
                        + " (CESEDA L.611-3)");
        assertThat(e.getMessage()).doesNotContain("17");
    }

    @ParameterizedTest
    @ValueSource(ints = {18, 19})
    void refusesARemovalObjectiveAboutAPersonEstimatedWithinTwoYearsOfMajorityAsAPresumedMinor(int estimatedAge) {
        ObjectNode removal = Samples.of(ReferralType.REMOVAL_OBJECTIVE);
        ObjectNode subject = (ObjectNode) removal.get("subject");
        subject.remove("birthDate");
        subject.put("estimatedAge", estimatedAge);

        GatewayException e = refusal(removal, TODAY);

        assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION);
        assertThat(e)
                .hasMessage("removal objective refused: subject.estimatedAge is within two years of 18 and no"
                        + " subject.birthDate is given, so the person is presumed a minor (the doubt benefits the person,"
                        + " Code civil art. 388), and a minor cannot be the subject of an obligation to leave French territory"
                        + " (CESEDA L.611-3)");
        assertThat(e.details()).containsExactly(e.getMessage());
    }

    @Test
    void acceptsARemovalObjectiveAboutAPersonEstimatedTwentyOrWithAnAdultBirthDate() {
        ObjectNode estimated = Samples.of(ReferralType.REMOVAL_OBJECTIVE);
        ((ObjectNode) estimated.get("subject")).put("estimatedAge", 20).remove("birthDate");
        ObjectNode born = Samples.of(ReferralType.REMOVAL_OBJECTIVE);
        ((ObjectNode) born.get("subject")).put("estimatedAge", 19);

        Referral fromEstimate = VALIDATOR.validate(estimated, TODAY);
        Referral fromBirthDate = VALIDATOR.validate(born, TODAY);

        assertThat(fromEstimate.type()).isEqualTo(ReferralType.REMOVAL_OBJECTIVE);
        assertThat(fromBirthDate.type()).isEqualTo(ReferralType.REMOVAL_OBJECTIVE);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"oqtf-with-delay", "oqtf-without-delay", "itf", "expulsion", "readmission", "dublin-transfer"})
    void acceptsEveryCesedaRemovalKindWithOrWithoutAnEntryBan(String kind) {
        ObjectNode removal = Samples.of(ReferralType.REMOVAL_OBJECTIVE);
        ((ObjectNode) removal.get("decision")).put("kind", kind).put("entryBan", true);

        Referral referral = VALIDATOR.validate(removal, TODAY);

        assertThat(referral.type()).isEqualTo(ReferralType.REMOVAL_OBJECTIVE);
    }

    @Test
    void refusesTheOldRemovalKinds() {
        ObjectNode removal = Samples.of(ReferralType.REMOVAL_OBJECTIVE);
        ((ObjectNode) removal.get("decision")).put("kind", "irtf");

        GatewayException e = refusal(removal, TODAY);

        assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_VIOLATION);
        assertThat(e.details())
                .containsExactly("$.decision.kind: must be one of: oqtf-with-delay, oqtf-without-delay,"
                        + " itf, expulsion, readmission, dublin-transfer");
    }

    @Test
    void listsEverySignOfMinorityAndTheReflectionPeriodTogether() {
        ObjectNode removal = Samples.of(ReferralType.REMOVAL_OBJECTIVE);
        ((ObjectNode) removal.get("subject"))
                .put("minor", true)
                .put("birthDate", "2010-01-01")
                .put("estimatedAge", 15);
        ((ObjectNode) removal.get("reflectionPeriod")).put("running", true);

        GatewayException e = refusal(removal, TODAY);

        assertThat(e.details()).hasSize(4);
        assertThat(e.details().get(0)).startsWith("removal objective refused: reflectionPeriod.running is true");
        assertThat(e.details().subList(1, 4))
                .allSatisfy(line -> assertThat(line).endsWith("(CESEDA L.611-3)"));
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
        assertThat(e)
                .hasMessage("reflection period dates inverted: receipt.endsOn is before receipt.handedOverOn,"
                        + " and the period runs from the récépissé's handover (CESEDA R.425-2)");
        assertThat(e.details()).containsExactly(e.getMessage());
    }

    @Test
    void refusesAReflectionPeriodLongerThanThirtyDays() {
        ObjectNode decision = Samples.of(ReferralType.REFLECTION_PERIOD_DECISION);
        ((ObjectNode) decision.get("receipt")).put("handedOverOn", "2025-07-20").put("endsOn", "2025-08-20");

        GatewayException e = refusal(decision, TODAY);

        assertThat(e)
                .hasMessage("reflection period too long: receipt.endsOn is more than 30 days after"
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
    @CsvSource(
            delimiter = '|',
            value = {
                "2025-07-19 | early end outside the period: earlyEnd.on is before receipt.handedOverOn, and the prefect can"
                        + " end early only a period that has begun (CESEDA R.425-2)",
                "2025-08-20 | early end outside the period: earlyEnd.on is after receipt.endsOn, and a period that has"
                        + " already ended cannot end early (CESEDA R.425-2)"
            })
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
        assertThat(e)
                .hasMessage("card with a refusal: decision.outcome is refused, so the decision carries no card;"
                        + " remove card or correct the outcome (CESEDA L.425-1, L.425-3, L.425-4)");
    }

    @Test
    void refusesACardValidUntilBeforeItIsValidFrom() {
        ObjectNode decision = Samples.of(ReferralType.RESIDENCE_PERMIT_DECISION);
        ((ObjectNode) decision.get("card")).put("validFrom", "2025-09-01").put("validUntil", "2025-08-31");

        GatewayException e = refusal(decision, TODAY);

        assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION);
        assertThat(e)
                .hasMessage("card validity inverted: card.validUntil is before card.validFrom, and the card"
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

    @Test
    void refusesANumberOutOfRangeNamingItsFieldInsteadOfFailingInTheSchemaValidator() throws Exception {
        String text = Samples.of(ReferralType.VICTIM_ORIENTATION)
                .toString()
                .replace("\"schemaVersion\":1", "\"schemaVersion\":1e999999");

        GatewayException e = refusal(Samples.JSON.readTree(text), TODAY);

        assertThat(e.code()).isEqualTo(ErrorCode.REQUEST_INVALID);
        assertThat(e.getMessage())
                .isEqualTo("the document holds a number out of range at $.schemaVersion"
                        + " (expected: a number within the range of a double)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\u0000", "\\u0001", "\\ufffe", "\\ud800"})
    void refusesACharacterXmlCannotCarryNamingTheFieldNotTheValue(String escaped) throws Exception {
        ObjectNode orientation = Samples.of(ReferralType.VICTIM_ORIENTATION);
        String text = orientation.toString().replace("\"familyName\":\"", "\"familyName\":\"Secret" + escaped);

        GatewayException e = refusal(Samples.JSON.readTree(text), TODAY);

        assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_VIOLATION);
        assertThat(e.getMessage())
                .isEqualTo("the document holds a character XML cannot carry at"
                        + " $.subject.familyName (expected: text XML 1.0 can carry: no control character but tab, line feed"
                        + " and carriage return, no U+FFFE or U+FFFF, no lone surrogate)")
                .doesNotContain("Secret");
        assertThat(e.details())
                .containsExactly("$.subject.familyName: text XML 1.0 can carry: no control character"
                        + " but tab, line feed and carriage return, no U+FFFE or U+FFFF, no lone surrogate");
    }

    private static GatewayException refusal(JsonNode document, LocalDate today) {
        return catchThrowableOfType(GatewayException.class, () -> VALIDATOR.validate(document, today));
    }
}
