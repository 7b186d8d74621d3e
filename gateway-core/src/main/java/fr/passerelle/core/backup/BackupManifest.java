package fr.passerelle.core.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code manifest.json} of a backup folder: what the backup holds, identifiers and counts only.
 *
 * @param format         the layout of the folder ({@link #FORMAT}); a restore refuses another
 * @param schemaVersion  the Flyway version of the schema the rows were read from ({@code 13})
 * @param takenAt        when the snapshot was taken
 * @param tables         each table's file, rows and SHA-256, in the order a restore fills them
 * @param sequences      each sequence's value at the snapshot
 * @param configVersion  the current configuration version, when the database has one
 * @param treeHead       the latest signed head of the audit log, when one was signed
 */
public record BackupManifest(
        int format,
        String schemaVersion,
        Instant takenAt,
        List<Table> tables,
        List<Sequence> sequences,
        OptionalInt configVersion,
        Optional<TreeHead> treeHead) {
    public static final int FORMAT = 1;
    public static final String FILE = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public BackupManifest {
        Objects.requireNonNull(schemaVersion, "schemaVersion");
        Objects.requireNonNull(takenAt, "takenAt");
        tables = List.copyOf(tables);
        sequences = List.copyOf(sequences);
        Objects.requireNonNull(configVersion, "configVersion");
        Objects.requireNonNull(treeHead, "treeHead");
    }

    /** A table's copy: {@code file} in the folder, gzip of {@code COPY ... TO STDOUT (FORMAT binary)}. */
    public record Table(String name, String file, long rows, String sha256) {
        public Table {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(sha256, "sha256");
        }
    }

    /** A sequence's {@code last_value} and {@code is_called}, as {@code setval} takes them back. */
    public record Sequence(String name, long lastValue, boolean called) {
        public Sequence {
            Objects.requireNonNull(name, "name");
        }
    }

    /** The latest signed tree head of the audit log: its size and root hash (hex). */
    public record TreeHead(long size, String rootHex) {
        public TreeHead {
            Objects.requireNonNull(rootHex, "rootHex");
        }
    }

    public long rows() {
        return tables.stream().mapToLong(Table::rows).sum();
    }

    /** What the backup holds, for people: counts and identifiers on one line. */
    public String summary() {
        return tables.size() + " tables, " + rows() + " rows, schema version " + schemaVersion + ", snapshot at "
                + takenAt + ", configuration version "
                + (configVersion.isPresent() ? Integer.toString(configVersion.getAsInt()) : "none")
                + ", latest signed tree head "
                + treeHead.map(h -> "size " + h.size() + " root " + h.rootHex()).orElse("none");
    }

    byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", format);
        root.put("schemaVersion", schemaVersion);
        root.put("takenAt", takenAt.toString());
        configVersion.ifPresent(n -> root.put("configVersion", n));
        treeHead.ifPresent(h -> root.putObject("treeHead").put("size", h.size()).put("root", h.rootHex()));
        ArrayNode tableNodes = root.putArray("tables");
        for (Table t : tables) {
            tableNodes
                    .addObject()
                    .put("name", t.name())
                    .put("file", t.file())
                    .put("rows", t.rows())
                    .put("sha256", t.sha256());
        }
        ArrayNode sequenceNodes = root.putArray("sequences");
        for (Sequence s : sequences) {
            sequenceNodes
                    .addObject()
                    .put("name", s.name())
                    .put("lastValue", s.lastValue())
                    .put("called", s.called());
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new GatewayException(ErrorCode.INTERNAL, "cannot write the backup manifest: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a backup folder's manifest.
     *
     * @throws GatewayException {@code request_invalid} naming the file and what was expected
     */
    static BackupManifest read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw invalid(file, "not readable as JSON (" + e.getClass().getSimpleName() + ")");
        }
        if (root == null || !root.isObject()) {
            throw invalid(file, "not a JSON object");
        }
        int format = root.path("format").asInt(-1);
        if (format != FORMAT) {
            throw invalid(
                    file,
                    "format " + root.path("format") + " is not one this gateway reads (expected: " + FORMAT + ")");
        }
        try {
            List<Table> tables = new ArrayList<>();
            for (JsonNode t : root.path("tables")) {
                tables.add(new Table(
                        text(file, t, "name"),
                        text(file, t, "file"),
                        t.path("rows").asLong(),
                        text(file, t, "sha256")));
            }
            List<Sequence> sequences = new ArrayList<>();
            for (JsonNode s : root.path("sequences")) {
                sequences.add(new Sequence(
                        text(file, s, "name"),
                        s.path("lastValue").asLong(),
                        s.path("called").asBoolean()));
            }
            JsonNode head = root.path("treeHead");
            return new BackupManifest(
                    format,
                    text(file, root, "schemaVersion"),
                    Instant.parse(text(file, root, "takenAt")),
                    tables,
                    sequences,
                    root.has("configVersion")
                            ? OptionalInt.of(root.path("configVersion").asInt())
                            : OptionalInt.empty(),
                    head.isObject()
                            ? Optional.of(new TreeHead(head.path("size").asLong(), text(file, head, "root")))
                            : Optional.empty());
        } catch (DateTimeParseException e) {
            throw invalid(file, "takenAt is not an instant");
        }
    }

    private static String text(Path file, JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw invalid(file, "\"" + field + "\" is missing");
        }
        return value.asText();
    }

    private static GatewayException invalid(Path file, String problem) {
        return new GatewayException(
                ErrorCode.REQUEST_INVALID,
                file + ": " + problem + "; expected: the manifest that `gateway backup` wrote, unchanged");
    }
}
