package fr.passerelle.core.config.versions;

import java.util.Objects;

/** A configuration version with its files. */
public record ConfigVersion(VersionInfo info, FileSet files) {
    public ConfigVersion {
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(files, "files");
    }

    public int number() {
        return info.number();
    }
}
