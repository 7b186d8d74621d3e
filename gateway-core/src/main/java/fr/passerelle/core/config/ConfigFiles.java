package fr.passerelle.core.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where the versioned files of a configuration come from ({@code partners/*.yaml}, {@code partners/*.pem},
 * {@code routes.yaml}, {@code admins/*.yaml}; gateway.yaml is always a file): a folder on disk, or a map of names
 * to texts held in memory, such as a configuration version read from the database. Names are relative, with
 * {@code /} separators ({@code partners/siao-75.yaml}). Problems name a file as {@link #path(String)} shows it,
 * so that a version in memory is reported with the same file names, lines and fixes as the folder it came from.
 * Immutable and thread-safe.
 */
public final class ConfigFiles {
    private final Path shownAs;
    private final Optional<Path> folder;
    /** In memory, every file; on disk, the texts that replace or add to the folder's (development pins). */
    private final SortedMap<String, String> texts;

    private ConfigFiles(Path shownAs, Optional<Path> folder, Map<String, String> texts) {
        this.shownAs = Objects.requireNonNull(shownAs, "shownAs");
        this.folder = folder;
        this.texts = new TreeMap<>(texts);
    }

    /** The files of a folder on disk, read when the loader asks for them. */
    public static ConfigFiles folder(Path dir) {
        return folder(dir, Map.of());
    }

    /**
     * The files of a folder on disk, with some replaced or added in memory: the folder with its development pins
     * overlaid ({@link DevelopmentPins#overlay(Path)}).
     */
    public static ConfigFiles folder(Path dir, Map<String, String> overlay) {
        Path absolute = dir.toAbsolutePath().normalize();
        return new ConfigFiles(absolute, Optional.of(absolute), overlay);
    }

    /**
     * Files held in memory.
     *
     * @param texts   file name (relative, such as {@code routes.yaml}) to its text
     * @param shownAs the folder that problems put before a file's name: the folder the files were read from, or
     *                the empty path to show bare names ({@code partners/siao-75.yaml})
     */
    public static ConfigFiles of(Map<String, String> texts, Path shownAs) {
        texts.keySet().forEach(name -> {
            if (name.startsWith("/") || name.contains("..") || name.contains("\\")) {
                throw new IllegalArgumentException(
                        "file name '" + name + "' (expected: a relative name such as" + " partners/siao-75.yaml)");
            }
        });
        return new ConfigFiles(shownAs, Optional.empty(), texts);
    }

    /** What problems call the file {@code name}. */
    Path path(String name) {
        return shownAs.resolve(name);
    }

    /** Whether {@code dir} (such as {@code partners}) exists: in memory, whether a file lies in it. */
    boolean isFolder(String dir) {
        if (folder.isPresent()) {
            return Files.isDirectory(folder.get().resolve(dir));
        }
        return texts.keySet().stream().anyMatch(name -> name.startsWith(dir + "/"));
    }

    /**
     * The names of the regular files directly in {@code dir}, sorted; empty when it cannot be listed (reported as
     * an error naming {@code what}).
     */
    List<String> list(String dir, String what, Problems problems) {
        List<String> names = new ArrayList<>();
        if (folder.isEmpty()) {
            texts.keySet().stream()
                    .filter(name -> name.startsWith(dir + "/") && name.indexOf('/', dir.length() + 1) < 0)
                    .forEach(names::add);
            return names;
        }
        try (DirectoryStream<Path> entries =
                Files.newDirectoryStream(folder.get().resolve(dir))) {
            for (Path entry : entries) {
                if (Files.isRegularFile(entry) || entry.getFileName().toString().endsWith(".yml")) {
                    names.add(dir + "/" + entry.getFileName());
                }
            }
            texts.keySet().stream()
                    .filter(name -> name.startsWith(dir + "/")
                            && !names.contains(name)
                            && name.indexOf('/', dir.length() + 1) < 0)
                    .forEach(names::add);
        } catch (IOException e) {
            problems.error(
                    path(dir),
                    0,
                    what + " folder cannot be listed (" + e.getClass().getSimpleName() + ")",
                    "check that the gateway's user may read it");
        }
        names.sort(null);
        return names;
    }

    boolean exists(String name) {
        return texts.containsKey(name)
                || folder.map(dir -> Files.exists(dir.resolve(name))).orElse(false);
    }

    /** The text of {@code name}; a missing, unreadable or non-UTF-8 file is reported and gives empty. */
    Optional<String> text(String name, Problems problems) {
        if (folder.isPresent() && !texts.containsKey(name)) {
            return readText(folder.get().resolve(name), problems);
        }
        String text = texts.get(name);
        if (text == null) {
            problems.error(
                    path(name),
                    0,
                    "file not found",
                    "create it, or point GATEWAY_CONFIG at the right" + " gateway.yaml");
        }
        return Optional.ofNullable(text);
    }

    /** The bytes of {@code name}, which {@link #exists(String)}. */
    byte[] bytes(String name) throws IOException {
        if (folder.isPresent() && !texts.containsKey(name)) {
            return Files.readAllBytes(folder.get().resolve(name));
        }
        String text = texts.get(name);
        if (text == null) {
            throw new NoSuchFileException(name);
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Reads a file of the disk as UTF-8, reporting a missing, unreadable or non-UTF-8 one. */
    static Optional<String> readText(Path file, Problems problems) {
        try {
            return Optional.of(StandardCharsets.UTF_8
                    .newDecoder()
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString());
        } catch (NoSuchFileException e) {
            problems.error(file, 0, "file not found", "create it, or point GATEWAY_CONFIG at the right gateway.yaml");
        } catch (CharacterCodingException e) {
            problems.error(file, 0, "file is not valid UTF-8", "save it as UTF-8");
        } catch (IOException e) {
            problems.error(
                    file,
                    0,
                    "file cannot be read (" + e.getClass().getSimpleName() + ")",
                    "check that the gateway's user may read it");
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return folder.map(
                        dir -> "ConfigFiles[" + dir + (texts.isEmpty() ? "" : ", " + texts.size() + " overlaid") + "]")
                .orElse("ConfigFiles[" + texts.size() + " in memory]");
    }
}
