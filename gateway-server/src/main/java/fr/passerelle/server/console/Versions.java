package fr.passerelle.server.console;

import fr.passerelle.core.config.versions.ConfigDiff;
import fr.passerelle.core.config.versions.VersionInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The history of configuration versions, {@code /console/versions}, newest first, already in French and in Paris
 * time: the template only places it.
 *
 * @param administrator the id of the administrator who looks
 * @param instance      the version this gateway instance runs now
 * @param failure       when a later version failed to load on this instance: its number and the loader's message
 *                      (English); empty otherwise
 * @param lines         the versions of this page, newest first
 * @param compare       the form that compares two versions, as typed, with its errors
 * @param pageError     what is wrong with the page's link ({@code avant}), in French; empty when nothing is
 * @param next          the link to the older versions, or empty when this page holds the first version
 */
public record Versions(
        String administrator,
        int instance,
        Optional<Failure> failure,
        List<Line> lines,
        Compare compare,
        String pageError,
        String next) {
    public Versions {
        Objects.requireNonNull(administrator, "administrator");
        Objects.requireNonNull(failure, "failure");
        lines = List.copyOf(lines);
        Objects.requireNonNull(compare, "compare");
        Objects.requireNonNull(pageError, "pageError");
        Objects.requireNonNull(next, "next");
    }

    /** A version that this instance could not load, and why (the loader's words, in English). */
    public record Failure(int version, String reason) {
        public Failure {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * One version, as the history and its own page show it.
     *
     * @param appliedAt    when it was stored, in Paris time
     * @param author       who stored it, in French: an administrator, a command line user, the gateway
     * @param comment      why, as its author wrote it; possibly empty
     * @param restoredFrom for a restoration, the version whose files it holds
     * @param current      whether it is the current version
     * @param changes      what changed from its parent
     */
    public record Line(
            int number,
            String appliedAt,
            String author,
            String comment,
            Optional<Integer> parent,
            Optional<Integer> restoredFrom,
            boolean current,
            Changes changes) {
        public Line {
            Objects.requireNonNull(appliedAt, "appliedAt");
            Objects.requireNonNull(author, "author");
            Objects.requireNonNull(comment, "comment");
            Objects.requireNonNull(parent, "parent");
            Objects.requireNonNull(restoredFrom, "restoredFrom");
            Objects.requireNonNull(changes, "changes");
        }

        static Line of(VersionInfo info, ConfigDiff fromParent, boolean current) {
            return new Line(
                    info.number(),
                    SignalementsEndpoint.dateTime(info.appliedAt(), DashboardEndpoint.PARIS),
                    Versions.author(info.appliedBy()),
                    info.comment(),
                    info.parent(),
                    info.restoredFrom(),
                    current,
                    Changes.of(fromParent));
        }
    }

    /** Who stored a version ({@code admin:<id>}, {@code cli:<user>}, {@code gateway}), in French. */
    static String author(String appliedBy) {
        if (appliedBy.equals("gateway")) {
            return "la passerelle, à son premier démarrage";
        }
        if (appliedBy.startsWith("admin:")) {
            return appliedBy.substring("admin:".length()) + " (administrateur)";
        }
        if (appliedBy.startsWith("cli:")) {
            return appliedBy.substring("cli:".length()) + " (ligne de commande)";
        }
        return appliedBy;
    }

    /** What changed between two versions: only the subjects that changed, in French. */
    public record Changes(List<Group> groups) {
        public Changes {
            groups = List.copyOf(groups);
        }

        public boolean isEmpty() {
            return groups.isEmpty();
        }

        static Changes of(ConfigDiff diff) {
            List<Group> groups = new ArrayList<>();
            add(groups, "Partenaires", diff.partners());
            add(groups, "Routes", diff.routes());
            add(groups, "Administrateurs", diff.administrators());
            return new Changes(groups);
        }

        private static void add(List<Group> groups, String subject, ConfigDiff.Changes changes) {
            if (!changes.isEmpty()) {
                groups.add(new Group(subject, changes.added(), changes.removed(), changes.changed()));
            }
        }
    }

    /**
     * The ids of one subject (partners, routes or administrators) added, removed and changed.
     *
     * @param subject in French, plural: Partenaires, Routes, Administrateurs
     */
    public record Group(String subject, List<String> added, List<String> removed, List<String> changed) {
        public Group {
            Objects.requireNonNull(subject, "subject");
            added = List.copyOf(added);
            removed = List.copyOf(removed);
            changed = List.copyOf(changed);
        }
    }

    /**
     * The form that compares two versions: {@code de} the older (or any), {@code vers} the one whose changes are
     * shown; each as typed, the empty text when absent.
     *
     * @param errors by field name, what is wrong with it, in French
     */
    public record Compare(String de, String vers, Map<String, String> errors) {
        public Compare {
            Objects.requireNonNull(de, "de");
            Objects.requireNonNull(vers, "vers");
            errors = Map.copyOf(errors);
        }

        /** The form filled with two versions' numbers. */
        static Compare of(Optional<Integer> de, int vers) {
            return new Compare(de.map(String::valueOf).orElse(""), Integer.toString(vers), Map.of());
        }

        /** The error of {@code field}, or the empty text. */
        public String error(String field) {
            return errors.getOrDefault(field, "");
        }
    }
}
