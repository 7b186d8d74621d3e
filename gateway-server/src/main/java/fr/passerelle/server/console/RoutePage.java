package fr.passerelle.server.console;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a route's page shows: its form (read-only to an auditor), the problems of the configuration checks beside
 * the fields they concern, and the dry run of the route as edited.
 *
 * @param administrator the id of the administrator who looks
 * @param canEdit       whether the form may be stored (role admin, configuration versions in use)
 * @param isNew         whether the form creates a route ({@code /console/routes/nouvelle})
 * @param csrf          the administrator's anti-forgery token
 * @param readOnly      why nothing can be changed here, or empty
 * @param schemaFields  the dotted paths the form's type lets a route list, sorted; empty without a type
 * @param heading       the problems' heading at the top: empty when there is none
 * @param problems      by the form field's name, what is wrong with it
 * @param summary       the problems that concern no field of this route
 */
public record RoutePage(
        String administrator,
        boolean canEdit,
        boolean isNew,
        String csrf,
        String readOnly,
        RouteForm form,
        List<Option> types,
        List<Option> kinds,
        List<Option> subjects,
        List<String> schemaFields,
        String heading,
        Map<String, List<Problem>> problems,
        List<Problem> summary,
        Trial trial) {
    public RoutePage {
        Objects.requireNonNull(administrator, "administrator");
        Objects.requireNonNull(csrf, "csrf");
        Objects.requireNonNull(readOnly, "readOnly");
        Objects.requireNonNull(form, "form");
        types = List.copyOf(types);
        kinds = List.copyOf(kinds);
        subjects = List.copyOf(subjects);
        schemaFields = List.copyOf(schemaFields);
        Objects.requireNonNull(heading, "heading");
        problems = Map.copyOf(problems);
        summary = List.copyOf(summary);
        Objects.requireNonNull(trial, "trial");
    }

    /** The problems of {@code field}, errors first. */
    public List<Problem> problems(String field) {
        return problems.getOrDefault(field, List.of());
    }

    /** Whether {@code field} has an error (not only warnings). */
    public boolean invalid(String field) {
        return problems(field).stream().anyMatch(Problem::error);
    }

    /**
     * The id of the element that describes {@code field}'s problems, for aria-describedby; null when there is none,
     * so that jte leaves the attribute out.
     */
    public String describedBy(String field) {
        return problems(field).isEmpty() ? null : "erreur-" + field;
    }

    /** The route as the table shows it, in French, for an auditor's read-only view. */
    public RouteTable.Line line() {
        return RouteWords.line(form);
    }

    /** Whether the form's senders hold the kind {@code code}. */
    public boolean sends(String code) {
        return form.from().contains(code);
    }

    /** The form's action: the route's path, or the new route's. */
    public String action() {
        return RoutesPages.PATH + "/" + (isNew ? RoutesPages.NEW : form.id());
    }

    /** A choice of a select or a checkbox: its code and its French label. */
    public record Option(String code, String label) {}

    /**
     * A problem of the checks (its message and fix in English, as the checks wrote them) or of the form (its
     * title says it all in French, without message).
     *
     * @param title   what is wrong, in French
     * @param where   in the summary, the file and line it points at; else empty
     * @param error   an error, which refuses the change; else a warning
     */
    public record Problem(String title, String message, String fix, String where, boolean error) {
        public Problem {
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(fix, "fix");
            Objects.requireNonNull(where, "where");
        }

        /** A problem of the form, in French. */
        static Problem ofForm(String title) {
            return new Problem(title, "", "", "", true);
        }
    }

    /**
     * The dry run: a referral of the route's type from {@code sender} in {@code department}.
     *
     * @param note       why it did not run, or, when it ran and would be refused, why; empty otherwise
     * @param ran        whether the dry run ran
     * @param refusals   why a real submission would be refused (English, from the router)
     * @param recipients whom it reaches, each once
     * @param alwaysKept the metadata every recipient keeps
     */
    public record Trial(
            String sender,
            String department,
            List<Option> senders,
            String note,
            boolean ran,
            List<String> refusals,
            List<Reached> recipients,
            List<String> alwaysKept) {
        public Trial {
            Objects.requireNonNull(sender, "sender");
            Objects.requireNonNull(department, "department");
            senders = List.copyOf(senders);
            Objects.requireNonNull(note, "note");
            refusals = List.copyOf(refusals);
            recipients = List.copyOf(recipients);
            alwaysKept = List.copyOf(alwaysKept);
        }

        /** A dry run that could not run, and why. */
        static Trial notRun(String sender, String department, List<Option> senders, String note) {
            return new Trial(sender, department, senders, note, false, List.of(), List.of(), List.of());
        }
    }

    /**
     * One recipient of the dry run.
     *
     * @param kind      its kind in French
     * @param routes    the routes that reach it
     * @param byThis    whether the route of this page reaches it
     * @param kept      the fields it receives
     * @param lost      the fields of the type's schema it does not receive
     * @param view      what its kind's view changes in what it keeps (English), or empty
     * @param warnings  the free texts its view bounds (English)
     */
    public record Reached(
            String partner,
            String kind,
            List<String> routes,
            boolean byThis,
            List<String> kept,
            List<String> lost,
            String view,
            String transport,
            String envelope,
            String adapter,
            List<String> warnings) {
        public Reached {
            routes = List.copyOf(routes);
            kept = List.copyOf(kept);
            lost = List.copyOf(lost);
            warnings = List.copyOf(warnings);
        }
    }
}
