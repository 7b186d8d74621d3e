package fr.passerelle.core.config.versions;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.Deployment;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link LiveDeployment} on the current configuration version: each {@link #run()} reads the current
 * number (one cheap query) and, when it moved, loads that version, prepares for it (opens the transports its
 * partners need) and swaps. A version that fails to load is logged once and remembered as the live deployment's
 * failure; the instance keeps the version it runs on. Runs on one scheduler thread; {@link #run()} is also called
 * after a change made on this instance, so that it swaps at once.
 */
public final class ConfigWatcher implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);

    private final ConfigVersions versions;
    private final LiveDeployment live;
    private final Function<ConfigVersion, Deployment> loader;
    private final Consumer<Deployment> prepare;

    /**
     * @param loader  builds a version's deployment; throws a {@link GatewayException} when it does not load
     * @param prepare called with the new deployment before the swap; throws to keep the old one
     */
    public ConfigWatcher(
            ConfigVersions versions,
            LiveDeployment live,
            Function<ConfigVersion, Deployment> loader,
            Consumer<Deployment> prepare) {
        this.versions = Objects.requireNonNull(versions, "versions");
        this.live = Objects.requireNonNull(live, "live");
        this.loader = Objects.requireNonNull(loader, "loader");
        this.prepare = Objects.requireNonNull(prepare, "prepare");
    }

    /** Swaps to the current version if it moved; never throws. */
    @Override
    public synchronized void run() {
        OptionalInt current;
        try {
            current = versions.current();
        } catch (RuntimeException e) {
            log.warn("Cannot read the current configuration version ({}): trying again at the next poll", e.toString());
            return;
        }
        if (current.isEmpty()
                || current.getAsInt() == live.version()
                || live.failure().filter(f -> f.version() == current.getAsInt()).isPresent()) {
            return;
        }
        int number = current.getAsInt();
        try {
            ConfigVersion version = versions.find(number).orElseThrow();
            Deployment deployment = loader.apply(version);
            prepare.accept(deployment);
            int before = live.version();
            live.swap(number, deployment);
            log.info(
                    "Configuration version {} is live (was {}): {} partners, {} routes",
                    number,
                    before,
                    deployment.partners().size(),
                    deployment.routes().size());
        } catch (GatewayException e) {
            if (e.code() == ErrorCode.STORE_FAILED) {
                log.warn(
                        "Cannot read configuration version {} ({}): trying again at the next poll",
                        number,
                        e.getMessage());
                return;
            }
            live.failed(number, e.getMessage() + (e.details().isEmpty() ? "" : ": " + String.join("; ", e.details())));
            log.error(
                    "Configuration version {} does not load on this instance; it keeps version {}: {}{}",
                    number,
                    live.version(),
                    e.getMessage(),
                    e.details().isEmpty() ? "" : "\n  " + String.join("\n  ", e.details()));
        } catch (RuntimeException e) {
            log.warn("Cannot load configuration version {} ({}): trying again at the next poll", number, e.toString());
        }
    }
}
