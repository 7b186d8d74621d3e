package fr.passerelle.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.config.model.PartnerDelivery;
import fr.passerelle.core.crypto.Fingerprints;
import fr.passerelle.core.spi.Transport;
import fr.passerelle.core.spi.TransportContext;
import fr.passerelle.core.spi.TransportProvider;
import fr.passerelle.core.testkit.Certificates;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The delivery: section of partner entries, and the transports: and receipt_links: sections of gateway.yaml. */
class DeliveryConfigTest {
    /** A transport whose provider wants a url per partner and a host in its settings; mail-like: answers by links. */
    private static final TransportProvider PUSH = new TransportProvider() {
        @Override
        public String id() {
            return "push";
        }

        @Override
        public boolean receiptLinks() {
            return true;
        }

        @Override
        public List<OptionProblem> checkPartner(Map<String, String> options) {
            List<OptionProblem> problems = new ArrayList<>();
            if (!options.containsKey("url")) {
                problems.add(new OptionProblem("url", "url is missing", "add url: https://..."));
            }
            options.keySet().stream()
                    .filter(k -> !k.equals("url"))
                    .forEach(k -> problems.add(new OptionProblem(k, "unknown option " + k, "remove it")));
            return problems;
        }

        @Override
        public List<OptionProblem> checkSettings(Map<String, String> settings) {
            return settings.containsKey("host")
                    ? List.of()
                    : List.of(new OptionProblem("host", "host is missing", "add host:"));
        }

        @Override
        public Duration longestAttempt(Map<String, String> settings) {
            return Duration.ofSeconds(Integer.parseInt(settings.getOrDefault("timeout", "30")));
        }

        @Override
        public Optional<String> senderAddress(Map<String, String> settings) {
            return Optional.ofNullable(settings.get("from"));
        }

        @Override
        public Transport open(TransportContext context) {
            throw new UnsupportedOperationException();
        }
    };

    private static final ConfigChecks CHECKS = new ConfigChecks(
            id -> true, id -> true, type -> Set.of(), id -> id.equals("push") ? Optional.of(PUSH) : Optional.empty());

    @TempDir
    Path temp;

    private TestConfig config;

    @BeforeEach
    void writeValidConfiguration() {
        config = TestConfig.valid(temp);
        config.replace(
                "gateway.yaml",
                "data_dir: ../data",
                "data_dir: ../data\ntransports:\n  push:\n    host: relay"
                        + "\nreceipt_links:\n  port: 8444\n  public_url: https://passerelle.example.fr:8444/");
    }

    private ConfigReport check() {
        return config.check(Map.of(), CHECKS);
    }

    private List<String> shown(ConfigReport report) {
        return report.problems().stream().map(config::shown).toList();
    }

    @Test
    void readsAPushedPartnerAndTheTransportSettings() {
        config.replace(
                "partners/siao-75.yaml",
                "enabled: true",
                "enabled: true\ndelivery:\n  transport: push\n" + "  url: https://siao.example.fr/in");

        ConfigReport report = check();

        assertThat(shown(report)).isEmpty();
        Deployment deployment = report.deployment().orElseThrow();
        Partner siao = deployment
                .partner(fr.passerelle.core.partner.PartnerId.of("siao-75"))
                .orElseThrow();
        assertThat(siao.delivery()).isEqualTo(new PartnerDelivery("push", Map.of("url", "https://siao.example.fr/in")));
        assertThat(siao.delivery().pushed()).isTrue();
        assertThat(deployment.settings().transports()).isEqualTo(Map.of("push", Map.of("host", "relay")));
        GatewaySettings.ReceiptLinkSettings links =
                deployment.settings().receiptLinks().orElseThrow();
        assertThat(links.publicUrl()).contains("https://passerelle.example.fr:8444");
        assertThat(links.validity()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void letsTheEnvironmentPickTheReceiptLinkPort() {
        ConfigReport free = config.check(Map.of("GATEWAY_RECEIPT_LINKS_PORT", "0"), CHECKS);
        ConfigReport wrong = config.check(Map.of("GATEWAY_RECEIPT_LINKS_PORT", "http"), CHECKS);

        assertThat(free.deployment()
                        .orElseThrow()
                        .settings()
                        .receiptLinks()
                        .orElseThrow()
                        .port())
                .isZero();
        assertThat(shown(wrong))
                .containsExactly("gateway.yaml:10: error: environment variable GATEWAY_RECEIPT_LINKS_PORT is 'http'"
                        + " (expected: a port number 0-65535) (fix: set it to a number from 0 to 65535, or unset it)");
    }

    @Test
    void readsTheDeliverySettingsAndAPartnersOwnLimits() {
        config.replace(
                "gateway.yaml",
                "transports:",
                "delivery:\n  senders: 2\n  lease_seconds: 30\n"
                        + "  first_retry_seconds: 2\n  max_retry_seconds: 60\n  max_attempts: 5\n  breaker_failures: 3\n"
                        + "  breaker_pause_seconds: 10\ntransports:");
        config.replace(
                "partners/siao-75.yaml",
                "enabled: true",
                "enabled: true\ndelivery:\n  transport: push\n"
                        + "  url: https://siao.example.fr/in\n  max_attempts: 50\n  max_age_hours: 4");

        Deployment deployment = check().deployment().orElseThrow();

        GatewaySettings.DeliverySettings delivery = deployment.settings().delivery();
        assertThat(delivery)
                .isEqualTo(new GatewaySettings.DeliverySettings(
                        2,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(60),
                        5,
                        Duration.ofHours(48),
                        3,
                        Duration.ofSeconds(10)));
        PartnerDelivery siao = deployment
                .partner(fr.passerelle.core.partner.PartnerId.of("siao-75"))
                .orElseThrow()
                .delivery();
        assertThat(siao.options()).isEqualTo(Map.of("url", "https://siao.example.fr/in"));
        assertThat(siao.maxAttempts()).contains(50);
        assertThat(siao.maxAge()).contains(Duration.ofHours(4));
    }

    @Test
    void pausesAFailingPartnerAfterFiveFailuresForAMinuteByDefault() {
        GatewaySettings.DeliverySettings delivery =
                check().deployment().orElseThrow().settings().delivery();

        assertThat(delivery.breakerFailures()).isEqualTo(5);
        assertThat(delivery.breakerPause()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void refusesCircuitBreakerSettingsOutOfRange() {
        config.replace(
                "gateway.yaml",
                "transports:",
                "delivery:\n  breaker_failures: 0\n" + "  breaker_pause_seconds: 3601\ntransports:");

        assertThat(shown(check()))
                .containsExactly(
                        "gateway.yaml:7: error: 'delivery.breaker_failures' is 0 (expected: 1-100) (fix: write a number"
                                + " from 1 to 100)",
                        "gateway.yaml:8: error: 'delivery.breaker_pause_seconds' is 3601 (expected: 1-3600) (fix: write a"
                                + " number from 1 to 3600)");
    }

    @Test
    void warnsWhenTheLeaseIsNoLongerThanAnAttemptMayTake() {
        config.replace("gateway.yaml", "    host: relay", "    host: relay\n    timeout: 60");
        config.replace("gateway.yaml", "transports:", "delivery:\n  lease_seconds: 60\ntransports:");
        config.replace("partners/siao-75.yaml", "enabled: true", "enabled: true\ndelivery: {transport: push, url: x}");

        assertThat(shown(check()))
                .containsExactly("gateway.yaml: warning: delivery.lease_seconds 60 is not longer"
                        + " than one attempt of transport push may take (60 s): a delivery still being attempted would be"
                        + " claimed again (fix: raise delivery.lease_seconds above 60, or lower the timeouts of"
                        + " transports.push)");
    }

    @Test
    void warnsWhenTheSigningCertificateDoesNotNameTheAddressMailIsSentFrom() {
        X509Certificate signing = sendFromPasserelleSignedByACertificateNaming("other@example.fr");

        assertThat(shown(check()))
                .containsExactly("gateway.yaml: warning: the gateway's signing certificate "
                        + Fingerprints.sha256(signing)
                        + " does not name transports.push.from passerelle@example.fr (its mail addresses:"
                        + " other@example.fr): mail clients will show the sender as not matching the signature (fix:"
                        + " have the signing certificate issued with passerelle@example.fr as an rfc822Name subject"
                        + " alternative name (gateway pki init does so in development), or send from an address it"
                        + " names)");
    }

    @Test
    void acceptsASigningCertificateThatNamesTheAddressMailIsSentFromWhateverItsCase() {
        sendFromPasserelleSignedByACertificateNaming("Passerelle@Example.fr");

        assertThat(shown(check())).isEmpty();
    }

    /** siao-75 served by the push transport from passerelle@example.fr; the signing certificate names {@code mail}. */
    private X509Certificate sendFromPasserelleSignedByACertificateNaming(String mail) {
        config.replace("gateway.yaml", "    host: relay", "    host: relay\n    from: passerelle@example.fr");
        config.replace("partners/siao-75.yaml", "enabled: true", "enabled: true\ndelivery: {transport: push, url: x}");
        X509Certificate signing =
                Certificates.certificate("CN=signing").email(mail).issue().certificate();
        Certificates.write(temp.resolve("pki/gateway-signing.pem"), signing);
        return signing;
    }

    @Test
    void refusesARetryCeilingBelowTheFirstRetry() {
        config.replace(
                "gateway.yaml",
                "transports:",
                "delivery:\n  first_retry_seconds: 20\n" + "  max_retry_seconds: 10\ntransports:");

        assertThat(shown(check()))
                .containsExactly("gateway.yaml:6: error: 'delivery.max_retry_seconds' is below"
                        + " 'delivery.first_retry_seconds' (fix: make max_retry_seconds at least first_retry_seconds)");
    }

    @Test
    void pullsWhenThereIsNoDeliverySection() {
        Partner police = check().deployment()
                .orElseThrow()
                .partner(fr.passerelle.core.partner.PartnerId.of("police-75-brp"))
                .orElseThrow();

        assertThat(police.delivery()).isEqualTo(PartnerDelivery.inbox());
        assertThat(police.delivery().pushed()).isFalse();
    }

    @Test
    void reportsTheTransportsProblemsOnTheLinesOfTheirKeys() {
        config.replace(
                "partners/siao-75.yaml",
                "enabled: true",
                "enabled: true\ndelivery:\n  transport: push\n" + "  adress: x");

        assertThat(shown(check()))
                .containsExactly(
                        "partners/siao-75.yaml:10: error: transport push: url is missing (fix: add url: https://...)",
                        "partners/siao-75.yaml:12: error: transport push: unknown option adress (fix: remove it)");
    }

    @Test
    void refusesAnUnknownTransport() {
        config.replace("partners/siao-75.yaml", "enabled: true", "enabled: true\ndelivery: {transport: pigeon}");

        assertThat(shown(check()))
                .containsExactly(
                        "partners/siao-75.yaml:10: error: unknown transport 'pigeon'"
                                + " (fix: write one of the transports this gateway has (inbox, https, mail), or add its provider)");
    }

    @Test
    void refusesOptionsOnTheInbox() {
        config.replace("partners/siao-75.yaml", "enabled: true", "enabled: true\ndelivery: {transport: inbox, url: x}");

        assertThat(shown(check()))
                .containsExactly(
                        "partners/siao-75.yaml:10: error: transport inbox takes no"
                                + " options, found: url (fix: remove them: the partner pulls its referrals with GET /v1/inbox)");
    }

    @Test
    void requiresTheSettingsOfATransportInUse() {
        config.replace("gateway.yaml", "transports:\n  push:\n    host: relay\n", "");
        config.replace("partners/siao-75.yaml", "enabled: true", "enabled: true\ndelivery: {transport: push, url: x}");

        assertThat(shown(check()))
                .containsExactly("gateway.yaml: error: transport push (used by siao-75) has no"
                        + " settings: host is missing (fix: add a transports: {push: {...}} section to gateway.yaml (see the"
                        + " shipped gateway.yaml))");
    }

    @Test
    void requiresTheReceiptLinkListenerForATransportThatAnswersByLinks() {
        config.replace(
                "gateway.yaml",
                "receipt_links:\n  port: 8444\n  public_url: https://passerelle.example.fr:8444/\n",
                "");
        config.replace("partners/siao-75.yaml", "enabled: true", "enabled: true\ndelivery: {transport: push, url: x}");

        assertThat(shown(check()))
                .containsExactly("partners/siao-75.yaml:10: error: transport push answers by"
                        + " receipt links, but gateway.yaml has no receipt_links section (fix: add receipt_links: {port: 8444,"
                        + " public_url: https://...} to gateway.yaml)");
    }

    @Test
    void refusesSettingsOfAnUnknownTransportAndAPlainPublicUrl() {
        config.replace("gateway.yaml", "  push:\n    host: relay", "  push:\n    host: relay\n  fax: {number: 1}");
        config.replace(
                "gateway.yaml",
                "public_url: https://passerelle.example.fr:8444/",
                "public_url: http://passerelle.example.fr");

        assertThat(shown(check()))
                .containsExactly(
                        "gateway.yaml:9: error: no transport 'fax' takes settings (fix: remove the section, or correct its"
                                + " name (https, mail))",
                        "gateway.yaml:12: error: 'receipt_links.public_url' is not an https:// URL without query or fragment"
                                + " (fix: write the address association staff's browsers reach, such as"
                                + " https://passerelle.example.fr:8444)");
    }
}
