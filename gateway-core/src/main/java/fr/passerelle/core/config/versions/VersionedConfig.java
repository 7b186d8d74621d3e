package fr.passerelle.core.config.versions;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.ConfigProblem;
import fr.passerelle.core.config.ConfigReport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;

/**
 * Makes a file set the next configuration version, only when it passes every check of {@code config check}:
 * {@code config apply}, the first start, the admin API's changes and rollbacks all come here. A refused set
 * stores nothing and says exactly what and where. Each stored version has its audit entry (actor, version
 * numbers, counts of what changed). Thread-safe.
 */
public final class VersionedConfig {
    /** How many times a change is built again on a version that moved meanwhile, before a conflict is answered. */
    static final int ATTEMPTS = 3;

    private final ConfigVersions versions;
    private final VersionCheck check;

    public VersionedConfig(ConfigVersions versions, VersionCheck check) {
        this.versions = Objects.requireNonNull(versions, "versions");
        this.check = Objects.requireNonNull(check, "check");
    }

    public ConfigVersions versions() {
        return versions;
    }

    public VersionCheck check() {
        return check;
    }

    /**
     * What a change did.
     *
     * @param stored   the version stored; empty when the files equal the current version's (nothing stored)
     * @param current  the current version after the change
     * @param diff     what changed from the version before
     * @param warnings the checks' warnings on the files
     */
    public record Outcome(Optional<VersionInfo> stored, int current, ConfigDiff diff, List<ConfigProblem> warnings) {
        public Outcome {
            Objects.requireNonNull(stored, "stored");
            Objects.requireNonNull(diff, "diff");
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * {@code config apply}: checks {@code files} and stores them as the next version if they differ from the
     * current one.
     *
     * @param shownAs what problems put before a file's name (the folder the files were read from)
     * @throws GatewayException {@code config_refused} with one detail line per error; {@code state_conflict} when
     *                          another version became current meanwhile
     */
    public Outcome apply(FileSet files, Path shownAs, String actor, String comment) {
        Optional<ConfigVersion> current = versions.latest();
        return store(current, files, shownAs, actor, comment, Optional.empty(), "config.applied", Map.of());
    }

    /**
     * A change of the admin API: {@code edit} builds the next files from the current version's; they are checked
     * and stored. When another version became current meanwhile, the change is built again on it, up to
     * {@value #ATTEMPTS} times.
     *
     * @param detail what the audit entry says of the change besides the counts (identifiers and codes only)
     * @throws GatewayException {@code config_refused}; {@code state_conflict} after the last attempt;
     *                          {@code not_found} when there is no version yet; whatever {@code edit} throws
     */
    public Outcome change(UnaryOperator<FileSet> edit, String actor, String comment, Map<String, String> detail) {
        for (int attempt = 1; ; attempt++) {
            ConfigVersion current = versions.latest().orElseThrow(VersionedConfig::noVersion);
            FileSet next = edit.apply(current.files());
            try {
                return store(
                        Optional.of(current),
                        next,
                        Path.of(""),
                        actor,
                        comment,
                        Optional.empty(),
                        "config.changed",
                        detail);
            } catch (GatewayException e) {
                if (e.code() != ErrorCode.STATE_CONFLICT || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Stores the files of version {@code to} as the next version (history only grows), after the same checks:
     * a version that no longer passes them (an expired certificate) is refused.
     *
     * @throws GatewayException {@code not_found} when version {@code to} does not exist; {@code config_refused};
     *                          {@code state_conflict}
     */
    public Outcome rollback(int to, String actor, String comment) {
        ConfigVersion target = versions.find(to)
                .orElseThrow(() -> new GatewayException(
                        ErrorCode.NOT_FOUND,
                        "no configuration version " + to + " (versions are listed by `gateway config versions` and GET"
                                + " /admin/v1/versions)"));
        Optional<ConfigVersion> current = versions.latest();
        if (current.isPresent() && current.get().number() == to) {
            throw new GatewayException(
                    ErrorCode.STATE_CONFLICT, "version " + to + " is already current; nothing" + " was stored");
        }
        return store(
                current, target.files(), Path.of(""), actor, comment, Optional.of(to), "config.rolled-back", Map.of());
    }

    private Outcome store(
            Optional<ConfigVersion> current,
            FileSet files,
            Path shownAs,
            String actor,
            String comment,
            Optional<Integer> restoredFrom,
            String action,
            Map<String, String> detail) {
        ConfigVersions.checkComment(comment);
        FileSet before = current.map(ConfigVersion::files).orElse(FileSet.of(Map.of()));
        ConfigDiff diff = ConfigDiff.between(before, files);
        if (current.isPresent() && diff.isEmpty() && restoredFrom.isEmpty()) {
            return new Outcome(Optional.empty(), current.get().number(), diff, List.of());
        }
        ConfigReport report = check.check(files, shownAs);
        List<ConfigProblem> errors = report.errors();
        if (!errors.isEmpty()) {
            throw new GatewayException(
                    ErrorCode.CONFIG_REFUSED,
                    errors.size() + (errors.size() == 1 ? " problem" : " problems")
                            + " in the configuration: the change is refused and nothing was stored",
                    errors.stream().map(ConfigProblem::toString).toList());
        }
        Map<String, String> entry = new LinkedHashMap<>(detail);
        entry.putAll(diff.counts());
        OptionalInt expected = current.map(v -> OptionalInt.of(v.number())).orElse(OptionalInt.empty());
        VersionInfo stored = versions.store(files, expected, actor, comment, restoredFrom, action, entry);
        return new Outcome(Optional.of(stored), stored.number(), diff, report.warnings());
    }

    private static GatewayException noVersion() {
        return new GatewayException(
                ErrorCode.NOT_FOUND,
                "no configuration version yet: start the gateway once, or" + " run `gateway config apply`");
    }
}
