package fr.passerelle.server;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.ConfigChecks;
import fr.passerelle.core.config.DevelopmentPins;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.config.versions.ConfigVersion;
import fr.passerelle.core.config.versions.ConfigVersions;
import fr.passerelle.core.config.versions.FileSet;
import fr.passerelle.core.config.versions.LiveDeployment;
import fr.passerelle.core.config.versions.VersionCheck;
import fr.passerelle.core.config.versions.VersionedConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an instance finds its configuration in the database: on the very first start (no version yet) it applies
 * config/ itself as version 1; then it runs on the current version, whatever config/ holds. When config/ differs
 * from the current version, a warning says so: the database wins, and {@code gateway config apply} makes the
 * folder the next version.
 *
 * @param versioned the versions, checked as {@code config check} does
 * @param live      the deployment of the current version, swapped by the watcher
 * @param settings  the settings of gateway.yaml read at start: every later version runs with them (changing
 *                  gateway.yaml needs a restart)
 */
record ConfigBoot(VersionedConfig versioned, LiveDeployment live, GatewaySettings settings) {
    private static final Logger log = LoggerFactory.getLogger(ConfigBoot.class);
    /** The actor of the version that a first start applies. */
    static final String GATEWAY = "gateway";

    ConfigBoot {
        Objects.requireNonNull(versioned, "versioned");
        Objects.requireNonNull(live, "live");
        Objects.requireNonNull(settings, "settings");
    }

    static ConfigBoot start(Path gatewayYaml, Map<String, String> env, ConfigChecks checks, DataSource dataSource) {
        Path dir = gatewayYaml.toAbsolutePath().normalize().getParent();
        ConfigVersions versions = new ConfigVersions(dataSource);
        VersionedConfig versioned =
                new VersionedConfig(versions, new VersionCheck(gatewayYaml, env, checks, Clock.systemDefaultZone()));
        DevelopmentPins pins = DevelopmentPins.of(gatewayYaml, env);
        if (versions.current().isEmpty()) {
            try {
                versioned.apply(FileSet.read(dir, pins), dir, GATEWAY, "first start: config/ applied");
                log.info("No configuration version in the database: applied {} as version 1", dir);
            } catch (GatewayException e) {
                if (e.code() == ErrorCode.CONFIG_REFUSED) {
                    throw new GatewayException(
                            ErrorCode.CONFIG_INVALID,
                            e.details().size() + (e.details().size() == 1 ? " problem" : " problems") + " in " + dir,
                            e.details());
                }
                if (e.code() != ErrorCode.STATE_CONFLICT) {
                    throw e;
                }
                // Another instance applied its folder first: run on that.
            }
        }
        ConfigVersion current = versions.latest().orElseThrow();
        Deployment deployment = versioned.check().load(current);
        warnIfFolderDiffers(dir, pins, current);
        return new ConfigBoot(versioned, new LiveDeployment(current.number(), deployment), deployment.settings());
    }

    /** A version's deployment, with the settings read at start. */
    Deployment load(ConfigVersion version) {
        Deployment loaded = versioned.check().load(version);
        return new Deployment(
                settings,
                loaded.partners(),
                loaded.routes(),
                loaded.administrators(),
                loaded.deadlines(),
                loaded.referents());
    }

    private static void warnIfFolderDiffers(Path dir, DevelopmentPins pins, ConfigVersion current) {
        try {
            if (!FileSet.read(dir, pins).digest().equals(current.files().digest())) {
                log.warn(
                        "{} differs from configuration version {}, which the gateway runs on: run `gateway config"
                                + " diff` to see how, and `gateway config apply` to make the folder the next version",
                        dir,
                        current.number());
            }
        } catch (GatewayException e) {
            log.warn(
                    "{} cannot be compared with configuration version {} ({}); the gateway runs on the version",
                    dir,
                    current.number(),
                    e.getMessage());
        }
    }
}
