package fr.passerelle.server.api.admin;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.ConfigReport;
import fr.passerelle.core.config.model.Administrator;
import fr.passerelle.core.config.versions.ConfigVersion;
import fr.passerelle.core.config.versions.ConfigWatcher;
import fr.passerelle.core.config.versions.FileSet;
import fr.passerelle.core.config.versions.VersionedConfig;
import fr.passerelle.server.http.ApiRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the admin API and the console both do to the configuration: read the current version, check a candidate file
 * set as {@code config check} would, store a change or a rollback as the next version and swap this instance at
 * once (the others at their next poll). A change is refused to an administrator limited to some data domains: the
 * configuration serves every domain. Thread-safe.
 */
public final class ConfigChanges {
    private static final Logger log = LoggerFactory.getLogger(ConfigChanges.class);

    private final VersionedConfig versioned;
    private final ConfigWatcher watcher;

    public ConfigChanges(VersionedConfig versioned, ConfigWatcher watcher) {
        this.versioned = Objects.requireNonNull(versioned, "versioned");
        this.watcher = Objects.requireNonNull(watcher, "watcher");
    }

    /**
     * Whether {@code admin} may change the configuration: role admin, of every data domain (the configuration
     * serves every domain). The console shows its forms only then; {@link #change} and {@link #rollback} refuse
     * the others.
     */
    public static boolean permits(Administrator admin) {
        return admin.role() == Administrator.Role.ADMIN && !admin.limited();
    }

    public VersionedConfig versioned() {
        return versioned;
    }

    /**
     * The current version, which every read and change starts from.
     *
     * @throws GatewayException {@code not_found} before the first version
     */
    public ConfigVersion current() {
        return versioned
                .versions()
                .latest()
                .orElseThrow(() -> new GatewayException(ErrorCode.NOT_FOUND, "no configuration version yet"));
    }

    /** Every problem of {@code files} (file, line, message, fix), as the change would meet them; stores nothing. */
    public ConfigReport check(FileSet files) {
        return versioned.check().check(files, Path.of(""));
    }

    /**
     * Builds the next files from the current version's with {@code edit}, checks and stores them, and swaps this
     * instance.
     *
     * @param detail what the audit entry says of the change besides the counts (identifiers and codes only)
     * @throws GatewayException {@code not_permitted} for an administrator limited to some domains; as
     *                          {@link VersionedConfig#change}
     */
    public VersionedConfig.Outcome change(
            ApiRequest request, UnaryOperator<FileSet> edit, String comment, Map<String, String> detail) {
        DomainScope.requireEveryDomain(request.admin());
        return stored(request, versioned.change(edit, request.admin().actor(), comment, detail));
    }

    /**
     * Stores the files of version {@code to} as the next version, and swaps this instance.
     *
     * @throws GatewayException {@code not_permitted} for an administrator limited to some domains; as
     *                          {@link VersionedConfig#rollback}
     */
    public VersionedConfig.Outcome rollback(ApiRequest request, int to, String comment) {
        DomainScope.requireEveryDomain(request.admin());
        return stored(request, versioned.rollback(to, request.admin().actor(), comment));
    }

    private VersionedConfig.Outcome stored(ApiRequest request, VersionedConfig.Outcome outcome) {
        outcome.stored().ifPresent(stored -> {
            log.info(
                    "{} stored configuration version {}: {}",
                    request.admin().actor(),
                    stored.number(),
                    outcome.diff().summary());
            watcher.run();
        });
        return outcome;
    }
}
