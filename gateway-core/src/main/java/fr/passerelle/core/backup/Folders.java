package fr.passerelle.core.backup;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

/** The files of a backup folder: owner-only, digested with SHA-256. */
final class Folders {
    static final Set<PosixFilePermission> OWNER_ONLY_FOLDER = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    private Folders() {}

    static FileOutputStream createOwnerOnly(Path file) throws IOException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        return new FileOutputStream(file.toFile());
    }

    static void writeOwnerOnly(Path file, byte[] content) throws IOException {
        try (FileOutputStream out = createOwnerOnly(file)) {
            out.write(content);
            out.getFD().sync();
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new GatewayException(ErrorCode.INTERNAL, "this JVM has no SHA-256", e);
        }
    }

    static GatewayException unwritable(Path path, IOException e) {
        return new GatewayException(
                ErrorCode.REQUEST_INVALID,
                "cannot write " + path + ": " + e.getClass().getSimpleName() + " " + e.getMessage()
                        + "; expected: a folder this user may create files in, with room for the backup",
                e);
    }

    /** Removes a staging folder left by a failed backup; what cannot be removed stays, named by nothing. */
    static void deleteQuietly(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover '.<name>.partial-…' folder is harmless: no backup is ever read from it.
        }
    }
}
