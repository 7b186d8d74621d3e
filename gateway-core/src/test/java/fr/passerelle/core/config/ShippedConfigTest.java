package fr.passerelle.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ShippedConfigTest {
    /** Maven runs the tests in the module's folder; the shipped configuration sits beside it. */
    private static final Path GATEWAY = Path.of(System.getProperty("user.dir")).resolveSibling("config")
            .resolve("gateway.yaml");
    private static final Set<String> ADAPTERS = Set.of("canonical-json", "mail", "police-xml", "prefecture-xml",
            "siao-json");

    @Test
    void loadsWithNoErrorAndWarnsOnlyAboutUnpinnedCertificates() {
        ConfigReport report = ConfigLoader.check(GATEWAY, Map.of(), ConfigChecks.lenient(), TestConfig.CLOCK);

        assertThat(report.errors()).isEmpty();
        assertThat(report.warnings()).hasSize(15).allSatisfy(w -> assertThat(w.message())
                .endsWith("has no pinned certificate fingerprint: it cannot authenticate until pinned"));
        assertThat(report.deployment()).isPresent();
    }

    @Test
    void routesUseOnlyCanonicalFieldNamesAndKnownAdapters() {
        ConfigChecks strict = new ConfigChecks(ADAPTERS::contains, ADAPTERS::contains, CanonicalFields::of);

        ConfigReport report = ConfigLoader.check(GATEWAY, Map.of(), strict, TestConfig.CLOCK);

        assertThat(report.errors()).isEmpty();
    }

    @Test
    void holdsTheExampleDeploymentForParisAndLaReunion() {
        Deployment deployment = ConfigLoader.load(GATEWAY, Map.of(), ConfigChecks.lenient());

        assertThat(deployment.partners().keySet()).extracting(PartnerId::value).containsExactlyInAnyOrder(
                "police-75-brp", "police-974-sdpj", "gendarmerie-974-br-saint-pierre", "association-75-amarante",
                "association-974-kaz-lespwa", "siao-75", "siao-974", "prefecture-75", "prefecture-974",
                "monitoring-centre-de-veille", "dgcs-national", "miprof-national", "labour-75-drieets",
                "urssaf-75-lcti", "social-75-ssp-18");
        assertThat(deployment.partner(PartnerId.of("association-75-amarante")).orElseThrow()
                .holds("exit-pathway", Department.of("75"), java.time.LocalDate.of(2028, 6, 30))).isTrue();
        assertThat(deployment.partner(PartnerId.of("association-974-kaz-lespwa")).orElseThrow().approvals()).isEmpty();
        assertThat(deployment.partner(PartnerId.of("dgcs-national")).orElseThrow().departments()).isEmpty();
        assertThat(deployment.partner(PartnerId.of("miprof-national")).orElseThrow().name()).isEqualTo(
                "Mission interministérielle pour la protection des femmes contre les violences et la lutte contre"
                        + " la traite des êtres humains (MIPROF)");
    }

    @Test
    void routesEveryTypeButReceipts() {
        Deployment deployment = ConfigLoader.load(GATEWAY, Map.of(), ConfigChecks.lenient());

        Set<ReferralType> routed = deployment.routes().stream().map(Route::type).collect(Collectors.toSet());
        assertThat(routed).containsExactlyInAnyOrderElementsOf(Arrays.stream(ReferralType.values())
                .filter(t -> t != ReferralType.REFERRAL_RECEIPT).toList());
    }

    @Test
    void neverRoutesOffenceDataToTheSiao() {
        Deployment deployment = ConfigLoader.load(GATEWAY, Map.of(), ConfigChecks.lenient());

        List<String> toSiao = deployment.routes().stream()
                .filter(r -> r.to().contains(new Recipient.ByKind(PartnerKind.SIAO, java.util.Optional.empty())))
                .flatMap(r -> r.fields().stream()).toList();
        assertThat(toSiao).isNotEmpty().noneMatch(f -> f.startsWith("offence") || f.startsWith("proceeding")
                || f.startsWith("complaint") || f.equals("subject.nationality"));
    }

    @Test
    void resolvesPathsAgainstTheConfigurationFolderWithTheDocumentedDefaults() {
        GatewaySettings settings = ConfigLoader.load(GATEWAY, Map.of(), ConfigChecks.lenient()).settings();

        Path root = GATEWAY.getParent().getParent();
        assertThat(settings.pkiDir()).isEqualTo(root.resolve("pki"));
        assertThat(settings.tlsCertificate()).isEqualTo(root.resolve("pki/gateway-tls.pem"));
        assertThat(settings.tlsKey()).isEqualTo(root.resolve("pki/gateway-tls-key.pem"));
        assertThat(settings.clientCa()).isEqualTo(root.resolve("pki/ca.pem"));
        assertThat(settings.dataDir()).isEqualTo(root.resolve("data"));
        assertThat(settings.host()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isEqualTo(8443);
        assertThat(settings.limits()).isEqualTo(GatewaySettings.Limits.defaults());
        assertThat(settings.database()).isEqualTo(GatewaySettings.DatabaseSettings.embedded());
        assertThat(settings.retention()).isEqualTo(Duration.ofDays(730));
    }

    @Test
    void listsThePartnerIdsFromTheFileNamesSorted() {
        List<PartnerId> ids = ConfigLoader.partnerIds(GATEWAY);

        assertThat(ids).hasSize(15).isSorted().first().isEqualTo(PartnerId.of("association-75-amarante"));
    }
}
