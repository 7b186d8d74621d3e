package fr.passerelle.core.store;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.referral.ReferralId;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The purge log: one line per referral whose content the gateway erased, {@code <referral id> <time> <reason>},
 * appended and forced to disk after the erasure commits. It lives outside the database and its backups (by default
 * beside the master key file, {@code keys.purge_log} of gateway.yaml): after restoring a backup, {@code gateway
 * restore} erases again what the log lists, so that nothing erased comes back (retention purges would recur by
 * themselves; consent withdrawals and erasure orders would not). It holds ids, times and reason codes only.
 * Thread-safe; instances that share the file on a network volume append under an exclusive file lock, so that
 * their lines never mix.
 */
public final class PurgeLog {
    /**
     * One monitor per file for this process: a file lock belongs to the process, and the JVM refuses a second lock
     * of the same file from another channel, so logs of one file in one process take turns here first.
     */
    private static final java.util.concurrent.ConcurrentMap<Path, Object> IN_PROCESS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final Path file;
    private final Object turn;

    public PurgeLog(Path file) {
        this.file = Objects.requireNonNull(file, "file");
        this.turn = IN_PROCESS.computeIfAbsent(file.toAbsolutePath().normalize(), f -> new Object());
    }

    public Path file() {
        return file;
    }

    /** Appends one line under an exclusive lock of the file and forces it to disk. */
    public void append(ReferralId id, Instant at, String reason) {
        synchronized (turn) {
            appendLocked(id, at, reason);
        }
    }

    private void appendLocked(ReferralId id, Instant at, String reason) {
        String line = id + " " + at + " " + reason + "\n";
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            try (FileChannel channel = FileChannel.open(
                            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                    java.nio.channels.FileLock lock = channel.lock()) {
                channel.write(java.nio.ByteBuffer.wrap(line.getBytes(StandardCharsets.US_ASCII)));
                channel.force(true);
            }
        } catch (IOException e) {
            throw new GatewayException(
                    ErrorCode.INTERNAL,
                    "cannot append to the purge log " + file + ": "
                            + e.getMessage()
                            + "; the erasure itself is committed, but a restored backup would bring referral "
                            + id + " back unless the log is repaired",
                    e);
        }
    }

    /**
     * The referral ids the log lists, each once, in order.
     *
     * @throws GatewayException {@code config_invalid} when the file cannot be read or a line is not
     *                          {@code <uuid> <time> <reason>}, naming the line
     */
    public List<ReferralId> ids() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "cannot read the purge log " + file + ": " + e.getMessage()
                            + " (expected: the purge.log kept beside the master key file)",
                    e);
        }
        Set<ReferralId> ids = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                ids.add(ReferralId.parse(line.split(" ", 2)[0]));
            } catch (GatewayException e) {
                throw new GatewayException(
                        ErrorCode.CONFIG_INVALID,
                        file + ":" + (i + 1) + ": not a purge log line" + " (expected: <referral id> <time> <reason>)");
            }
        }
        return new ArrayList<>(ids);
    }
}
