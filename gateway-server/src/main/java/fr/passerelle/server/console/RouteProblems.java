package fr.passerelle.server.console;

import fr.passerelle.core.config.ConfigProblem;
import fr.passerelle.core.config.SafetyRule;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Places the configuration checks' problems on a route's form: beside the field they concern, by the safety rule
 * the message names ({@code (rule no-offence-data-to-siao)} concerns the fields), else by the line of the
 * candidate routes.yaml they point at; a problem of another route, of another file, or of no key goes to the
 * summary. Each problem gets a French title; its message and fix stay in English, as the checks wrote them.
 */
final class RouteProblems {
    /** The field of the form for the problems of each rule; absent: the summary (a rule over every route). */
    private static final Map<SafetyRule, String> FIELDS = new EnumMap<>(Map.of(
            SafetyRule.RECIPIENT_EXISTS, "to",
            SafetyRule.RECIPIENT_ENABLED, "to",
            SafetyRule.RECIPIENT_INTENDED, "to",
            SafetyRule.RECIPIENT_SERVED, "to",
            SafetyRule.FIELDS_IN_SCHEMA, "fields",
            SafetyRule.NO_OFFENCE_DATA_TO_SIAO, "fields",
            SafetyRule.ADULTS_ONLY, "subject"));

    private static final Pattern RULE = Pattern.compile("\\(rule ([a-z-]+)\\)$");
    /** The keys of a route in routes.yaml, each the name of its field in the form. */
    private static final Set<String> KEYS =
            Set.of("id", "type", "from", "departments", "to", "fields", "subject", "legal_obligation", "when");

    private RouteProblems() {}

    /** The French title of a rule, as the console shows it above the check's message. */
    static String title(SafetyRule rule) {
        return switch (rule) {
            case RECIPIENT_EXISTS -> "Destinataire inconnu du registre des partenaires";
            case RECIPIENT_ENABLED -> "Destinataire désactivé";
            case RECIPIENT_INTENDED -> "Destinataire non prévu par l'instruction pour ce type";
            case RECIPIENT_SERVED -> "Aucun partenaire de cette nature ne dessert ces départements";
            case FIELDS_IN_SCHEMA -> "Champ absent du schéma canonique de ce type";
            case NO_OFFENCE_DATA_TO_SIAO -> "Aucune donnée d'infraction ni de victime vers un SIAO (CNIL)";
            case ADULTS_ONLY -> "Service réservé aux adultes : aucun signalement sur un mineur";
            case DEPARTMENT_COVERED -> "Département sans destinataire pour un type qu'un partenaire peut envoyer";
            case SHELTER_ESCALATION_AUTHORITY -> "Escalade d'une mise à l'abri vers un service sans autorité sur le 115";
        };
    }

    /** The rule whose code ends {@code message}, if any. */
    static Optional<SafetyRule> rule(String message) {
        Matcher matcher = RULE.matcher(message.strip());
        if (!matcher.find()) {
            return Optional.empty();
        }
        String code = matcher.group(1);
        for (SafetyRule rule : SafetyRule.values()) {
            if (rule.code().equals(code)) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    /** The problems of a check, by the field of the form they concern, and the others for the summary. */
    record Placed(Map<String, List<RoutePage.Problem>> byField, List<RoutePage.Problem> summary) {
        Placed {
            Map<String, List<RoutePage.Problem>> copy = new LinkedHashMap<>();
            byField.forEach((field, problems) -> copy.put(field, List.copyOf(problems)));
            byField = Map.copyOf(copy);
            summary = List.copyOf(summary);
        }
    }

    /**
     * @param routesYaml the candidate routes.yaml the problems were found in, to read the keys of their lines
     */
    static Placed place(List<ConfigProblem> problems, String routeId, Optional<String> routesYaml) {
        Map<Integer, String> keys =
                routesYaml.map(text -> keysByLine(text, routeId)).orElse(Map.of());
        Map<String, List<RoutePage.Problem>> byField = new LinkedHashMap<>();
        List<RoutePage.Problem> summary = new ArrayList<>();
        for (ConfigProblem problem : problems) {
            Optional<String> field = field(problem, routeId, keys);
            RoutePage.Problem shown = shown(problem, field.isEmpty());
            if (field.isPresent()) {
                byField.computeIfAbsent(field.get(), f -> new ArrayList<>()).add(shown);
            } else {
                summary.add(shown);
            }
        }
        return new Placed(byField, summary);
    }

    private static Optional<String> field(ConfigProblem problem, String routeId, Map<Integer, String> keys) {
        if (!inRoutesFile(problem.file())) {
            return Optional.empty();
        }
        Optional<SafetyRule> rule = rule(problem.message());
        boolean ours = problem.message().startsWith("route " + routeId + " ") || keys.containsKey(problem.line());
        if (rule.isPresent()) {
            return ours ? Optional.ofNullable(FIELDS.get(rule.get())) : Optional.empty();
        }
        return Optional.ofNullable(keys.get(problem.line()));
    }

    private static RoutePage.Problem shown(ConfigProblem problem, boolean inSummary) {
        String where = inSummary && problem.line() > 0 ? problem.file() + ", ligne " + problem.line() : "";
        String title = rule(problem.message())
                .map(RouteProblems::title)
                .orElse(problem.isError() ? "Erreur de configuration" : "Avertissement de configuration");
        return new RoutePage.Problem(title, problem.message(), problem.fix(), where, problem.isError());
    }

    private static boolean inRoutesFile(Path file) {
        Path name = file.getFileName();
        return name != null && name.toString().equals("routes.yaml");
    }

    /**
     * The field of the form of each line of route {@code routeId} in a routes.yaml that the admin API wrote: from
     * its {@code - id:} line to the next route or the next top-level key, each line belongs to the key above it.
     */
    static Map<Integer, String> keysByLine(String text, String routeId) {
        Pattern start = Pattern.compile("^(\\s*)- id: ['\"]?" + Pattern.quote(routeId) + "['\"]?\\s*$");
        Pattern key = Pattern.compile("^\\s*([a-z_]+):");
        List<String> lines = text.lines().toList();
        Map<Integer, String> keys = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher first = start.matcher(lines.get(i));
            if (!first.matches()) {
                continue;
            }
            int indent = first.group(1).length();
            String current = "id";
            keys.put(i + 1, current);
            for (int j = i + 1; j < lines.size(); j++) {
                String line = lines.get(j);
                if (line.isBlank()) {
                    continue;
                }
                int depth = line.length() - line.stripLeading().length();
                if (depth <= indent) {
                    break;
                }
                Matcher named = key.matcher(line);
                if (depth == indent + 2 && named.find() && KEYS.contains(named.group(1))) {
                    current = named.group(1);
                }
                keys.put(j + 1, current);
            }
            break;
        }
        return keys;
    }
}
