package fr.passerelle.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.config.model.Recipient;
import fr.passerelle.core.config.model.Retention;
import fr.passerelle.core.config.model.Route;
import fr.passerelle.core.config.model.RouteSubject;
import fr.passerelle.core.crypto.EnvelopeFormat;
import fr.passerelle.core.crypto.KeyLocation;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.routing.DryRun;
import fr.passerelle.core.routing.Router;
import fr.passerelle.core.routing.RoutingPlan;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShippedConfigTest {
    private static final Path GATEWAY = ShippedConfig.GATEWAY;
    private static final Set<String> ADAPTERS =
            Set.of("canonical-json", "mail", "police-xml", "prefecture-xml", "siao-json");
    /** Partners that a shipped route or deadline reaches, and the others, in file order. */
    private static final List<String> REACHED = List.of(
            "association-75-amarante",
            "association-974-kaz-lespwa",
            "association-acse-national",
            "caf-75",
            "caf-974",
            "cohesion-75-prefet-paris",
            "cohesion-974-deets",
            "cpam-75",
            "crip-75-paris",
            "crip-974-reunion",
            "customs-75",
            "dgcs-national",
            "employment-75-france-travail",
            "funder-75-region-idf",
            "gendarmerie-974-br-saint-pierre",
            "housing-75-drihl",
            "housing-974-deets",
            "labour-75-drieets",
            "labour-974-deets",
            "miprof-national",
            "monitoring-centre-de-veille",
            "police-75-brp",
            "police-974-sdpj",
            "prefecture-75",
            "prefecture-974",
            "prosecutor-75-mineurs",
            "prosecutor-75-parquet",
            "prosecutor-974-mineurs",
            "prosecutor-974-parquet",
            "security-75-prefecture-police",
            "security-974",
            "siao-75",
            "siao-974",
            "tax-75-dgfip",
            "urssaf-75-lcti",
            "urssaf-974-cgss");

    private static final List<String> UNREACHED = List.of("health-75-ars", "health-974-ars", "social-75-ssp-18");
    /** Every shipped partner: each one pins no fingerprint until the PKI is generated. */
    private static final int PARTNERS = REACHED.size() + UNREACHED.size();

    @TempDir
    static Path temp;

    private static ShippedConfig shipped;
    private static Deployment deployment;

    @BeforeAll
    static void generateThePkiAndPinItsCertificates() {
        shipped = ShippedConfig.withPki(temp);
        deployment = shipped.deployment();
    }

    @Test
    void loadsWithNoErrorAndNoWarningOnceThePkiIsGenerated() {
        ConfigReport report = shipped.check(ConfigChecks.lenient());

        assertThat(report.problems()).isEmpty();
        assertThat(report.deployment().orElseThrow().partners().values()).allSatisfy(p -> {
            assertThat(p.certificate()).isPresent();
            assertThat(p.envelope()).isEqualTo(EnvelopeFormat.AES_256_GCM);
            assertThat(p.signedSubmissionsRequired()).isFalse();
        });
    }

    @Test
    void withoutThePkiRefusesEveryPartnerThatARouteReaches() {
        // An empty PKI folder, not the checkout's: after `pki init` the checkout has one, and this test is about none.
        Map<String, String> noPki =
                Map.of("GATEWAY_PKI_DIR", temp.resolve("no-pki").toString());
        ConfigReport report = ConfigLoader.check(GATEWAY, noPki, ConfigChecks.lenient(), TestConfig.CLOCK);

        assertThat(report.errors())
                .extracting(ConfigProblem::message)
                .containsExactlyElementsOf(REACHED.stream()
                        .map(id -> "cannot seal for " + id + ": no certificate at partners/" + id + ".pem")
                        .toList());
        assertThat(report.warnings())
                .extracting(ConfigProblem::message)
                .filteredOn(m ->
                        !m.endsWith("has no pinned" + " certificate fingerprint: it cannot authenticate until pinned")
                                && !m.startsWith("administrator"))
                .isEqualTo(UNREACHED.stream()
                        .map(id -> "partner " + id + " has no certificate at partners/" + id
                                + ".pem: no route reaches it yet, but none could be sealed for it")
                        .toList());
        assertThat(report.warnings())
                .extracting(ConfigProblem::message)
                .contains(
                        "administrator admin has no pinned" + " certificate: it cannot use the admin API",
                        "administrator statistiques-prefecture-75 has no pinned certificate: it cannot use the"
                                + " admin API");
        // admin, and the three statistics readers: the prefect of Paris's, the DGCS's and the MIPROF's.
        assertThat(report.warnings()).hasSize(PARTNERS + UNREACHED.size() + 4);
    }

    @Test
    void routesUseOnlyCanonicalFieldNamesAndKnownAdapters() {
        ConfigChecks strict = new ConfigChecks(ADAPTERS::contains, ADAPTERS::contains, CanonicalFields::of);

        ConfigReport report = shipped.check(strict);

        assertThat(report.errors()).isEmpty();
    }

    @Test
    void holdsTheExampleDeploymentForParisAndLaReunion() {

        assertThat(deployment.partners().keySet())
                .extracting(PartnerId::value)
                .containsExactlyInAnyOrder(
                        "police-75-brp",
                        "police-974-sdpj",
                        "gendarmerie-974-br-saint-pierre",
                        "association-75-amarante",
                        "association-974-kaz-lespwa",
                        "siao-75",
                        "siao-974",
                        "prefecture-75",
                        "prefecture-974",
                        "housing-75-drihl",
                        "housing-974-deets",
                        "association-acse-national",
                        "monitoring-centre-de-veille",
                        "dgcs-national",
                        "miprof-national",
                        "labour-75-drieets",
                        "urssaf-75-lcti",
                        "social-75-ssp-18",
                        "crip-75-paris",
                        "crip-974-reunion",
                        "prosecutor-75-mineurs",
                        "prosecutor-974-mineurs",
                        "security-75-prefecture-police",
                        "security-974",
                        "tax-75-dgfip",
                        "customs-75",
                        "cpam-75",
                        "employment-75-france-travail",
                        "funder-75-region-idf",
                        "labour-974-deets",
                        "urssaf-974-cgss",
                        "prosecutor-75-parquet",
                        "prosecutor-974-parquet",
                        "cohesion-75-prefet-paris",
                        "cohesion-974-deets",
                        "caf-75",
                        "caf-974",
                        "health-75-ars",
                        "health-974-ars");
        assertThat(deployment
                        .partner(PartnerId.of("association-75-amarante"))
                        .orElseThrow()
                        .holds("exit-pathway", Department.of("75"), java.time.LocalDate.of(2028, 6, 30)))
                .isTrue();
        assertThat(deployment
                        .partner(PartnerId.of("association-974-kaz-lespwa"))
                        .orElseThrow()
                        .approvals())
                .isEmpty();
        assertThat(deployment
                        .partner(PartnerId.of("dgcs-national"))
                        .orElseThrow()
                        .departments())
                .isEmpty();
        assertThat(deployment
                        .partner(PartnerId.of("miprof-national"))
                        .orElseThrow()
                        .name())
                .isEqualTo(
                        "Mission interministérielle pour la protection des femmes contre les violences et la lutte contre"
                                + " la traite des êtres humains (MIPROF)");
    }

    @Test
    void routesEveryTypeButReceiptsAndWithdrawalsOfConsent() {

        Set<ReferralType> routed = deployment.routes().stream().map(Route::type).collect(Collectors.toSet());
        assertThat(routed)
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(ReferralType.values())
                        .filter(t -> t != ReferralType.REFERRAL_RECEIPT && t != ReferralType.CONSENT_WITHDRAWN)
                        .toList());
    }

    @Test
    void sendsChildProtectionAlertsToTheCripAndTheJuvenileProsecutorOfEachDepartment() {

        List<Route> alerts = deployment.routes().stream()
                .filter(r -> r.type() == ReferralType.CHILD_PROTECTION_ALERT)
                .toList();
        assertThat(alerts).hasSize(1);
        Route alert = alerts.get(0);
        assertThat(alert.to())
                .containsExactly(
                        new Recipient.ByKind(PartnerKind.CRIP, Optional.empty()),
                        new Recipient.ByKind(PartnerKind.PROSECUTOR, Optional.empty()));
        assertThat(alert.subject()).isEqualTo(RouteSubject.ANY);
        assertThat(alert.legalObligation())
                .hasValueSatisfying(law -> assertThat(law).contains("L.226-3"));
        for (String department : List.of("75", "974")) {
            assertThat(deployment.partners().values())
                    .filteredOn(p -> p.serves(Department.of(department)))
                    .extracting(Partner::kind)
                    .contains(PartnerKind.CRIP, PartnerKind.PROSECUTOR);
        }
    }

    @Test
    void informsTheCodafProsecutorOfClosuresAndKeepsChildAlertsForTheJuvenileSection() {
        Router router = new Router(deployment, TestConfig.CLOCK);

        for (String department : List.of("75", "974")) {
            Department where = Department.of(department);
            PartnerId cabinet =
                    PartnerId.of(department.equals("75") ? "security-75-prefecture-police" : "security-974");
            PartnerId police = PartnerId.of(department.equals("75") ? "police-75-brp" : "police-974-sdpj");
            List<String> closure = ids(router.plan(cabinet, ReferralType.ADMINISTRATIVE_CLOSURE, where));
            List<String> alert = ids(router.plan(police, ReferralType.CHILD_PROTECTION_ALERT, where));

            assertThat(closure)
                    .contains("prosecutor-" + department + "-parquet")
                    .doesNotContain("prosecutor-" + department + "-mineurs");
            assertThat(alert)
                    .contains("prosecutor-" + department + "-mineurs")
                    .doesNotContain("prosecutor-" + department + "-parquet");
        }
    }

    private static List<String> ids(RoutingPlan plan) {
        return plan.destinations().stream().map(d -> d.recipient().id().value()).toList();
    }

    @Test
    void letsNoRouteToASiaoOrAnAssociationTakeAReferralAboutAMinor() {

        List<Route> toAdultServices = deployment.routes().stream()
                .filter(r -> r.to().stream()
                        .map(t -> t instanceof Recipient.ByKind k
                                ? k.kind()
                                : ((Recipient.Named) t).partner().kind())
                        .anyMatch(k -> k == PartnerKind.SIAO || k == PartnerKind.ASSOCIATION))
                .toList();
        assertThat(toAdultServices)
                .extracting(Route::id)
                .containsExactlyInAnyOrder(
                        "orientation-75-exit-pathway",
                        "orientation-75-siao",
                        "orientation-974",
                        "shelter-siao",
                        "shelter-acse",
                        "reflection-decision-requester",
                        "exit-pathway-opinion-association",
                        "exit-pathway-decision-association");
        assertThat(toAdultServices)
                .allSatisfy(r -> assertThat(r.subject()).as(r.id()).isEqualTo(RouteSubject.ADULT));
    }

    @Test
    void explainsAnExitPathwayDecisionAsTheAssociationTheForeignersDepartmentAndTheCafEachWithItsFields() {
        DryRun dryRun = new DryRun(deployment, TestConfig.CLOCK);

        DryRun.Result result = dryRun.explain(
                PartnerId.of("cohesion-75-prefet-paris"),
                ReferralType.EXIT_PATHWAY_DECISION,
                Department.of("75"),
                Optional.empty());

        assertThat(result.accepted()).isTrue();
        Map<String, List<String>> fields = result.recipients().stream()
                .collect(Collectors.toMap(r -> r.partner().value(), DryRun.Recipient::fields));
        assertThat(fields).containsOnlyKeys("association-75-amarante", "prefecture-75", "caf-75");
        assertThat(fields.get("association-75-amarante")).contains("requestReferralId", "term", "aps", "afis");
        assertThat(fields.get("prefecture-75"))
                .contains("aps", "subject.nationality")
                .doesNotContain("afis");
        assertThat(fields.get("caf-75")).contains("afis").doesNotContain("aps", "subject.nationality");
    }

    @Test
    void restsThePermitReflectionAndChildProtectionRoutesOnALegalObligation() {

        assertThat(deployment.routes())
                .filteredOn(Route::obligatory)
                .extracting(Route::id)
                .containsExactlyInAnyOrder(
                        "permit-support-prefecture",
                        "reflection-prefecture",
                        "child-protection",
                        "illegal-work-prefect",
                        "funding-alert-funders");
    }

    @Test
    void neverRoutesOffenceDataToTheSiao() {

        List<String> toSiao = deployment.routes().stream()
                .filter(r -> r.to().contains(new Recipient.ByKind(PartnerKind.SIAO, java.util.Optional.empty())))
                .flatMap(r -> r.fields().stream())
                .toList();
        assertThat(toSiao)
                .isNotEmpty()
                .noneMatch(f -> f.startsWith("offence")
                        || f.startsWith("proceeding")
                        || f.startsWith("complaint")
                        || f.equals("subject.nationality"));
    }

    @Test
    void resolvesPathsAgainstTheConfigurationFolderWithTheDocumentedDefaults() {
        GatewaySettings settings = ConfigLoader.settings(GATEWAY, Map.of());

        Path root = GATEWAY.getParent().getParent();
        assertThat(settings.pkiDir()).isEqualTo(root.resolve("pki"));
        assertThat(settings.tlsCertificate()).isEqualTo(root.resolve("pki/gateway-tls.pem"));
        assertThat(settings.tlsKey()).isEqualTo(new KeyLocation.InFile(root.resolve("pki/gateway-tls-key.pem")));
        assertThat(settings.clientCa()).isEqualTo(root.resolve("pki/ca.pem"));
        assertThat(settings.signingCertificate()).isEqualTo(root.resolve("pki/gateway-signing.pem"));
        assertThat(settings.signingKey())
                .isEqualTo(new KeyLocation.InFile(root.resolve("pki/gateway-signing-key.pem")));
        assertThat(settings.masterKeys()).isEqualTo(root.resolve("data/keys/master.keys"));
        assertThat(settings.dataDir()).isEqualTo(root.resolve("data"));
        assertThat(settings.host()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isEqualTo(8443);
        assertThat(settings.limits()).isEqualTo(GatewaySettings.Limits.defaults());
        assertThat(settings.database()).isEqualTo(GatewaySettings.DatabaseSettings.embedded());
        assertThat(settings.retention()).isEqualTo(Retention.standard());
    }

    @Test
    void listsThePartnerIdsFromTheFileNamesSorted() {
        List<PartnerId> ids = ConfigLoader.partnerIds(GATEWAY);

        assertThat(ids).hasSize(39).isSorted().first().isEqualTo(PartnerId.of("association-75-amarante"));
    }
}
