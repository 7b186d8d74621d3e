package fr.passerelle.server.console;

import fr.passerelle.core.config.versions.ConfigDiff;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The page that compares two configuration versions, {@code /console/versions/{n}/diff?avec=m}: what changes from
 * version {@code from} to version {@code to}, per file, line by line.
 *
 * @param administrator the id of the administrator who looks
 * @param to            the version whose files are compared
 * @param from          the version they are compared with; empty when the form's number was bad
 * @param compare       the comparison form, filled with these two numbers or with what was typed
 * @param changes       the partners, routes and administrators that differ
 * @param files         the files that differ; empty when the two versions hold the same files
 */
public record VersionDiff(
        String administrator,
        int to,
        Optional<Integer> from,
        Versions.Compare compare,
        Versions.Changes changes,
        List<FileDiff> files) {
    public VersionDiff {
        Objects.requireNonNull(administrator, "administrator");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(compare, "compare");
        Objects.requireNonNull(changes, "changes");
        files = List.copyOf(files);
    }

    /**
     * How a line of a diff changes. The page tells an added or removed line by its sign ({@code +}, {@code −}),
     * a text for screen readers and {@code <ins>}/{@code <del>}, besides its colour.
     */
    public enum Kind {
        CONTEXT,
        ADDED,
        REMOVED
    }

    /**
     * One file that differs.
     *
     * @param name  its name in the version, such as {@code routes.yaml}
     * @param kind  in French: fichier ajouté, supprimé or modifié
     * @param hunks its changed lines, each group with the lines around it
     */
    public record FileDiff(String name, String kind, List<Hunk> hunks) {
        public FileDiff {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            hunks = List.copyOf(hunks);
        }
    }

    /**
     * A group of changed lines with their context.
     *
     * @param title where it stands, in French: {@code Lignes 3 à 7 avant, lignes 3 à 8 après}
     */
    public record Hunk(String title, List<Row> rows) {
        public Hunk {
            Objects.requireNonNull(title, "title");
            rows = List.copyOf(rows);
        }
    }

    /**
     * One line of a diff.
     *
     * @param before its number in the older file; empty for an added line
     * @param after  its number in the newer file; empty for a removed line
     * @param text   the line as the file has it, to be escaped by the template
     */
    public record Row(Kind kind, String before, String after, String text) {
        public Row {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(before, "before");
            Objects.requireNonNull(after, "after");
            Objects.requireNonNull(text, "text");
        }
    }

    private static final Pattern HUNK = Pattern.compile("@@ -(\\d+)(?:,(\\d+))? \\+(\\d+)(?:,(\\d+))? @@.*");
    private static final Map<ConfigDiff.Kind, String> FILE_KINDS = Map.of(
            ConfigDiff.Kind.ADDED, "fichier ajouté",
            ConfigDiff.Kind.REMOVED, "fichier supprimé",
            ConfigDiff.Kind.CHANGED, "fichier modifié");

    /** The files of {@code diff}, their unified diff lines read into numbered rows. */
    static List<FileDiff> files(ConfigDiff diff) {
        return diff.files().stream()
                .map(file -> new FileDiff(file.name(), FILE_KINDS.get(file.kind()), hunks(file.lines())))
                .toList();
    }

    /** Reads the lines of a unified diff ({@code @@ -a,b +c,d @@}, then {@code " "}, {@code -}, {@code +} lines). */
    static List<Hunk> hunks(List<String> unified) {
        List<Hunk> hunks = new ArrayList<>();
        String title = "";
        List<Row> rows = new ArrayList<>();
        int before = 0;
        int after = 0;
        for (String line : unified) {
            Matcher header = HUNK.matcher(line);
            if (header.matches()) {
                if (!rows.isEmpty()) {
                    hunks.add(new Hunk(title, rows));
                }
                before = Integer.parseInt(header.group(1));
                after = Integer.parseInt(header.group(3));
                title = title(before, count(header.group(2)), after, count(header.group(4)));
                rows = new ArrayList<>();
            } else if (line.startsWith("+")) {
                rows.add(new Row(Kind.ADDED, "", Integer.toString(after++), line.substring(1)));
            } else if (line.startsWith("-")) {
                rows.add(new Row(Kind.REMOVED, Integer.toString(before++), "", line.substring(1)));
            } else {
                String text = line.startsWith(" ") ? line.substring(1) : line;
                rows.add(new Row(Kind.CONTEXT, Integer.toString(before++), Integer.toString(after++), text));
            }
        }
        if (!rows.isEmpty()) {
            hunks.add(new Hunk(title, rows));
        }
        return hunks;
    }

    private static int count(String group) {
        return group == null ? 1 : Integer.parseInt(group);
    }

    private static String title(int before, int beforeCount, int after, int afterCount) {
        String older = range(before, beforeCount);
        return Character.toUpperCase(older.charAt(0)) + older.substring(1) + " avant, " + range(after, afterCount)
                + " après";
    }

    private static String range(int start, int count) {
        if (count == 0) {
            return "aucune ligne";
        }
        return count == 1 ? "ligne " + start : "lignes " + start + " à " + (start + count - 1);
    }
}
