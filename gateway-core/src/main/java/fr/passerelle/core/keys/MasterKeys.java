package fr.passerelle.core.keys;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The gateway's master keys: a key ring read from a key file, whose last key is the current one. Master keys
 * never enter the database; they only wrap the per-payload data keys (see {@link PayloadCipher}).
 *
 * <p><b>File format.</b> UTF-8 text, one key per line: {@code <key-id> <base64 of 32 random bytes>}, the two
 * fields separated by spaces or tabs. Blank lines and lines starting with {@code #} are ignored. Key ids are
 * {@code mk-YYYYMMDD-<6 lowercase hex digits>} (the UTC day the key was made and a random suffix) and appear
 * once. The <b>last</b> key is the current one: new data keys are wrapped under it; earlier keys only unwrap
 * data keys stored before a rotation. Where the file system has POSIX permissions the file must be
 * {@code 0600}: a file open to others is refused, and so is one open to its group, unless root owns it (PostgreSQL's
 * rule for its key files): a Kubernetes Secret mounted for the gateway's group is {@code root}, {@code 0440}.
 *
 * <pre>
 * # Passerelle master keys ...
 * mk-20250711-3fa9c2 q0h0kM1...base64...=
 * mk-20260102-a71e04 Zx8Vb2c...base64...=
 * </pre>
 *
 * <p>Instances are immutable and thread-safe. The file operations ({@link #create}, {@link #addKey},
 * {@link #retire}) write a temporary file in the same folder and move it over the key file atomically, holding
 * an exclusive lock on {@code <file>.lock}, so that a reader never sees a half-written file and two
 * administrators never lose each other's key. Every failure is a {@link GatewayException} {@code config_invalid}
 * whose message names the file (and the line) and never shows key material; {@link #toString()} shows key ids
 * only.
 */
public final class MasterKeys {
    /** Length of a master key in bytes: AES-256. */
    public static final int KEY_BYTES = 32;

    private static final Pattern ID = Pattern.compile("mk-\\d{8}-[0-9a-f]{6}");
    private static final Pattern FIELDS = Pattern.compile("[ \\t]+");
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> ROOT_AND_GROUP = PosixFilePermissions.fromString("rw-r-----");
    private static final String HEADER =
            """
            # Passerelle master keys. Keep this file secret, at mode 0600, outside the database and its backups.
            # Format: one key per line, "<key-id> <base64 of 32 random bytes>"; blank lines and # comments are
            # ignored. Key ids are mk-YYYYMMDD-<6 hex digits>. The LAST key is the current one: new data keys are
            # wrapped under it, earlier keys only unwrap data stored before a rotation.
            # Add a key with `gateway keys rotate`; retire an old one only once no stored data uses it.
            """;

    /** Serialises this process's changes; the file lock serialises processes (it is held per JVM, not thread). */
    private static final Object LOCAL_LOCK = new Object();

    private final Map<String, SecretKey> keys;
    private final List<String> order;
    private final String currentId;

    private MasterKeys(Map<String, SecretKey> keys) {
        this.keys = Map.copyOf(keys);
        this.order = List.copyOf(keys.keySet());
        this.currentId = order.get(order.size() - 1);
    }

    /**
     * Reads a key file.
     *
     * @throws GatewayException {@code config_invalid} when the file is missing, unreadable, open to group or
     *                          others, holds no key, or has a malformed line, a bad key id, a duplicate id or a
     *                          key that is not 32 bytes; the message names the file and line
     */
    public static MasterKeys load(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.exists(file)) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "no master key file at " + file + "; create one"
                            + " with `gateway keys init` or point keys.file / GATEWAY_MASTER_KEYS at it");
        }
        checkPermissions(file);
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "cannot read master key file " + file + ": " + e.getClass().getSimpleName(),
                    e);
        }
        return parse(file, lines);
    }

    /**
     * Makes a new key file holding one fresh key, readable by its owner only; creates missing parent folders.
     *
     * @throws GatewayException {@code config_invalid} when the file already exists (it is never overwritten: it
     *                          may hold the only keys that unwrap stored data) or cannot be written
     */
    public static MasterKeys create(Path file, Clock clock) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(clock, "clock");
        return underLock(file, () -> {
            if (Files.exists(file)) {
                throw new GatewayException(
                        ErrorCode.CONFIG_INVALID,
                        "master key file " + file + " already exists;"
                                + " refusing to overwrite it (it may hold the keys of stored data)");
            }
            String id = newId(clock, Set.of());
            write(file, HEADER + line(id, freshKey()), false);
            return load(file);
        });
    }

    /**
     * Appends a fresh key to the file, which becomes the current one, and returns the new ring. The file must
     * still hold exactly this ring's keys: another change in between is refused rather than overwritten.
     *
     * @throws GatewayException {@code config_invalid} when the file changed since this ring was read, or cannot be
     *                          read or written
     */
    public MasterKeys addKey(Path file, Clock clock) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(clock, "clock");
        return underLock(file, () -> {
            String text = unchangedText(file);
            String id = newId(clock, keys.keySet());
            write(file, (text.isEmpty() || text.endsWith("\n") ? text : text + "\n") + line(id, freshKey()), true);
            return load(file);
        });
    }

    /**
     * Removes a key from the file and returns the new ring; comments and the other keys stay as they are.
     *
     * @param stillWrapped how many stored data keys are still wrapped under {@code keyId} (see
     *                     {@link KeyRotation#usage}); the key is retired only when this is 0
     * @throws GatewayException {@code config_invalid} when the key is unknown, is the current key, still wraps
     *                          data, or the file changed since this ring was read
     */
    public MasterKeys retire(Path file, String keyId, long stillWrapped) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(keyId, "keyId");
        if (!keys.containsKey(keyId)) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "no master key " + safeId(keyId) + " in " + file + " (known: " + String.join(", ", order) + ")");
        }
        if (keyId.equals(currentId)) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "master key " + keyId + " is the current key of " + file
                            + "; add a new key with `gateway keys rotate` before retiring it");
        }
        if (stillWrapped != 0) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "master key " + keyId + " still wraps "
                            + stillWrapped
                            + " stored data keys (expected: 0); run `gateway keys rotate` to re-wrap them"
                            + " under " + currentId + " first");
        }
        return underLock(file, () -> {
            String text = unchangedText(file);
            StringBuilder kept = new StringBuilder();
            for (String l : text.split("\n", -1)) {
                String[] fields = FIELDS.split(l.strip(), -1);
                if (!fields[0].equals(keyId)) {
                    kept.append(l).append('\n');
                }
            }
            write(file, kept.substring(0, kept.length() - 1), true);
            return load(file);
        });
    }

    /** The id of the current key, the one that wraps new data keys. */
    public String currentId() {
        return currentId;
    }

    /** The current key. */
    SecretKey current() {
        return keys.get(currentId);
    }

    /** The key with this id, if the ring holds it. */
    public Optional<SecretKey> key(String id) {
        return Optional.ofNullable(keys.get(id));
    }

    /** The key ids, in file order: the last one is current. */
    public List<String> ids() {
        return order;
    }

    @Override
    public String toString() {
        return "MasterKeys[current=" + currentId + ", ids=" + order + "]";
    }

    private static MasterKeys parse(Path file, List<String> lines) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String where = file + ":" + (i + 1) + ": ";
            String[] fields = FIELDS.split(l);
            if (fields.length != 2) {
                throw invalid(where + "line has " + fields.length + " fields (expected: `<key-id> <base64 of "
                        + KEY_BYTES + " bytes>`)");
            }
            if (!ID.matcher(fields[0]).matches()) {
                throw invalid(
                        where + "key id " + safeId(fields[0]) + " is not of the form mk-YYYYMMDD-<6 hex" + " digits>");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(fields[1]);
            } catch (IllegalArgumentException e) {
                throw invalid(where + "key " + fields[0] + " is not base64 (expected: base64 of " + KEY_BYTES
                        + " random bytes)");
            }
            if (key.length != KEY_BYTES) {
                throw invalid(
                        where + "key " + fields[0] + " is " + key.length + " bytes (expected: " + KEY_BYTES + ")");
            }
            if (keys.containsKey(fields[0])) {
                throw invalid(where + "key id " + fields[0] + " appears twice (expected: each id once)");
            }
            keys.put(fields[0], new SecretKeySpec(key, "AES"));
        }
        if (keys.isEmpty()) {
            throw invalid("master key file " + file + " holds no key (expected: at least one line `<key-id> <base64"
                    + " of " + KEY_BYTES + " bytes>`)");
        }
        return new MasterKeys(keys);
    }

    /** A key id as an error message may show it: only when it cannot be key material pasted in the wrong field. */
    private static String safeId(String id) {
        return id.length() <= 24 && id.matches("[A-Za-z0-9-]*") ? "'" + id + "'" : "<" + id.length() + " chars>";
    }

    private static void checkPermissions(Path file) {
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (posix == null) {
            return;
        }
        Set<PosixFilePermission> permissions;
        boolean rootOwned;
        try {
            java.nio.file.attribute.PosixFileAttributes attributes = posix.readAttributes();
            permissions = attributes.permissions();
            rootOwned = "root".equals(attributes.owner().getName());
        } catch (IOException e) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "cannot read the permissions of master key file " + file + ": "
                            + e.getClass().getSimpleName(),
                    e);
        }
        if (!(rootOwned ? ROOT_AND_GROUP : OWNER_ONLY).containsAll(permissions)) {
            throw invalid("master key file " + file + " is open to group or others (mode "
                    + PosixFilePermissions.toString(permissions)
                    + ", expected: rw-------, or rw-r----- when root owns it); run `chmod 600 " + file + "`");
        }
    }

    /** The file's text, provided it still holds exactly this ring's key ids in order. */
    private String unchangedText(Path file) {
        MasterKeys onDisk = load(file);
        if (!onDisk.order.equals(order)) {
            throw invalid("master key file " + file + " changed since it was read (now: " + onDisk.order
                    + ", expected: " + order + "); load it again");
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "cannot read master key file " + file + ": " + e.getClass().getSimpleName(),
                    e);
        }
    }

    private static String newId(Clock clock, Set<String> taken) {
        String day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).format(DAY);
        while (true) {
            byte[] suffix = new byte[3];
            RANDOM.nextBytes(suffix);
            String id = "mk-" + day + "-" + HexFormat.of().formatHex(suffix);
            if (!taken.contains(id)) {
                return id;
            }
        }
    }

    private static byte[] freshKey() {
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        return key;
    }

    private static String line(String id, byte[] key) {
        return id + " " + Base64.getEncoder().encodeToString(key) + "\n";
    }

    /** Writes a temporary file readable by its owner only, then moves it over {@code file} atomically. */
    private static void write(Path file, String text, boolean replace) {
        Path dir = file.toAbsolutePath().getParent();
        Path temporary = null;
        try {
            Files.createDirectories(dir);
            boolean posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
            FileAttribute<?>[] attributes = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                    : new FileAttribute<?>[0];
            temporary = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", attributes);
            try (FileChannel channel =
                    FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                channel.write(StandardCharsets.UTF_8.encode(text));
                channel.force(true);
            }
            if (!replace && Files.exists(file)) {
                throw new FileAlreadyExistsException(file.toString());
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            temporary = null;
        } catch (IOException e) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "cannot write master key file " + file + ": " + e.getClass().getSimpleName() + " " + e.getMessage(),
                    e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    // The temporary file holds the same keys as the key file and is owner-only; nothing more to do.
                }
            }
        }
    }

    private interface Change {
        MasterKeys apply();
    }

    /** Runs a change of the key file while holding an exclusive lock on {@code <file>.lock}. */
    private static MasterKeys underLock(Path file, Change change) {
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            synchronized (LOCAL_LOCK) {
                try (FileChannel channel =
                                FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                        FileLock lock = channel.lock()) {
                    return change.apply();
                }
            }
        } catch (NoSuchFileException e) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID, "cannot lock master key file " + file + ": its folder does not exist", e);
        } catch (IOException e) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "cannot lock master key file " + file + " through " + lockFile + ": "
                            + e.getClass().getSimpleName() + " " + e.getMessage(),
                    e);
        }
    }

    private static GatewayException invalid(String message) {
        return new GatewayException(ErrorCode.CONFIG_INVALID, message);
    }
}
