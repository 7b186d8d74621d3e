package fr.passerelle.core.config.versions;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One configuration version, without its files: who stored it, when and why.
 *
 * @param number       1, 2, 3...: the order in which versions became current
 * @param parent       the version it replaced; empty for version 1
 * @param appliedBy    {@code cli:<user>}, {@code admin:<id>} or {@code gateway} (the first start)
 * @param comment      why, as its author wrote it; possibly empty
 * @param restoredFrom for a rollback, the earlier version whose files it holds
 * @param digest       SHA-256 of its files, hex
 * @param files        how many files it holds
 */
public record VersionInfo(
        int number,
        Optional<Integer> parent,
        String appliedBy,
        Instant appliedAt,
        String comment,
        Optional<Integer> restoredFrom,
        String digest,
        int files) {
    public VersionInfo {
        if (number < 1) {
            throw new IllegalArgumentException("number " + number + " (expected: 1 or more)");
        }
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(appliedBy, "appliedBy");
        Objects.requireNonNull(appliedAt, "appliedAt");
        Objects.requireNonNull(comment, "comment");
        Objects.requireNonNull(restoredFrom, "restoredFrom");
        Objects.requireNonNull(digest, "digest");
    }
}
