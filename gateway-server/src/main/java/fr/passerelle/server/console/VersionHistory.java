package fr.passerelle.server.console;

import fr.passerelle.core.config.versions.ConfigVersion;
import fr.passerelle.core.config.versions.ConfigVersions;
import fr.passerelle.core.config.versions.VersionInfo;
import fr.passerelle.core.config.versions.VersionedConfig;
import fr.passerelle.server.api.admin.ConfigChanges;
import fr.passerelle.server.http.ApiRequest;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the console's versions pages read and do: the versions of {@link ConfigVersions} and the rollback of
 * {@link ConfigChanges}, as the admin API's {@code /admin/v1/versions} uses them; or a fake in a test.
 */
interface VersionHistory {
    OptionalInt current();

    List<VersionInfo> list(Optional<Integer> before, int limit);

    Optional<ConfigVersion> find(int number);

    /** As {@link ConfigChanges#rollback}: audits, swaps this instance, or throws what refused it. */
    VersionedConfig.Outcome rollback(ApiRequest request, int to, String comment);

    static VersionHistory of(ConfigChanges changes) {
        ConfigVersions versions = changes.versioned().versions();
        return new VersionHistory() {
            @Override
            public OptionalInt current() {
                return versions.current();
            }

            @Override
            public List<VersionInfo> list(Optional<Integer> before, int limit) {
                return versions.list(before, limit);
            }

            @Override
            public Optional<ConfigVersion> find(int number) {
                return versions.find(number);
            }

            @Override
            public VersionedConfig.Outcome rollback(ApiRequest request, int to, String comment) {
                return changes.rollback(request, to, comment);
            }
        };
    }
}
