package fr.passerelle.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.Route;
import fr.passerelle.core.config.model.RouteCondition;
import fr.passerelle.core.config.model.RouteSubject;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keys that say whom a route carries referrals about ({@code subject}), what it rests on
 * ({@code legal_obligation}) and which referrals of its type it takes ({@code when}), and the types that no route
 * may carry. Rule adults-only is in {@link SafetyChecksTest}.
 */
class RouteSubjectTest {
    @TempDir
    Path temp;

    private TestConfig config;

    @BeforeEach
    void writeValidConfiguration() {
        config = TestConfig.valid(temp);
    }

    private String only(ConfigReport report) {
        assertThat(report.problems()).extracting(config::shown).hasSize(1);
        assertThat(report.deployment()).isEmpty();
        return config.shown(report.problems().get(0));
    }

    private Route route(Deployment deployment, String id) {
        return deployment.routes().stream()
                .filter(r -> r.id().equals(id))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void readsWhomARouteCarriesAndTheLawItRestsOnWithAnyAndConsentByDefault() {
        Deployment deployment =
                config.check(Map.of(), CanonicalFields.checks()).deployment().orElseThrow();

        assertThat(route(deployment, "orientation-75").subject()).isEqualTo(RouteSubject.ADULT);
        assertThat(route(deployment, "shelter").subject()).isEqualTo(RouteSubject.ADULT);
        assertThat(route(deployment, "permit").subject()).isEqualTo(RouteSubject.ANY);
        assertThat(route(deployment, "permit").legalObligation()).isEmpty();
        assertThat(route(deployment, "permit").obligatory()).isFalse();
        assertThat(route(deployment, "child-protection").subject()).isEqualTo(RouteSubject.ANY);
        assertThat(route(deployment, "child-protection").legalObligation()).isEqualTo(Optional.of("CASF L.226-3"));
        assertThat(route(deployment, "child-protection").obligatory()).isTrue();
    }

    @Test
    void readsARouteForMinorsThatOrientsThemToTheCrip() {
        config.replace(
                "routes.yaml",
                "fields: [card]}",
                "fields: [card]}\n  - {id: orientation-minors, type:"
                        + " victim.orientation, from: [police], subject: minor, to: [{kind: crip}],"
                        + " fields: [subject.languages]}");

        ConfigReport report = config.check(Map.of(), CanonicalFields.checks());

        assertThat(report.problems()).isEmpty();
        assertThat(route(report.deployment().orElseThrow(), "orientation-minors")
                        .subject())
                .isEqualTo(RouteSubject.MINOR);
    }

    @Test
    void refusesASubjectThatIsNotOneOfTheThreeNamingTheExpectedValues() {
        config.replace("routes.yaml", "needs]\n    subject: adult", "needs]\n    subject: teen");

        assertThat(only(config.check(Map.of(), CanonicalFields.checks())))
                .isEqualTo("routes.yaml:8: error: subject"
                        + " is not valid, found the text 'teen' (expected one of: adult, minor, any) (fix: write subject: adult"
                        + " for a service for adults, minor for child protection, or leave it out (any))");
    }

    @Test
    void refusesAnEmptyLegalObligation() {
        config.replace("routes.yaml", "legal_obligation: \"CASF L.226-3\"", "legal_obligation: \" \"");

        assertThat(only(config.check()))
                .isEqualTo("routes.yaml:26: error: legal_obligation is empty (fix: name the"
                        + " legal text that obliges this transmission, such as \"CASF L.226-3\", or remove the key: the route"
                        + " then rests on the person's consent)");
    }

    @Test
    void refusesALegalObligationWithoutText() {
        config.replace("routes.yaml", "legal_obligation: \"CASF L.226-3\"", "legal_obligation: ");

        assertThat(only(config.check()))
                .isEqualTo("routes.yaml:26: error: legal_obligation is empty (fix: name the"
                        + " legal text that obliges this transmission, such as \"CASF L.226-3\", or remove the key: the route"
                        + " then rests on the person's consent)");
    }

    @Test
    void readsARouteConditionOnAFieldOfTheTypesSchema() {
        config.replace(
                "routes.yaml",
                "    fields: [household]",
                "    fields: [household]\n    when: {shelter.constraints: away-from-department}");

        ConfigReport report = config.check(Map.of(), CanonicalFields.checks());

        assertThat(report.problems()).extracting(config::shown).isEmpty();
        assertThat(route(report.deployment().orElseThrow(), "shelter").when())
                .contains(new RouteCondition("shelter.constraints", "away-from-department"));
        assertThat(route(report.deployment().orElseThrow(), "permit").when()).isEmpty();
    }

    @Test
    void refusesAConditionOnAFieldOutsideTheSchemaSuggestingTheClosest() {
        config.replace(
                "routes.yaml",
                "    fields: [household]",
                "    fields: [household]\n    when: {shelter.constraint: away-from-department}");

        assertThat(only(config.check(Map.of(), CanonicalFields.checks())))
                .isEqualTo("routes.yaml:14: error: route shelter tests field 'shelter.constraint', which is not in the"
                        + " shelter.request schema (rule fields-in-schema) (fix: did you mean 'shelter.constraints'?)");
    }

    @Test
    void refusesAConditionWithTwoFieldsOrWithoutAValue() {
        config.replace(
                "routes.yaml",
                "    fields: [household]",
                "    fields: [household]\n    when: {shelter.constraints: women-only, shelter.nights: 2}");

        assertThat(only(config.check(Map.of(), CanonicalFields.checks())))
                .isEqualTo(
                        "routes.yaml:14: error: route shelter has 2 conditions under 'when' (expected exactly one field"
                                + " and its value) (fix: write it like when: {shelter.constraints: away-from-department})");

        config.replace(
                "routes.yaml", "{shelter.constraints: women-only, shelter.nights: 2}", "{shelter.constraints: []}");

        assertThat(only(config.check(Map.of(), CanonicalFields.checks())))
                .isEqualTo("routes.yaml:14: error: route shelter tests 'shelter.constraints' against a list or a"
                        + " mapping (expected one value: a code such as away-from-department, true or false) (fix: write"
                        + " it like when: {shelter.constraints: away-from-department})");
    }

    @Test
    void refusesARouteForWithdrawalsOfConsent() {
        config.replace("routes.yaml", "type: administrative.closure", "type: consent.withdrawn");

        assertThat(config.check().problems())
                .extracting(config::shown)
                .containsExactly(
                        "routes.yaml:19: error: consent.withdrawn is not routed: it goes to every partner that holds a copy of"
                                + " the referral it names (fix: remove this route)");
    }

    @Test
    void warnsThatWithoutAnAlertRouteEveryReferralAboutAMinorWouldBeRefused() {
        config.replace("routes.yaml", "type: child.protection.alert", "type: difficulty.report");
        config.replace("routes.yaml", "to: [{kind: crip}]", "to: [{partner: monitoring-centre-de-veille}]");

        assertThat(config.check().problems())
                .extracting(config::shown)
                .contains("routes.yaml:1: warning: no route for"
                        + " child.protection.alert: the gateway raises one for every referral about a minor, so every such"
                        + " referral will be refused with route_not_found (fix: add a route of child.protection.alert to"
                        + " {kind: crip} and {kind: prosecutor} (docs/MINORS.md))");
    }
}
