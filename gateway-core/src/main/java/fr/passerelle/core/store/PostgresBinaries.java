package fr.passerelle.core.store;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.crypto.Sha256;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The PostgreSQL programs of the embedded database, unpacked from the binaries jar into a folder of the gateway's
 * data folder that only its owner can enter (0700), never into a shared temporary folder where another local user
 * could replace them before they run.
 *
 * <p>The folder holds {@code .complete}, the SHA-256 of the archive it came from, written last: a folder without
 * it, or from another archive (a new release), is unpacked again, beside, then swapped in. Within one process a
 * second data folder gets hard links to the files of the first instead of a second unpacking (tests open many): the
 * first unpacking is also linked into a private (0700) temporary folder of this process, removed at exit, so that
 * deleting the first data folder does not force the next one to unpack again.
 */
final class PostgresBinaries {
    static final String COMPLETE = ".complete";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");
    /** A folder already unpacked in this process, per archive digest, to link from. */
    private static final Map<String, Path> UNPACKED = new HashMap<>();

    private static Path shadow;

    private PostgresBinaries() {}

    /** The folder, unpacked if needed, whose {@code bin/} holds initdb, pg_ctl and postgres. */
    static synchronized Path prepare(Path folder) throws IOException {
        byte[] archive = archive();
        String digest = Sha256.hex(archive);
        if (complete(folder, digest)) {
            restrict(folder);
            remember(digest, folder);
            return folder;
        }
        Path staging = folder.resolveSibling(folder.getFileName() + ".partial");
        deleteTree(staging);
        Files.createDirectories(staging.getParent());
        Files.createDirectory(staging, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Path earlier = UNPACKED.get(digest);
        if (earlier == null || !complete(earlier, digest) || !linked(earlier, staging)) {
            unpack(archive, staging);
        }
        Files.writeString(staging.resolve(COMPLETE), digest, StandardCharsets.US_ASCII);
        deleteTree(folder);
        Files.move(staging, folder, StandardCopyOption.ATOMIC_MOVE);
        restrict(folder);
        remember(digest, folder);
        return folder;
    }

    /** Keeps hard links to the folder's files in this process's own temporary folder, when the file system allows. */
    private static void remember(String digest, Path folder) throws IOException {
        Path earlier = UNPACKED.get(digest);
        if (earlier != null && complete(earlier, digest)) {
            return;
        }
        UNPACKED.put(digest, folder);
        if (shadow == null) {
            shadow =
                    Files.createTempDirectory("passerelle-postgres-", PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Path created = shadow;
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                try {
                                    deleteTree(created);
                                } catch (IOException e) {
                                    // The JVM is exiting: a private temporary folder is all that is left behind.
                                }
                            },
                            "postgres-binaries-cleaner"));
        }
        Path copy = shadow.resolve(digest);
        deleteTree(copy);
        Files.createDirectory(copy, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        if (linked(folder, copy)) {
            Files.writeString(copy.resolve(COMPLETE), digest, StandardCharsets.US_ASCII);
            UNPACKED.put(digest, copy);
        }
    }

    private static boolean complete(Path folder, String digest) throws IOException {
        Path marker = folder.resolve(COMPLETE);
        return Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)
                && Files.readString(marker, StandardCharsets.US_ASCII).strip().equals(digest);
    }

    /** Owner only, whatever the umask or an earlier release left. */
    private static void restrict(Path folder) throws IOException {
        Files.setPosixFilePermissions(folder, OWNER_ONLY);
    }

    private static byte[] archive() throws IOException {
        if (!onClassPath()) {
            throw notInThisArtifact();
        }
        InputStream found;
        try {
            found = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system(), architecture());
        } catch (IllegalStateException e) {
            throw notInThisArtifact();
        }
        try (InputStream in = found) {
            return in.readAllBytes();
        }
    }

    /**
     * Whether an archive the resolver could pick is on the class path: its own name for this system, its
     * distribution's (Alpine), or the x86_64 one it falls back to. The production jar carries none (issue 17).
     */
    private static boolean onClassPath() {
        ClassLoader loader = PostgresBinaries.class.getClassLoader();
        String system = system().toLowerCase(Locale.ROOT);
        for (String arch : List.of(architecture(), "x86_64")) {
            for (String suffix : List.of("", "-alpine_linux")) {
                if (loader.getResource("postgres-" + system + "-" + arch + suffix + ".txz") != null) {
                    return true;
                }
            }
        }
        return false;
    }

    private static GatewayException notInThisArtifact() {
        return new GatewayException(
                ErrorCode.STORE_FAILED,
                "the embedded PostgreSQL is not part of this artifact (no"
                        + " PostgreSQL programs for " + system() + " " + architecture() + " on its class path): set"
                        + " database.url of gateway.yaml, or GATEWAY_DATABASE_URL, to a PostgreSQL server (docs/DATABASE.md),"
                        + " or run passerelle-tools.jar for a trial on the embedded database");
    }

    private static String system() {
        String name = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (name.startsWith("mac") || name.startsWith("darwin")) {
            return "Darwin";
        }
        return name.startsWith("windows") ? "Windows" : "Linux";
    }

    private static String architecture() {
        String arch = System.getProperty("os.arch", "");
        return "amd64".equals(arch) ? "x86_64" : arch;
    }

    private static void unpack(byte[] archive, Path target) throws IOException {
        try (TarArchiveInputStream tar =
                new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path path = inside(target, entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Path link = Path.of(entry.getLinkName());
                    inside(
                            target,
                            target.relativize(path.getParent().resolve(link)).toString());
                    Files.createSymbolicLink(path, link);
                } else if (entry.isLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createLink(path, inside(target, entry.getLinkName()));
                } else if (entry.isFile()) {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path);
                    // The archive's owner bits; group and others get nothing.
                    int mode = (entry.getMode() & 0700) | 0400;
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(ownerBits(mode)));
                } else {
                    throw new IOException("unexpected entry " + entry.getName() + " in the PostgreSQL archive");
                }
            }
        }
    }

    private static String ownerBits(int mode) {
        return ((mode & 0400) != 0 ? "r" : "-") + ((mode & 0200) != 0 ? "w" : "-") + ((mode & 0100) != 0 ? "x" : "-")
                + "------";
    }

    /** The entry's place under the target, refusing any name that would leave it. */
    private static Path inside(Path target, String name) throws IOException {
        Path path = target.resolve(name).normalize();
        if (!path.startsWith(target)) {
            throw new IOException("entry " + name + " of the PostgreSQL archive points outside its folder");
        }
        return path;
    }

    /** Hard links to an earlier unpacking; false, with the staging folder emptied, when the file system refuses. */
    private static boolean linked(Path from, Path staging) throws IOException {
        try {
            linkTree(from, staging);
            return true;
        } catch (IOException e) {
            deleteTree(staging);
            Files.createDirectory(staging, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            return false;
        }
    }

    private static void linkTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(from)) {
                    Files.createDirectory(to.resolve(from.relativize(dir)));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path copy = to.resolve(from.relativize(file));
                if (attrs.isSymbolicLink()) {
                    Files.createSymbolicLink(copy, Files.readSymbolicLink(file));
                } else if (!file.getFileName().toString().equals(COMPLETE)) {
                    Files.createLink(copy, file);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
