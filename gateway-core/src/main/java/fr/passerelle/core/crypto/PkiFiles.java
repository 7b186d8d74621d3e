package fr.passerelle.core.crypto;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Writes the files of the PKI: public ones plainly, secret ones readable by their owner alone. */
final class PkiFiles {
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private PkiFiles() {}

    /** Writes {@code content} to {@code file}, replacing it, with the default permissions. */
    static void writePublic(Path file, byte[] content) {
        try {
            createParent(file);
            Files.write(file, content);
        } catch (IOException e) {
            throw cannotWrite(file, e);
        }
    }

    /**
     * Writes {@code content} to {@code file}, replacing it, with permissions 0600 where the file system has POSIX
     * permissions. The content goes to a fresh owner-only file first, then is moved into place, so that a secret
     * is never readable by others, not even for a moment and not when an older file had looser permissions.
     */
    static void writeSecret(Path file, byte[] content) {
        Path tmp = null;
        try {
            Path dir = createParent(file);
            boolean posix = Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
            tmp = posix
                    ? Files.createTempFile(dir, ".pki-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                    : Files.createTempFile(dir, ".pki-", ".tmp");
            Files.write(tmp, content);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw cannotWrite(file, e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    private static Path createParent(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        return dir;
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp == null) {
            return;
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // The write already failed and says so; a stray temporary file is the lesser problem.
        }
    }

    private static GatewayException cannotWrite(Path file, IOException e) {
        return new GatewayException(
                ErrorCode.PKI_FAILED,
                file + ": cannot be written (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                        + "; expected: a writable directory)",
                e);
    }
}
