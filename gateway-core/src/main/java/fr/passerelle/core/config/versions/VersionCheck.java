package fr.passerelle.core.config.versions;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.ConfigChecks;
import fr.passerelle.core.config.ConfigLoader;
import fr.passerelle.core.config.ConfigProblem;
import fr.passerelle.core.config.ConfigReport;
import fr.passerelle.core.config.model.Deployment;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks a file set the way {@code config check} checks the folder, through {@link ConfigLoader}: the settings
 * from gateway.yaml, everything else from the set. Thread-safe.
 */
public final class VersionCheck {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(VersionCheck.class);
    private final Path gatewayYaml;
    private final Map<String, String> env;
    private final ConfigChecks checks;
    private final Clock clock;

    /** @param env the environment, such as {@code System.getenv()}, for the overrides of gateway.yaml */
    public VersionCheck(Path gatewayYaml, Map<String, String> env, ConfigChecks checks, Clock clock) {
        this.gatewayYaml = Objects.requireNonNull(gatewayYaml, "gatewayYaml");
        this.env = Map.copyOf(env);
        this.checks = Objects.requireNonNull(checks, "checks");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Every problem of {@code files}, each named {@code shownAs/<file>}. */
    public ConfigReport check(FileSet files, Path shownAs) {
        return ConfigLoader.check(gatewayYaml, files.source(shownAs), env, checks, clock);
    }

    /**
     * The deployment of a stored version.
     *
     * @throws GatewayException {@code config_invalid}, "version N does not load on this instance: k problems",
     *                          with one detail line per error (a certificate expired since, a transport missing here)
     */
    public Deployment load(ConfigVersion version) {
        ConfigReport report = check(version.files(), Path.of(""));
        List<ConfigProblem> errors = report.errors();
        if (!errors.isEmpty()) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "configuration version " + version.number()
                            + " does not load on this instance: " + errors.size()
                            + (errors.size() == 1 ? " problem" : " problems"),
                    errors.stream().map(ConfigProblem::toString).toList());
        }
        report.warnings().forEach(warning -> log.warn("Configuration version {}: {}", version.number(), warning));
        return report.deployment().orElseThrow();
    }
}
