package fr.passerelle.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per {@link SafetyRule}: each refuses (or warns about) its case, naming the route, its line and the rule. */
class SafetyChecksTest {
    @TempDir
    Path temp;

    private TestConfig config;

    @BeforeEach
    void writeValidConfiguration() {
        config = TestConfig.valid(temp);
    }

    private String only(ConfigReport report) {
        assertThat(report.problems()).extracting(config::shown).hasSize(1);
        return config.shown(report.problems().get(0));
    }

    @Test
    void refusesARouteToAPartnerThatDoesNotExist() {
        config.replace("routes.yaml", "{partner: monitoring-centre-de-veille}", "{partner: dgcs-national}");

        assertThat(only(config.check()))
                .isEqualTo("routes.yaml:23: error: route difficulty names partner"
                        + " 'dgcs-national', which is not in partners/ (rule recipient-exists) (fix: add"
                        + " partners/dgcs-national.yaml, or correct the id)");
    }

    @Test
    void refusesARouteToADisabledPartner() {
        config.replace("partners/monitoring-centre-de-veille.yaml", "enabled: true", "enabled: false");

        assertThat(only(config.check()))
                .isEqualTo("routes.yaml:23: error: route difficulty names partner"
                        + " monitoring-centre-de-veille, which is disabled: the route would reach it no more (rule"
                        + " recipient-enabled) (fix: enable the partner, or remove it from the route)");
    }

    @Test
    void refusesARemovalObjectiveToAnAssociationNamingTheRouteAndTheRule() {
        config.replace(
                "routes.yaml",
                "to: [{kind: police}], fields: [decision]",
                "to: [{kind: association}], fields: [decision]");

        assertThatThrownBy(() -> ConfigLoader.load(config.gateway(), Map.of(), ConfigChecks.lenient()))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage()).isEqualTo("1 problem in " + config.dir());
                    assertThat(e.details())
                            .containsExactly(config.file("routes.yaml") + ":18: error: route removal"
                                    + " sends removal.objective to an association, which the instruction does not intend:"
                                    + " removal.objective goes to police, gendarmerie only (rule recipient-intended) (fix:"
                                    + " route removal.objective to police, gendarmerie)");
                });
    }

    @Test
    void refusesExploitationReportContentToASiao() {
        config.replace("routes.yaml", "to: [{kind: police}], fields: [place]", "to: [{kind: siao}], fields: [place]");

        assertThat(only(config.check()))
                .isEqualTo(
                        "routes.yaml:17: error: route report sends exploitation.report"
                                + " to a siao, which the instruction does not intend: exploitation.report goes to police, gendarmerie,"
                                + " crip only (rule recipient-intended) (fix: route exploitation.report to police, gendarmerie, crip)");
    }

    @Test
    void refusesARouteWhoseKindServesNoneOfItsListedDepartments() {
        config.replace("routes.yaml", "departments: [\"75\"]", "departments: [\"75\", \"974\"]");

        assertThat(only(config.check()))
                .isEqualTo("routes.yaml:6: error: route orientation-75 sends to every"
                        + " enabled association approved for exit-pathway of departments 75, 974, but none serves 974 (rule"
                        + " recipient-served) (fix: add or enable an association partner serving 974 with the exit-pathway"
                        + " approval, or remove the department from the route)");
    }

    @Test
    void refusesARouteWhoseKindHasNoPartnerAnywhere() {
        config.replace(
                "routes.yaml", "to: [{kind: labour}], fields: [action]", "to: [{kind: urssaf}], fields: [action]");

        assertThat(only(config.check()))
                .isEqualTo("routes.yaml:19: error: route closure sends to every enabled"
                        + " urssaf of the referral's department, but none serves any department of the deployment (75) (rule"
                        + " recipient-served) (fix: add or enable an urssaf partner serving 75, or remove this recipient from"
                        + " the route)");
    }

    @Test
    void refusesAFieldThatIsNotInTheTypesSchema() {
        config.replace("routes.yaml", "fields: [subject.languages, needs]", "fields: [subject.languages, needz]");

        assertThat(only(config.check(Map.of(), CanonicalFields.checks())))
                .isEqualTo("routes.yaml:7: error: route"
                        + " orientation-75 lists field 'needz', which is not in the victim.orientation schema (rule"
                        + " fields-in-schema) (fix: did you mean 'needs'?)");
    }

    @Test
    void refusesOffenceDataOnARouteThatReachesASiao() {
        config.replace("routes.yaml", "    fields: [household]", "    fields: [household, proceeding]");

        assertThat(only(config.check()))
                .isEqualTo("routes.yaml:13: error: route shelter lists field 'proceeding',"
                        + " offence data or a procedure reference, which may never reach a SIAO (CNIL: no offence data in"
                        + " SI-SIAO) (rule no-offence-data-to-siao) (fix: remove it from this route)");
    }

    @Test
    void refusesTheOfficersRioOnARouteThatReachesASiao() {
        config.replace("routes.yaml", "    fields: [household]", "    fields: [household, referrer.officerRio]");

        assertThat(config.check().errors())
                .extracting(config::shown)
                .containsExactly("routes.yaml:13: error: route"
                        + " shelter lists field 'referrer.officerRio', which names the referring unit or an officer (a unit's"
                        + " name, a RIO, a staff reference or an e-mail address tells the SIAO who refers, hence what the"
                        + " case is) and may never reach a SIAO (CNIL: no offence data in SI-SIAO) (rule"
                        + " no-offence-data-to-siao) (fix: list referrer whole instead: a SIAO reads it as « Service"
                        + " prescripteur » with its phone only)");
    }

    @Test
    void refusesEachFieldThatNamesTheReferrerOrWhoRecordedTheConsentOnARouteToASiao() {
        config.replace(
                "routes.yaml",
                "    fields: [household]",
                "    fields: [household, referrer.unit,"
                        + " referrer.staffReference, referrer.email, consent.recordedBy, referrer.phone]");

        assertThat(config.check().errors())
                .extracting(config::shown)
                .containsExactly(
                        identifying("referrer.unit", REFERRER_FIX),
                        identifying("referrer.staffReference", REFERRER_FIX),
                        identifying("referrer.email", REFERRER_FIX),
                        identifying(
                                "consent.recordedBy",
                                "list consent whole instead: a SIAO reads it without recordedBy"));
    }

    private static final String REFERRER_FIX =
            "list referrer whole instead: a SIAO reads it as « Service" + " prescripteur » with its phone only";

    private static String identifying(String field, String fix) {
        return "routes.yaml:13: error: route shelter lists field '" + field + "', which names the referring unit or an"
                + " officer (a unit's name, a RIO, a staff reference or an e-mail address tells the SIAO who refers,"
                + " hence what the case is) and may never reach a SIAO (CNIL: no offence data in SI-SIAO) (rule"
                + " no-offence-data-to-siao) (fix: " + fix + ")";
    }

    @Test
    void refusesWhatTellsThatThePersonIsAVictimOnARouteThatReachesASiao() {
        config.replace(
                "routes.yaml",
                "    fields: [household]",
                "    fields: [household, hearing, basis,"
                        + " rightsInformation.items, choice, reflectionPeriod.running, offences, complaint]");

        assertThat(config.check().errors())
                .extracting(config::shown)
                .containsExactly(
                        victimData("hearing"),
                        victimData("basis"),
                        victimData("rightsInformation.items"),
                        victimData("choice"),
                        victimData("reflectionPeriod.running"),
                        "routes.yaml:13: error: route shelter lists field 'offences', offence data or a procedure reference,"
                                + " which may never reach a SIAO (CNIL: no offence data in SI-SIAO) (rule"
                                + " no-offence-data-to-siao) (fix: remove it from this route)",
                        "routes.yaml:13: error: route shelter lists field 'complaint', offence data or a procedure reference,"
                                + " which may never reach a SIAO (CNIL: no offence data in SI-SIAO) (rule"
                                + " no-offence-data-to-siao) (fix: remove it from this route)");
    }

    private static String victimData(String field) {
        return "routes.yaml:13: error: route shelter lists field '" + field + "', which tells that the person is a"
                + " victim (a complaint, a hearing, a reflection period or a victim's permit) and may never reach a"
                + " SIAO (CNIL: no offence data in SI-SIAO) (rule no-offence-data-to-siao) (fix: remove it from this"
                + " route)";
    }

    @Test
    void allowsTheWholeReferrerAndConsentOnARouteToASiaoSinceItsViewRewritesThem() {
        config.replace(
                "routes.yaml",
                "    fields: [household]",
                "    fields: [household, referrer, consent,"
                        + " referrer.phone, administrativeStatus, socialAssessment.summary]");

        ConfigReport report = config.check();

        assertThat(report.errors()).isEmpty();
        assertThat(report.deployment()).isPresent();
    }

    @Test
    void allowsTheReferrersRioOnARouteThatReachesNoSiao() {
        config.replace("routes.yaml", "fields: [basis]", "fields: [basis, referrer.officerRio, hearing]");

        assertThat(config.check().errors()).isEmpty();
    }

    @Test
    void passesEveryRuleWithTheSchemasKnown() {
        ConfigReport report = config.check(Map.of(), CanonicalFields.checks());

        assertThat(report.problems()).isEmpty();
        assertThat(report.deployment()).isPresent();
    }

    @Test
    void refusesARouteToAnAssociationThatDoesNotSayItServesAdultsOnly() {
        config.replace("routes.yaml", "needs]\n    subject: adult", "needs]");

        assertThat(only(config.check(Map.of(), CanonicalFields.checks())))
                .isEqualTo("routes.yaml:2: error: route"
                        + " orientation-75 sends victim.orientation to an association, a service for adults, but takes"
                        + " referrals about anyone: a referral about a minor must never reach it (rule adults-only) (fix: add"
                        + " subject: adult to the route; a referral about a minor raises a child.protection.alert to the CRIP"
                        + " and the juvenile prosecutor instead (docs/MINORS.md))");
    }

    @Test
    void refusesARouteToASiaoForMinors() {
        config.replace("routes.yaml", "[household]\n    subject: adult", "[household]\n    subject: minor");

        assertThat(only(config.check(Map.of(), CanonicalFields.checks())))
                .isEqualTo("routes.yaml:14: error: route"
                        + " shelter sends shelter.request to a siao, a service for adults, but takes referrals about minors: a"
                        + " referral about a minor must never reach it (rule adults-only) (fix: add subject: adult to the"
                        + " route; a referral about a minor raises a child.protection.alert to the CRIP and the juvenile"
                        + " prosecutor instead (docs/MINORS.md))");
    }

    @Test
    void refusesAResidencePermitRouteForMinors() {
        config.replace(
                "routes.yaml",
                "to: [{kind: prefecture}], fields: [basis]}",
                "to: [{kind: prefecture}], fields: [basis], subject: minor}");

        assertThat(only(config.check()))
                .isEqualTo("routes.yaml:15: error: route permit carries"
                        + " residence.permit.support about minors, but it concerns adults only (a minor needs no residence"
                        + " permit and cannot be removed, CESEDA L.611-3) (rule adults-only) (fix: remove subject: minor, or"
                        + " the route)");
    }

    @Test
    void warnsAboutADepartmentWhereSendersOfATypeReachNobody() {
        config.replace(
                "partners/police-75-brp.yaml",
                "[victim.orientation, difficulty.report]",
                "[victim.orientation, shelter.request, difficulty.report]");

        ConfigReport report = config.check();

        assertThat(only(report))
                .isEqualTo("routes.yaml:9: warning: shelter.request sent in department 75 by"
                        + " police-75-brp would reach nobody: no route matches them there (rule department-covered) (fix: add"
                        + " a route of shelter.request from police to a recipient serving 75, or remove shelter.request from"
                        + " the may_send of police-75-brp)");
        assertThat(report.deployment()).isPresent();
    }

    @Test
    void countsNoNationalPartnerAmongTheRecipientsOfARouteByKind() {
        config.replace("partners/association-75-amarante.yaml", "departments: [\"75\"]", "departments: []");

        ConfigReport report = config.check();

        assertThat(report.problems())
                .extracting(config::shown)
                .contains("routes.yaml:6: error: route orientation-75 sends to every enabled association approved for"
                        + " exit-pathway of departments 75, but none serves 75 (rule recipient-served) (fix: add or enable"
                        + " an association partner serving 75 with the exit-pathway approval, or remove the department"
                        + " from the route)");
    }

    @Test
    void warnsAboutEachRecipientKindThatReachesNobodyWhereItsTypeIsSent() {
        config.replace(
                "partners/prefecture-75.yaml", "[difficulty.report]", "[administrative.closure, difficulty.report]");
        config.replace(
                "routes.yaml",
                "to: [{kind: labour}], fields: [action]}",
                "to: [{kind: labour}, {kind: police}]," + " fields: [action]}");
        config.replace(
                "partners/police-75-brp.yaml", "enabled: true", "enabled: true\nreceives: [exploitation.report]");

        ConfigReport report = config.check();

        assertThat(only(report))
                .isEqualTo(
                        "routes.yaml:19: warning: closure sends administrative.closure to every enabled police, but"
                                + " none receives it in department 75, where prefecture-75 may send it: that recipient is"
                                + " silently missing there (rule department-covered) (fix: add a police partner serving 75, or"
                                + " give the route departments: that leave 75 out and route 75 to whoever stands for it there)");
        assertThat(report.deployment()).isPresent();
    }

    @Test
    void namesEveryRuleByTheCodeTheMessagesAndTheDocsUse() {
        assertThat(Arrays.stream(SafetyRule.values()).map(SafetyRule::code))
                .containsExactly(
                        "recipient-exists",
                        "recipient-enabled",
                        "recipient-intended",
                        "recipient-served",
                        "fields-in-schema",
                        "no-offence-data-to-siao",
                        "adults-only",
                        "department-covered",
                        "shelter-escalation-authority");
    }
}
