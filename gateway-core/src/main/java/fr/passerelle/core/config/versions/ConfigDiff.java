package fr.passerelle.core.config.versions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What changes from one file set to another: partners (a partner changes with its entry or its certificate),
 * routes (by id, within routes.yaml), administrators, and each file's lines as a unified diff.
 *
 * @param files the files that differ, by name, each with its diff lines
 */
public record ConfigDiff(Changes partners, Changes routes, Changes administrators, List<FileChange> files) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public ConfigDiff {
        Objects.requireNonNull(partners, "partners");
        Objects.requireNonNull(routes, "routes");
        Objects.requireNonNull(administrators, "administrators");
        files = List.copyOf(files);
    }

    /** Ids added, removed and changed, each sorted. */
    public record Changes(List<String> added, List<String> removed, List<String> changed) {
        public Changes {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
            changed = List.copyOf(changed);
        }

        public boolean isEmpty() {
            return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
        }

        /** {@code +1 (a), -0, ~2 (b, c)}. */
        public String summary() {
            return "+" + added.size() + list(added) + ", -" + removed.size() + list(removed) + ", ~" + changed.size()
                    + list(changed);
        }

        private static String list(List<String> ids) {
            return ids.isEmpty() ? "" : " (" + String.join(", ", ids) + ")";
        }
    }

    /** How one file changes. */
    public enum Kind {
        ADDED,
        REMOVED,
        CHANGED;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One file that differs, with its unified diff lines ({@code @@ ... @@}, {@code -old}, {@code +new}). */
    public record FileChange(String name, Kind kind, List<String> lines) {
        public FileChange {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            lines = List.copyOf(lines);
        }
    }

    public static ConfigDiff between(FileSet from, FileSet to) {
        List<FileChange> files = new ArrayList<>();
        Set<String> names = new TreeSet<>(from.files().keySet());
        names.addAll(to.files().keySet());
        for (String name : names) {
            Optional<String> before = from.text(name);
            Optional<String> after = to.text(name);
            if (before.equals(after)) {
                continue;
            }
            Kind kind = before.isEmpty() ? Kind.ADDED : after.isEmpty() ? Kind.REMOVED : Kind.CHANGED;
            files.add(new FileChange(name, kind, LineDiff.unified(before.orElse(""), after.orElse(""))));
        }
        return new ConfigDiff(
                byFile(from, to, "partners/", ".yaml", ".pem"),
                routes(from, to),
                byFile(from, to, "admins/", ".yaml"),
                files);
    }

    public boolean isEmpty() {
        return files.isEmpty();
    }

    /** {@code partners +1 (a), -0, ~0; routes +1 (r), -0, ~0; administrators +0, -0, ~0}. */
    public String summary() {
        return "partners " + partners.summary() + "; routes " + routes.summary() + "; administrators "
                + administrators.summary();
    }

    /** Counts for an audit entry: codes and numbers only. */
    public Map<String, String> counts() {
        Map<String, String> counts = new LinkedHashMap<>();
        counts.put("partnersAdded", Integer.toString(partners.added().size()));
        counts.put("partnersRemoved", Integer.toString(partners.removed().size()));
        counts.put("partnersChanged", Integer.toString(partners.changed().size()));
        counts.put("routesAdded", Integer.toString(routes.added().size()));
        counts.put("routesRemoved", Integer.toString(routes.removed().size()));
        counts.put("routesChanged", Integer.toString(routes.changed().size()));
        counts.put("adminsAdded", Integer.toString(administrators.added().size()));
        counts.put("adminsRemoved", Integer.toString(administrators.removed().size()));
        counts.put("adminsChanged", Integer.toString(administrators.changed().size()));
        return counts;
    }

    /** Ids of the files of a folder, compared by their texts under each suffix (a partner's entry and .pem). */
    private static Changes byFile(FileSet from, FileSet to, String folder, String... suffixes) {
        Map<String, List<Optional<String>>> before = texts(from, folder, suffixes);
        Map<String, List<Optional<String>>> after = texts(to, folder, suffixes);
        return compare(before, after);
    }

    private static Map<String, List<Optional<String>>> texts(FileSet set, String folder, String... suffixes) {
        Map<String, List<Optional<String>>> byId = new LinkedHashMap<>();
        for (String name : set.files().keySet()) {
            if (name.startsWith(folder) && name.endsWith(suffixes[0])) {
                String id = name.substring(folder.length(), name.length() - suffixes[0].length());
                List<Optional<String>> texts = new ArrayList<>();
                for (String suffix : suffixes) {
                    texts.add(set.text(folder + id + suffix));
                }
                byId.put(id, texts);
            }
        }
        return byId;
    }

    /** Routes by id; when either routes.yaml is not readable YAML, the file's diff says it all. */
    private static Changes routes(FileSet from, FileSet to) {
        return compare(routes(from), routes(to));
    }

    private static Map<String, JsonNode> routes(FileSet set) {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        Optional<String> text = set.text("routes.yaml");
        if (text.isEmpty()) {
            return byId;
        }
        try {
            JsonNode root = YAML.readTree(text.get());
            if (root != null) {
                for (JsonNode route : root.path("routes")) {
                    if (route.path("id").isTextual()) {
                        byId.putIfAbsent(route.path("id").asText(), route);
                    }
                }
            }
        } catch (IOException e) {
            // Not YAML: no route can be told apart; the file's own diff shows the change.
        }
        return byId;
    }

    private static <T> Changes compare(Map<String, T> before, Map<String, T> after) {
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (String id : new TreeSet<>(after.keySet())) {
            if (!before.containsKey(id)) {
                added.add(id);
            } else if (!before.get(id).equals(after.get(id))) {
                changed.add(id);
            }
        }
        for (String id : new TreeSet<>(before.keySet())) {
            if (!after.containsKey(id)) {
                removed.add(id);
            }
        }
        return new Changes(added, removed, changed);
    }
}
