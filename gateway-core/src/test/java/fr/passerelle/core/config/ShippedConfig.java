package fr.passerelle.core.config;

import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.crypto.DevelopmentPki;
import fr.passerelle.core.crypto.PkiResult;
import fr.passerelle.core.partner.PartnerId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The shipped configuration ({@code config/} beside the module) as a deployment runs it: copied into a test
 * folder with a development PKI generated beside it, each partner's certificate at {@code partners/<id>.pem} and
 * pinned in its entry, as {@code gateway pki init} leaves it. Public for the tests of other packages.
 */
public final class ShippedConfig {
    /** Maven runs the tests in the module's folder; the shipped configuration sits beside it. */
    public static final Path GATEWAY =
            Path.of(System.getProperty("user.dir")).resolveSibling("config").resolve("gateway.yaml");
    /** The PKI is made a day before {@link TestConfig#CLOCK}, the day the copy is checked on. */
    private static final Clock PKI_CLOCK = Clock.offset(TestConfig.CLOCK, Duration.ofDays(-1));

    private final Path gateway;
    private final Path pki;

    private ShippedConfig(Path gateway, Path pki) {
        this.gateway = gateway;
        this.pki = pki;
    }

    /** Copies the shipped configuration into {@code dir/config} and its PKI into {@code dir/pki}. */
    public static ShippedConfig withPki(Path dir) {
        Path config = dir.resolve("config");
        try {
            Files.createDirectories(config.resolve("partners"));
            Files.copy(GATEWAY, config.resolve("gateway.yaml"));
            Files.copy(GATEWAY.resolveSibling("routes.yaml"), config.resolve("routes.yaml"));
            try (Stream<Path> partners = Files.list(GATEWAY.resolveSibling("partners"))) {
                for (Path partner :
                        partners.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                    Files.copy(partner, config.resolve("partners").resolve(partner.getFileName()));
                }
            }
            List<PartnerId> ids = ConfigLoader.partnerIds(config.resolve("gateway.yaml"));
            PkiResult result = DevelopmentPki.init(dir.resolve("pki"), ids, List.of(), PKI_CLOCK, false);
            for (PartnerId id : ids) {
                Files.copy(
                        result.partnerCertificate(id),
                        config.resolve("partners").resolve(id.value() + ".pem"));
                ConfigLoader.pinFingerprint(
                        config.resolve("partners").resolve(id.value() + ".yaml"),
                        result.partnerFingerprints().get(id));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ShippedConfig(config.resolve("gateway.yaml"), dir.resolve("pki"));
    }

    public Path gateway() {
        return gateway;
    }

    /** {@code GATEWAY_PKI_DIR} pointing at the generated PKI. */
    public Map<String, String> env() {
        return Map.of("GATEWAY_PKI_DIR", pki.toString());
    }

    /** Checks the copy on {@link TestConfig#CLOCK}'s day. */
    public ConfigReport check(ConfigChecks checks) {
        return ConfigLoader.check(gateway, env(), checks, TestConfig.CLOCK);
    }

    /** The deployment of the copy, checked on {@link TestConfig#CLOCK}'s day; fails if it has an error. */
    public Deployment deployment() {
        return check(ConfigChecks.lenient())
                .deployment()
                .orElseThrow(() -> new AssertionError("the shipped configuration does not check: "
                        + check(ConfigChecks.lenient()).errors()));
    }
}
