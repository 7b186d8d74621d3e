package fr.passerelle.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.GatewaySettings.Quotas;
import fr.passerelle.core.partner.PartnerId;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quotas of each partner: gateway.yaml's {@code limits:}, its {@code limits.by_kind:} and a partner entry's
 * {@code limits:}, resolved key by key.
 */
class QuotaConfigTest {
    private static final PartnerId POLICE = PartnerId.of("police-75-brp");
    private static final PartnerId ASSOCIATION = PartnerId.of("association-75-amarante");
    private static final PartnerId SIAO = PartnerId.of("siao-75");

    @TempDir
    Path temp;

    private TestConfig config;

    @BeforeEach
    void writeValidConfiguration() {
        config = TestConfig.valid(temp);
    }

    private void limits(String... lines) {
        config.replace("gateway.yaml", "data_dir: ../data", "data_dir: ../data\nlimits:\n" + String.join("\n", lines));
    }

    private void partnerLimits(String id, String... lines) {
        config.replace(
                "partners/" + id + ".yaml", "enabled: true", "enabled: true\nlimits:\n" + String.join("\n", lines));
    }

    private List<String> shown(ConfigReport report) {
        return report.problems().stream().map(config::shown).toList();
    }

    @Test
    void givesEveryPartnerTheGlobalQuotasWhenNothingOverridesThem() {
        Deployment deployment = config.check().deployment().orElseThrow();

        assertThat(deployment.quotas(POLICE)).isEqualTo(Quotas.defaults());
        assertThat(deployment.quotas(SIAO)).isEqualTo(Quotas.defaults());
    }

    @Test
    void resolvesEachKeyFromThePartnerThenItsKindThenTheGlobalBlock() {
        limits(
                "  submissions_per_second: 10",
                "  submission_burst: 100",
                "  by_kind:",
                "    police: {submissions_per_second: 50, submissions_per_day: 90000}",
                "    association:",
                "      submissions_per_second: 2",
                "      request_burst: 50");
        partnerLimits("police-75-brp", "  submissions_per_second: 80", "  request_burst: 3000");

        Deployment deployment = config.check().deployment().orElseThrow();

        assertThat(deployment.quotas(POLICE)).isEqualTo(new Quotas(80, 100, 100, 3000, 90_000));
        assertThat(deployment.quotas(ASSOCIATION)).isEqualTo(new Quotas(2, 100, 100, 50, 50_000));
        assertThat(deployment.quotas(SIAO)).isEqualTo(new Quotas(10, 100, 100, 1000, 50_000));
        assertThat(deployment.partner(POLICE).orElseThrow().quotas())
                .hasToString("{submissions_per_second=80, request_burst=3000}");
    }

    @Test
    void acceptsTheExamplesThatTheShippedFilesComment() throws Exception {
        limits(commentedBlock(ShippedConfig.GATEWAY, "  # by_kind:"));
        partnerLimits(
                "police-75-brp",
                commentedBlock(ShippedConfig.GATEWAY.resolveSibling("partners/police-75-brp.yaml"), "# limits:")
                        .replaceFirst("^limits:\n", ""));

        ConfigReport report = config.check();

        assertThat(shown(report)).isEmpty();
        assertThat(report.deployment().orElseThrow().quotas(POLICE))
                .isEqualTo(new Quotas(100, 1000, 100, 1000, 50_000));
        assertThat(report.deployment().orElseThrow().quotas(ASSOCIATION)).isEqualTo(new Quotas(2, 20, 100, 1000, 2000));
    }

    /** The commented lines from {@code first} on, uncommented, as long as they stay commented and indented. */
    private static String commentedBlock(Path file, String first) throws java.io.IOException {
        List<String> lines = java.nio.file.Files.readAllLines(file);
        String prefix = first.substring(0, first.indexOf('#') + 2);
        int start = lines.indexOf(first);
        assertThat(start).as(first + " in " + file).isNotNegative();
        StringBuilder block =
                new StringBuilder(lines.get(start).replace(prefix, prefix.substring(0, prefix.indexOf('#'))));
        for (int i = start + 1; i < lines.size() && lines.get(i).startsWith(prefix + " "); i++) {
            block.append('\n').append(lines.get(i).replace(prefix, prefix.substring(0, prefix.indexOf('#'))));
        }
        return block.toString();
    }

    @Test
    void givesAPartnerMissingFromTheRegistryTheQuotasOfItsKind() {
        limits("  by_kind:", "    police: {request_burst: 7}");

        Deployment deployment = config.check().deployment().orElseThrow();

        assertThat(deployment.quotas(PartnerId.of("police-13-ocrteh")).requestBurst())
                .isEqualTo(7);
    }

    @Test
    void refusesAnUnknownKindSuggestingTheClosest() {
        limits("  by_kind:", "    polise: {submissions_per_second: 5}");

        ConfigReport report = config.check();

        assertThat(report.deployment()).isEmpty();
        assertThat(shown(report))
                .containsExactly("gateway.yaml:8: error: unknown partner kind 'polise'"
                        + " (expected one of: " + fr.passerelle.core.partner.PartnerKind.codes() + ")"
                        + " (fix: did you mean 'police'?)");
    }

    @Test
    void refusesAMisspeltKeyOfAKindOrOfAPartnerAtItsLine() {
        limits("  by_kind:", "    siao:", "      submision_burst: 5");
        partnerLimits("police-75-brp", "  request_brust: 5");

        ConfigReport report = config.check();

        assertThat(report.deployment()).isEmpty();
        assertThat(shown(report))
                .containsExactly(
                        "gateway.yaml:9: error: unknown key 'submision_burst' in 'limits.by_kind.siao' (expected one of:"
                                + " submissions_per_second, submission_burst, requests_per_second, request_burst,"
                                + " submissions_per_day) (fix: did you mean 'submission_burst'?)",
                        "partners/police-75-brp.yaml:11: error: unknown key 'request_brust' in 'limits' (expected one of:"
                                + " submissions_per_second, submission_burst, requests_per_second, request_burst,"
                                + " submissions_per_day) (fix: did you mean 'request_burst'?)");
    }

    @Test
    void refusesAConnectionCapPerKindOrPerPartner() {
        limits("  by_kind:", "    association: {max_connections: 5}");
        partnerLimits("siao-75", "  max_connections_per_address: 2");

        ConfigReport report = config.check();

        assertThat(shown(report))
                .containsExactly(
                        "gateway.yaml:8: error: 'limits.by_kind.association.max_connections' cannot be set per kind:"
                                + " connections are capped before TLS authenticates anyone (fix: remove it; set it in the"
                                + " limits: block of gateway.yaml)",
                        "partners/siao-75.yaml:11: error: 'limits.max_connections_per_address' cannot be set per partner:"
                                + " connections are capped before TLS authenticates anyone (fix: remove it; set it in the"
                                + " limits: block of gateway.yaml)");
    }

    @Test
    void refusesZeroAndNonIntegerValuesAsTheGlobalBlockDoes() {
        limits("  submission_burst: 0", "  by_kind:", "    police:", "      submission_burst: 0");
        partnerLimits("siao-75", "  submissions_per_day: lots", "  requests_per_second: 2.5");

        ConfigReport report = config.check();

        assertThat(report.deployment()).isEmpty();
        assertThat(shown(report))
                .containsExactly(
                        "gateway.yaml:7: error: 'limits.submission_burst' is 0 (expected: 1-1000000) (fix: write a number"
                                + " from 1 to 1000000)",
                        "gateway.yaml:10: error: 'limits.by_kind.police.submission_burst' is 0 (expected: 1-1000000) (fix:"
                                + " write a number from 1 to 1000000)",
                        "partners/siao-75.yaml:11: error: 'limits.submissions_per_day' must be a whole number, found the"
                                + " text 'lots' (fix: write a number such as 50000)",
                        "partners/siao-75.yaml:12: error: 'limits.requests_per_second' must be a whole number, found the"
                                + " number '2.5' (fix: write a number such as 100)");
    }

    @Test
    void refusesALimitsBlockThatIsNotAMapping() {
        partnerLimits("siao-75", "  - 5");

        ConfigReport report = config.check();

        assertThat(shown(report))
                .containsExactly("partners/siao-75.yaml:10: error: 'limits' must be a mapping of"
                        + " keys, found a list (fix: write it as an indented block of keys such as submissions_per_second:"
                        + " 50)");
    }
}
