package fr.passerelle.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.partner.PartnerId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The fingerprints that {@code pki init} pins, kept in the PKI folder ({@code <pki.dir>/pins.yaml}) rather than
 * written into config/, so that a development PKI leaves the tracked configuration as it was. Overlaid on the
 * configuration read from a folder: an entry of {@code partners/} or {@code admins/} whose
 * {@code certificate.sha256} is empty gets the fingerprint pinned for it, exactly as if it were written in the file
 * (same lines, so problems keep their line numbers), and a partner pinned so gets its certificate from
 * {@code <pki.dir>/partners/<id>.pem} when config/ has none. An entry that pins a fingerprint itself is never
 * overlaid. Immutable and thread-safe.
 */
public final class DevelopmentPins {
    /** The file's name in the PKI folder. */
    public static final String FILE = "pins.yaml";

    private static final ObjectMapper YAML = new ObjectMapper(YamlFile.FACTORY);
    private static final DevelopmentPins NONE = new DevelopmentPins(Path.of(""), Map.of());

    private final Path pkiDir;
    /** By configuration file name ({@code partners/siao-75.yaml}, {@code admins/admin.yaml}), upper case. */
    private final SortedMap<String, String> fingerprints;

    private DevelopmentPins(Path pkiDir, Map<String, String> fingerprints) {
        this.pkiDir = Objects.requireNonNull(pkiDir, "pkiDir");
        this.fingerprints = new TreeMap<>(fingerprints);
    }

    /** No pins: the configuration as its files say. */
    public static DevelopmentPins none() {
        return NONE;
    }

    /**
     * The pins of the PKI folder that gateway.yaml names (with the environment's {@code GATEWAY_PKI_DIR}); none
     * when gateway.yaml cannot be read (the configuration check reports why) or the folder has no pins file.
     *
     * @throws GatewayException {@code config_invalid} when the pins file is malformed
     */
    public static DevelopmentPins of(Path gatewayYaml, Map<String, String> env) {
        Path pkiDir;
        try {
            pkiDir = ConfigLoader.settings(gatewayYaml, env).pkiDir();
        } catch (GatewayException e) {
            return NONE;
        }
        return read(pkiDir);
    }

    /**
     * The pins of a PKI folder; none when it has no pins file.
     *
     * @throws GatewayException {@code config_invalid} when the file cannot be read or is malformed
     */
    public static DevelopmentPins read(Path pkiDir) {
        Path file = pkiDir.resolve(FILE);
        JsonNode root;
        try {
            root = YAML.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return NONE;
        } catch (IOException e) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "cannot read the development pins " + file + " ("
                            + e.getClass().getSimpleName() + "); run `gateway pki init --force` to write it again",
                    e);
        }
        Map<String, String> fingerprints = new TreeMap<>();
        for (String folder : new String[] {"partners", "admins"}) {
            JsonNode section = root == null ? null : root.get(folder);
            if (section == null || section.isNull()) {
                continue;
            }
            Iterator<Map.Entry<String, JsonNode>> entries = section.fields();
            while (entries.hasNext()) {
                Map.Entry<String, JsonNode> entry = entries.next();
                String fingerprint = entry.getValue().asText("");
                if (!entry.getKey().matches("[A-Za-z0-9][A-Za-z0-9._-]*")
                        || !PartnerReader.FINGERPRINT.matcher(fingerprint).matches()) {
                    throw new GatewayException(
                            ErrorCode.CONFIG_INVALID,
                            file + ": " + folder + "." + entry.getKey()
                                    + " is not a pin (expected: <id>: \"AA:BB:...\", 32 hex pairs); run `gateway pki init"
                                    + " --force` to write it again");
                }
                fingerprints.put(folder + "/" + entry.getKey() + ".yaml", fingerprint.toUpperCase(Locale.ROOT));
            }
        }
        return new DevelopmentPins(pkiDir, fingerprints);
    }

    /**
     * Writes the pins file of a PKI folder, replacing any earlier one.
     *
     * @param partners each partner's fingerprint
     * @param admins   each administrator's fingerprint, by id
     * @throws GatewayException {@code pki_failed} when the file cannot be written
     */
    public static Path write(Path pkiDir, Map<PartnerId, String> partners, Map<String, String> admins) {
        StringBuilder text = new StringBuilder(
                """
                # Written by `gateway pki init`: the fingerprints of the development certificates of this folder. The
                # gateway reads them as if they were written in the entries of config/partners/ and config/admins/ whose
                # certificate.sha256 is empty (never over one that pins a certificate), with each partner's
                # certificate from partners/<id>.pem here. Delete this file to forget them.
                """);
        text.append("partners:").append(partners.isEmpty() ? " {}\n" : "\n");
        new TreeMap<>(partners).forEach((id, fingerprint) -> text.append("  ")
                .append(id.value())
                .append(": \"")
                .append(fingerprint.toUpperCase(Locale.ROOT))
                .append("\"\n"));
        text.append("admins:").append(admins.isEmpty() ? " {}\n" : "\n");
        new TreeMap<>(admins).forEach((id, fingerprint) -> text.append("  ")
                .append(id)
                .append(": \"")
                .append(fingerprint.toUpperCase(Locale.ROOT))
                .append("\"\n"));
        Path file = pkiDir.resolve(FILE);
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new GatewayException(
                    ErrorCode.PKI_FAILED,
                    "cannot write the development pins " + file + " ("
                            + e.getClass().getSimpleName() + ")",
                    e);
        }
        return file;
    }

    /**
     * What these pins change in a configuration folder: the overlaid texts of its unpinned entries, and the
     * certificates they add, by file name. Empty when nothing is pinned.
     *
     * @throws GatewayException {@code config_invalid} when a certificate of the PKI folder cannot be read
     */
    public Map<String, String> overlay(Path configDir) {
        Map<String, String> changed = new TreeMap<>();
        fingerprints.forEach((name, fingerprint) -> {
            Path entry = configDir.resolve(name);
            if (!Files.isRegularFile(entry)) {
                return;
            }
            String text;
            try {
                text = Files.readString(entry, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return; // Unreadable or not UTF-8: the configuration check reports it.
            }
            if (!unpinned(text)) {
                return;
            }
            FingerprintPin.pinned(entry, text, fingerprint).ifPresent(pinned -> changed.put(name, pinned));
            if (name.startsWith("partners/")) {
                String certificate = name.substring(0, name.length() - ".yaml".length()) + ".pem";
                Path issued = pkiDir.resolve(certificate);
                if (!Files.exists(configDir.resolve(certificate)) && Files.isRegularFile(issued)) {
                    try {
                        changed.put(certificate, Files.readString(issued, StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        throw new GatewayException(
                                ErrorCode.CONFIG_INVALID,
                                "cannot read the development" + " certificate " + issued + " ("
                                        + e.getClass().getSimpleName() + ")",
                                e);
                    }
                }
            }
        });
        return changed;
    }

    /** Whether an entry's {@code certificate.sha256} is absent or empty; false when it is no valid YAML. */
    private static boolean unpinned(String text) {
        try {
            JsonNode root = YAML.readTree(text);
            return root != null
                    && root.isObject()
                    && root.path("certificate").path("sha256").asText("").isBlank();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "DevelopmentPins[" + pkiDir.resolve(FILE) + ", " + fingerprints.size() + " pins]";
    }
}
