package fr.passerelle.core.referral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class ExitPathwayRulesTest {
    private static final ReferralValidator VALIDATOR = ReferralValidator.fromDirectory(Samples.SCHEMAS);
    private static final LocalDate TODAY = LocalDate.of(2025, 10, 10);

    @Test
    void acceptsTheSamplesOfTheThreeTypes() {

        for (ReferralType type : new ReferralType[] {
            ReferralType.EXIT_PATHWAY_APPLICATION, ReferralType.EXIT_PATHWAY_OPINION, ReferralType.EXIT_PATHWAY_DECISION
        }) {
            assertThat(VALIDATOR.validate(Samples.of(type), TODAY).type()).isEqualTo(type);
        }
    }

    @Test
    void acceptsATermOfExactlySixMonths() {
        ObjectNode decision = decision("2025-10-15", "2026-04-14");

        Referral referral = VALIDATOR.validate(decision, TODAY);

        assertThat(referral.body().path("term").path("until").asText()).isEqualTo("2026-04-14");
    }

    @Test
    void refusesATermOfSixMonthsAndOneDayNamingTheRuleAndTheFix() {
        ObjectNode decision = decision("2025-10-15", "2026-04-15");

        GatewayException e = refusal(decision);

        assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION);
        assertThat(e).hasMessage(ExitPathwayRules.TERM_TOO_LONG);
        assertThat(e.getMessage())
                .startsWith("exit-pathway term too long")
                .contains("set term.until at most 6 months after term.from");
    }

    @Test
    void refusesATermThatEndsBeforeItBegins() {
        ObjectNode decision = decision("2025-10-15", "2025-10-14");

        assertThat(refusal(decision)).hasMessage(ExitPathwayRules.TERM_INVERTED);
    }

    @Test
    void refusesARefusalThatOpensAnApsOrAnAfis() {
        ObjectNode decision = Samples.of(ReferralType.EXIT_PATHWAY_DECISION);
        ((ObjectNode) decision.get("decision")).put("outcome", "refused");

        assertThat(refusal(decision)).hasMessage(ExitPathwayRules.REFUSAL_WITH_TERM);
    }

    @Test
    void refusesAnApsShorterThanTheTermOrWithoutNationality() {
        ObjectNode decision = Samples.of(ReferralType.EXIT_PATHWAY_DECISION);
        ((ObjectNode) decision.get("aps")).put("validUntil", "2026-01-31");
        ((ObjectNode) decision.get("subject")).remove("nationality");

        GatewayException e = refusal(decision);

        assertThat(e.details())
                .containsExactly(ExitPathwayRules.APS_SHORTER_THAN_TERM, ExitPathwayRules.APS_WITHOUT_NATIONALITY);
    }

    @Test
    void refusesAnApsOrAfisActionThatContradictsTheOutcome() {
        ObjectNode decision = Samples.of(ReferralType.EXIT_PATHWAY_DECISION);
        ((ObjectNode) decision.get("decision")).put("outcome", "ended");
        ((ObjectNode) decision.get("aps")).remove("validFrom");

        GatewayException e = refusal(decision);

        assertThat(e.details())
                .containsExactly(ExitPathwayRules.APS_AGAINST_OUTCOME, ExitPathwayRules.AFIS_AGAINST_OUTCOME);
    }

    @Test
    void refusesARenewalApplicationThatNamesNoDecision() {
        ObjectNode application = Samples.of(ReferralType.EXIT_PATHWAY_APPLICATION);
        ((ObjectNode) application.get("application")).put("kind", "renewal");

        GatewayException e = refusal(application);

        assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_VIOLATION);
        assertThat(e.details()).anyMatch(d -> d.contains("renewsDecisionId"));
    }

    @Test
    void refusesAnApplicationWithoutTheSwornStatement() {
        ObjectNode application = Samples.of(ReferralType.EXIT_PATHWAY_APPLICATION);
        ((com.fasterxml.jackson.databind.node.ArrayNode) application.get("attachments")).remove(1);
        application
                .withArray("attachments")
                .addObject()
                .put("kind", "proof-of-situation")
                .put("mediaType", "application/pdf")
                .put("fileName", "justificatif.pdf")
                .put("content", "JVBERi0xLjQK");

        GatewayException e = refusal(application);

        assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_VIOLATION);
    }

    @Test
    void refusesAnAttachmentThatIsNotAPdf() {
        ObjectNode application = Samples.of(ReferralType.EXIT_PATHWAY_APPLICATION);
        ((ObjectNode) application.get("attachments").get(0)).put("mediaType", "image/jpeg");

        GatewayException e = refusal(application);

        assertThat(e.code()).isEqualTo(ErrorCode.SCHEMA_VIOLATION);
        assertThat(e.details()).anyMatch(d -> d.contains("mediaType"));
    }

    private static ObjectNode decision(String from, String until) {
        ObjectNode decision = Samples.of(ReferralType.EXIT_PATHWAY_DECISION);
        ((ObjectNode) decision.get("term")).put("from", from).put("until", until);
        ((ObjectNode) decision.get("aps")).put("validFrom", from).put("validUntil", until);
        return decision;
    }

    private static GatewayException refusal(ObjectNode document) {
        return catchThrowableOfType(GatewayException.class, () -> VALIDATOR.validate(document, TODAY));
    }
}
