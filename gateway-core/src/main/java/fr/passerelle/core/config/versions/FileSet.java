package fr.passerelle.core.config.versions;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.ConfigFiles;
import fr.passerelle.core.config.DevelopmentPins;
import fr.passerelle.core.crypto.Sha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The versioned files of a configuration, name to text: {@code partners/<id>.yaml}, {@code partners/<id>.pem},
 * {@code routes.yaml} and {@code admins/<id>.yaml}. gateway.yaml is not one of them: it holds each machine's own
 * settings (ports, database, keys). Immutable; a change is a new set.
 *
 * @param files by name, such as {@code partners/siao-75.yaml}; texts hold no NUL character
 */
public record FileSet(SortedMap<String, String> files) {
    /** The names a file set may hold. */
    public static final Pattern NAME = Pattern.compile(
            "routes\\.yaml|partners/[A-Za-z0-9][A-Za-z0-9._-]*\\.(yaml|pem)|admins/[A-Za-z0-9][A-Za-z0-9._-]*\\.yaml");

    public FileSet {
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
        files.forEach((name, text) -> {
            if (!NAME.matcher(name).matches()) {
                throw new GatewayException(
                        ErrorCode.REQUEST_INVALID,
                        "file name '" + shown(name) + "' is not one of"
                                + " a configuration version (expected: routes.yaml, partners/<id>.yaml, partners/<id>.pem or"
                                + " admins/<id>.yaml)");
            }
            if (text.indexOf('\0') >= 0) {
                throw new GatewayException(ErrorCode.REQUEST_INVALID, name + " holds a NUL character (expected: text)");
            }
        });
    }

    public static FileSet of(Map<String, String> files) {
        return new FileSet(new TreeMap<>(files));
    }

    /**
     * The versioned files of a configuration folder (the one that holds gateway.yaml); anything else in it
     * (gateway.yaml, schemas, samples, {@code *.yml}) is left out.
     *
     * @throws GatewayException {@code config_invalid} when a file cannot be read or is not UTF-8
     */
    public static FileSet read(Path configDir) {
        SortedMap<String, String> files = new TreeMap<>();
        add(configDir, "routes.yaml", files);
        for (String folder : List.of("partners", "admins")) {
            Path dir = configDir.resolve(folder);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path entry : entries.filter(Files::isRegularFile).toList()) {
                    String name = folder + "/" + entry.getFileName();
                    if (NAME.matcher(name).matches()) {
                        add(configDir, name, files);
                    }
                }
            } catch (IOException e) {
                throw new GatewayException(
                        ErrorCode.CONFIG_INVALID,
                        dir + " cannot be listed (" + e.getClass().getSimpleName() + ")",
                        e);
            }
        }
        return new FileSet(files);
    }

    /**
     * The versioned files of a configuration folder as the gateway reads it: with the development pins of its PKI
     * folder overlaid on the entries that pin no certificate, so that a version made from config/ after
     * {@code pki init} holds the pins, and config/ does not differ from that version.
     *
     * @throws GatewayException {@code config_invalid} when a file cannot be read or is not UTF-8
     */
    public static FileSet read(Path configDir, DevelopmentPins pins) {
        SortedMap<String, String> files = new TreeMap<>(read(configDir).files());
        files.putAll(pins.overlay(configDir));
        return new FileSet(files);
    }

    private static void add(Path configDir, String name, SortedMap<String, String> files) {
        Path file = configDir.resolve(name);
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            files.put(
                    name,
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                            .toString());
        } catch (CharacterCodingException e) {
            throw new GatewayException(ErrorCode.CONFIG_INVALID, file + " is not valid UTF-8 (save it as UTF-8)");
        } catch (IOException e) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    file + " cannot be read (" + e.getClass().getSimpleName() + ")",
                    e);
        }
    }

    /**
     * Writes the files into {@code dir}, creating folders as needed. With {@code prune}, versioned files of
     * {@code dir} that this set does not hold are deleted, so that the folder is this set; other files stay.
     *
     * @return the files written
     * @throws GatewayException {@code config_invalid} when a file cannot be written or deleted
     */
    public List<Path> write(Path dir, boolean prune) {
        List<Path> written = new ArrayList<>();
        try {
            if (prune) {
                for (String name : read(dir).files().keySet()) {
                    if (!files.containsKey(name)) {
                        Files.delete(dir.resolve(name));
                    }
                }
            }
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path target = dir.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
                written.add(target);
            }
        } catch (IOException e) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "cannot write the configuration into " + dir + " ("
                            + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
                    e);
        }
        return written;
    }

    /** SHA-256 over every name and text, hex: equal sets, equal digests. */
    public String digest() {
        MessageDigest sha256 = Sha256.newDigest();
        files.forEach((name, text) -> {
            sha256.update(name.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            sha256.update(text.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
        });
        return HexFormat.of().formatHex(sha256.digest());
    }

    public Optional<String> text(String name) {
        return Optional.ofNullable(files.get(name));
    }

    /** This set with {@code name} added or replaced. */
    public FileSet with(String name, String text) {
        SortedMap<String, String> copy = new TreeMap<>(files);
        copy.put(name, text);
        return new FileSet(copy);
    }

    /** This set without {@code name} (unchanged when it has none). */
    public FileSet without(String name) {
        SortedMap<String, String> copy = new TreeMap<>(files);
        copy.remove(name);
        return new FileSet(copy);
    }

    /** The files, for the loader, named in its problems as {@code shownAs/<name>}. */
    public ConfigFiles source(Path shownAs) {
        return ConfigFiles.of(files, shownAs);
    }

    @Override
    public String toString() {
        return "FileSet[" + files.size() + " files, " + digest().substring(0, 12) + "]";
    }

    private static String shown(String name) {
        String cut = name.length() > 80 ? name.substring(0, 80) + "…" : name;
        return cut.replaceAll("[^A-Za-z0-9._/-]", "?");
    }
}
