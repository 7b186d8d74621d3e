package fr.passerelle.server.console;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.versions.ConfigVersions;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One configuration version's page, {@code /console/versions/{n}}: who stored it, when and why, its files, and
 * what changed from its parent, line by line; for an administrator, the form that restores it.
 *
 * @param administrator the id of the administrator who looks
 * @param version       the version as the history shows it
 * @param digest        SHA-256 of its files, hex
 * @param fileNames     the names of its files
 * @param files         the files that changed from its parent, line by line; empty for the first version
 * @param restored      whether the administrator has just stored it by restoring an older version
 * @param restore       the restore form: present only for an administrator of role admin and of every domain, on a
 *                      version other than the current one
 * @param refusal       why the restoration just asked for was refused; empty otherwise
 */
public record VersionPage(
        String administrator,
        Versions.Line version,
        String digest,
        List<String> fileNames,
        List<VersionDiff.FileDiff> files,
        boolean restored,
        Optional<Restore> restore,
        Optional<Refusal> refusal) {
    public VersionPage {
        Objects.requireNonNull(administrator, "administrator");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(digest, "digest");
        fileNames = List.copyOf(fileNames);
        files = List.copyOf(files);
        Objects.requireNonNull(restore, "restore");
        Objects.requireNonNull(refusal, "refusal");
    }

    /**
     * The restore form.
     *
     * @param csrf    the administrator's anti-forgery token
     * @param comment the comment as typed, or empty
     * @param error   what is wrong with the comment, in French; empty when nothing is
     */
    public record Restore(String csrf, String comment, String error) {
        public Restore {
            Objects.requireNonNull(csrf, "csrf");
            Objects.requireNonNull(comment, "comment");
            Objects.requireNonNull(error, "error");
        }

        /** What is wrong with a restoration's comment, in French, under {@link ConfigVersions#checkComment}'s limits. */
        static String commentError(String comment) {
            if (comment.isBlank()) {
                return "Saisir un commentaire : pourquoi restaurer cette version. Il restera dans l'historique.";
            }
            if (comment.length() > ConfigVersions.MAX_COMMENT) {
                return "Le commentaire fait " + comment.length() + " caractères : " + ConfigVersions.MAX_COMMENT
                        + " au plus.";
            }
            if (comment.chars().anyMatch(Character::isISOControl)) {
                return "Le commentaire tient sur une seule ligne, sans caractère de contrôle.";
            }
            return "";
        }
    }

    /**
     * A restoration that the gateway refused, nothing stored.
     *
     * @param title       what happened, in French
     * @param explanation what to do, in French
     * @param problems    the gateway's own messages (the checks' problems with file, line and fix), in English
     */
    public record Refusal(String title, String explanation, List<String> problems) {
        public Refusal {
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(explanation, "explanation");
            problems = List.copyOf(problems);
        }

        /**
         * The French account of a refused restoration of {@code version}: checks that fail, a version already
         * current or overtaken; empty for another refusal, which the console's error page tells.
         */
        static Optional<Refusal> of(GatewayException e, int version, OptionalInt current) {
            List<String> problems = new ArrayList<>();
            problems.add(e.getMessage());
            problems.addAll(e.details());
            if (e.code() == ErrorCode.CONFIG_REFUSED) {
                return Optional.of(new Refusal(
                        "La version " + version + " ne passe plus les vérifications",
                        "Rien n'a été enregistré : la configuration en service ne change pas. Ses fichiers ne seraient"
                                + " plus acceptés aujourd'hui (un certificat expiré, par exemple) : corriger la"
                                + " configuration en service plutôt que restaurer cette version. Les problèmes, tels"
                                + " que la passerelle les décrit :",
                        problems));
            }
            if (e.code() == ErrorCode.STATE_CONFLICT) {
                boolean already = current.isPresent() && current.getAsInt() == version;
                return Optional.of(new Refusal(
                        already
                                ? "La version " + version + " est déjà la version en cours"
                                : "La configuration a changé",
                        already
                                ? "Rien n'a été enregistré : il n'y a rien à restaurer."
                                : "Rien n'a été enregistré : une autre version est devenue la version en cours pendant"
                                        + " la demande. Relire l'historique, puis recommencer si besoin.",
                        problems));
            }
            return Optional.empty();
        }
    }
}
