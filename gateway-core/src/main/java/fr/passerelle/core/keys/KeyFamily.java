package fr.passerelle.core.keys;

import fr.passerelle.core.GatewayException;
import fr.passerelle.core.referral.Domain;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One master-key family of {@link PayloadCipher}: the key file of a {@link Domain} and the ring last read from it.
 * The file is read again when it changed (modification time, size or identity, checked at most once a second) or
 * on demand; a file that became unreadable or invalid is reported once in the log and the last good ring stays.
 *
 * <p>Thread-safe.
 */
final class KeyFamily {
    private static final Logger log = LoggerFactory.getLogger(KeyFamily.class);
    private static final long CHECK_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Domain domain;
    private final Path file;
    private final LongSupplier nanoTime;
    private volatile State state;

    /** The ring as read, and what the file looked like then. */
    private record State(MasterKeys ring, Optional<FileStamp> stamp, long checkedAt) {}

    private record FileStamp(long modifiedNanos, long size, Object fileKey) {}

    /** @throws GatewayException {@code config_invalid} as {@link MasterKeys#load} when the file cannot be used */
    KeyFamily(Domain domain, Path file, LongSupplier nanoTime) {
        this.domain = Objects.requireNonNull(domain, "domain");
        this.file = Objects.requireNonNull(file, "file");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        Optional<FileStamp> stamp = stamp();
        this.state = new State(MasterKeys.load(file), stamp, nanoTime.getAsLong());
    }

    Domain domain() {
        return domain;
    }

    Path file() {
        return file;
    }

    /** The ring as last read, without looking at the file. */
    MasterKeys last() {
        return state.ring();
    }

    /** The ring, read again first if the file changed and the last check is more than a second old. */
    MasterKeys fresh() {
        State current = state;
        if (nanoTime.getAsLong() - current.checkedAt() < CHECK_INTERVAL_NANOS) {
            return current.ring();
        }
        Optional<FileStamp> stamp = stamp();
        if (stamp.equals(current.stamp())) {
            state = new State(current.ring(), current.stamp(), nanoTime.getAsLong());
            return current.ring();
        }
        return reload();
    }

    /** The ring read from the file now, whatever the time since the last check. */
    synchronized MasterKeys reload() {
        State previous = state;
        Optional<FileStamp> stamp = stamp();
        try {
            MasterKeys ring = MasterKeys.load(file);
            if (!ring.ids().equals(previous.ring().ids())) {
                log.info(
                        "Master keys ({}) reloaded from {}: current {}, ids {}",
                        domain,
                        file,
                        ring.currentId(),
                        ring.ids());
            }
            state = new State(ring, stamp, nanoTime.getAsLong());
            return ring;
        } catch (GatewayException e) {
            if (!stamp.equals(previous.stamp())) {
                log.warn(
                        "Keeping master keys ({}) {}: {}",
                        domain,
                        previous.ring().ids(),
                        e.getMessage());
            }
            state = new State(previous.ring(), stamp, nanoTime.getAsLong());
            return previous.ring();
        }
    }

    private Optional<FileStamp> stamp() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return Optional.of(new FileStamp(
                    attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS), attributes.size(), attributes.fileKey()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return domain + ": " + file + ", " + state.ring();
    }
}
