package fr.passerelle.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.config.ConfigLoader;
import fr.passerelle.core.config.ConfigProblem;
import fr.passerelle.core.config.SafetyRule;
import fr.passerelle.core.config.ShippedConfig;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.config.model.Recipient;
import fr.passerelle.core.config.model.Route;
import fr.passerelle.core.config.versions.ConfigEdits;
import fr.passerelle.core.config.versions.FileSet;
import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.routing.Territory;
import fr.passerelle.core.testkit.TestPartners;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RoutesPagesTest {
    private static final RouteForm SIAO_ROUTE = new RouteForm(
            "orientation-75-test",
            "victim.orientation",
            List.of("police", "social"),
            "75, 974",
            "siao-75\nassociation agrément exit-pathway\n\nsiao",
            "subject.languages\n  needs  \noffences",
            "adult",
            "",
            "",
            "");

    @Test
    void titlesEverySafetyRuleInFrenchOnce() {
        List<String> titles =
                Arrays.stream(SafetyRule.values()).map(RouteProblems::title).toList();

        assertThat(titles).doesNotContainNull().allMatch(title -> !title.isBlank());
        assertThat(Set.copyOf(titles)).hasSize(SafetyRule.values().length);
        assertThat(RouteProblems.title(SafetyRule.NO_OFFENCE_DATA_TO_SIAO))
                .isEqualTo("Aucune donnée d'infraction ni de victime vers un SIAO (CNIL)");
    }

    @Test
    void findsTheRuleThatEndsACheckMessage() {
        assertThat(RouteProblems.rule("route x sends ... only (rule recipient-intended)"))
                .contains(SafetyRule.RECIPIENT_INTENDED);
        assertThat(RouteProblems.rule("'from' is empty: the route would match no sender"))
                .isEmpty();
        assertThat(RouteProblems.rule("something (rule no-such-rule)")).isEmpty();
    }

    @Test
    void readsTheFormIntoTheEntryOfAPutRoute() {
        Map<String, String> errors = new LinkedHashMap<>();

        Optional<ObjectNode> entry = SIAO_ROUTE.entry(errors);

        assertThat(errors).isEmpty();
        assertThat(entry).contains((ObjectNode) Json.tree(
                ("{'type': 'victim.orientation', 'from': ['police', 'social'], 'departments': ['75', '974'],"
                                + " 'subject': 'adult', 'to': [{'partner': 'siao-75'}, {'kind': 'association',"
                                + " 'approval': 'exit-pathway'}, {'kind': 'siao'}],"
                                + " 'fields': ['subject.languages', 'needs', 'offences']}")
                        .replace('\'', '"')
                        .getBytes(StandardCharsets.UTF_8),
                "expected"));
    }

    @Test
    void leavesOutTheKeysOfAnyPersonEveryDepartmentAndNoObligation() {
        RouteForm form = new RouteForm("r", "shelter.request", List.of("police"), " ", "siao", "needs", "", "", "", "");

        ObjectNode entry = form.entry(new LinkedHashMap<>()).orElseThrow();

        assertThat(entry.has("departments")).isFalse();
        assertThat(entry.has("subject")).isFalse();
        assertThat(entry.has("legal_obligation")).isFalse();
    }

    @Test
    void keepsARouteConditionWhenTheFormIsWrittenBack() {
        RouteForm form = new RouteForm(
                "shelter-acse",
                "shelter.request",
                List.of("police"),
                "",
                "association-acse-national",
                "shelter",
                "adult",
                "",
                " shelter.constraints : away-from-department ",
                "");
        RouteForm broken = new RouteForm(
                "r", "shelter.request", List.of("police"), "", "siao", "needs", "", "", "shelter.constraints", "");
        Map<String, String> errors = new LinkedHashMap<>();

        Optional<ObjectNode> entry = form.entry(new LinkedHashMap<>());

        assertThat(entry.orElseThrow().path("when").toString())
                .isEqualTo("{\"shelter.constraints\":\"away-from-department\"}");
        assertThat(RouteForm.of(entry.get()).when()).isEqualTo("shelter.constraints: away-from-department");
        assertThat(broken.entry(errors)).isEmpty();
        assertThat(errors)
                .containsExactly(Map.entry(
                        "when",
                        "Écrire le champ et la valeur attendue séparés par deux-points, par exemple"
                                + " shelter.constraints: away-from-department, ou laisser vide."));
    }

    @Test
    void putsAFormThatCannotBeWrittenBesideItsFieldsInFrench() {
        RouteForm form = new RouteForm(
                "r", "referral.receipt", List.of("police"), "75, 7", "siao agrément", "needs", "old", "", "", "");
        Map<String, String> errors = new LinkedHashMap<>();

        Optional<ObjectNode> entry = form.entry(errors);

        assertThat(entry).isEmpty();
        assertThat(errors)
                .containsEntry("type", "Choisir un type de la liste.")
                .containsEntry(
                        "departments",
                        "« 7 » n'est pas un numéro de département : saisir par exemple 75, 2A ou 974, séparés par"
                                + " des virgules.")
                .containsEntry("subject", "Choisir une personne concernée de la liste.")
                .containsKey("to");
        assertThat(errors.get("to")).startsWith("La ligne « siao agrément » n'est pas un destinataire");
    }

    @Test
    void readsARouteOfRoutesYamlBackIntoTheSameForm() {
        FileSet files = ConfigEdits.putRoute(
                FileSet.of(Map.of("routes.yaml", "routes: []\n")),
                SIAO_ROUTE.id(),
                SIAO_ROUTE.entry(new LinkedHashMap<>()).orElseThrow());
        JsonNode tree =
                ConfigEdits.tree("routes.yaml", files.text("routes.yaml").orElseThrow());

        RouteForm back = RouteForm.of(tree.path("routes").get(0));

        assertThat(back.type()).isEqualTo("victim.orientation");
        assertThat(back.from()).containsExactly("police", "social");
        assertThat(back.departments()).isEqualTo("75, 974");
        assertThat(back.recipients()).containsExactly("siao-75", "association agrément exit-pathway", "siao");
        assertThat(back.fieldPaths()).containsExactly("subject.languages", "needs", "offences");
        assertThat(back.subject()).isEqualTo("adult");
    }

    @Test
    void countsAsLostOnlyTheLeavesOfTheSchema() {
        List<String> leaves =
                RouteTrials.leaves(Set.of("subject", "subject.contact", "subject.contact.phone", "needs"));

        assertThat(leaves).containsExactly("needs", "subject.contact.phone");
    }

    @Test
    void placesEachProblemBesideTheFieldOfThisRouteItConcerns() {
        String yaml = candidate();
        Map<Integer, String> keys = RouteProblems.keysByLine(yaml, SIAO_ROUTE.id());
        int offences = line(yaml, "- offences");
        int from = line(yaml, "from:");
        String route = "route " + SIAO_ROUTE.id();
        List<ConfigProblem> problems = List.of(
                error(offences, route + " lists field 'offences', offence data (rule no-offence-data-to-siao)"),
                error(line(yaml, "- id: " + SIAO_ROUTE.id()), route + " sends to a siao, but (rule adults-only)"),
                error(line(yaml, "partner: siao-75"), route + " sends it to partner siao-75 (rule recipient-intended)"),
                error(from, "'from' is empty: the route would match no sender"),
                error(2, "route other lists field 'x', which is not in the schema (rule fields-in-schema)"),
                new ConfigProblem(
                        ConfigProblem.Severity.WARNING,
                        Path.of("routes.yaml"),
                        1,
                        "shelter.request sent in department 974 would reach nobody (rule department-covered)",
                        "add a route"),
                new ConfigProblem(ConfigProblem.Severity.ERROR, Path.of("partners/siao-75.yaml"), offences, "bad", ""));

        RouteProblems.Placed placed = RouteProblems.place(problems, SIAO_ROUTE.id(), Optional.of(yaml));

        assertThat(keys).containsEntry(offences, "fields").containsEntry(from, "from");
        assertThat(placed.byField().keySet()).containsExactlyInAnyOrder("fields", "subject", "to", "from");
        RoutePage.Problem offence = placed.byField().get("fields").get(0);
        assertThat(offence.title()).isEqualTo("Aucune donnée d'infraction ni de victime vers un SIAO (CNIL)");
        assertThat(offence.message()).endsWith("(rule no-offence-data-to-siao)");
        assertThat(offence.fix()).isEqualTo("remove it");
        assertThat(offence.where()).isEmpty();
        assertThat(placed.byField().get("subject").get(0).title())
                .isEqualTo("Service réservé aux adultes : aucun signalement sur un mineur");
        assertThat(placed.byField().get("from").get(0).title()).isEqualTo("Erreur de configuration");
        assertThat(placed.summary())
                .extracting(RoutePage.Problem::title)
                .containsExactly(
                        "Champ absent du schéma canonique de ce type",
                        "Département sans destinataire pour un type qu'un partenaire peut envoyer",
                        "Erreur de configuration");
        assertThat(placed.summary().get(0).where()).isEqualTo("routes.yaml, ligne 2");
    }

    @Test
    void showsTheProblemsBesideTheirFieldsWithTheMessageInEnglish() {
        String yaml = candidate();
        RouteProblems.Placed placed = RouteProblems.place(
                List.of(error(
                        line(yaml, "- offences"),
                        "route orientation-75-test lists field 'offences' (rule no-offence-data-to-siao)")),
                SIAO_ROUTE.id(),
                Optional.of(yaml));

        String html = render(page(true, placed.byField()));

        assertThat(html)
                .contains("Rien n'a été enregistré : la route ne passe pas les vérifications")
                .contains("aria-describedby=\"erreur-fields\"")
                .contains("<div class=\"fr-messages-group\" id=\"erreur-fields\">")
                .contains("<strong>Aucune donnée d'infraction ni de victime vers un SIAO (CNIL)</strong>")
                .contains("<span lang=\"en\">route orientation-75-test lists field 'offences' (rule"
                        + " no-offence-data-to-siao)</span>")
                .contains("fr-input-group--error")
                .contains("Les 3 chemins du schéma de ce type</summary>", "needs, subject, subject.languages")
                .doesNotContain("aria-describedby=\"\"", "erreur-to", "erreur-subject");
    }

    @Test
    void showsAnAuditorTheRouteWithoutAnythingThatChangesIt() {
        String html = render(page(false, Map.of()));

        assertThat(html)
                .contains("<h1>Route orientation-75-test</h1>", "Orientation d'une victime", "police, service social")
                .contains("<form method=\"get\" action=\"/console/routes/orientation-75-test\">")
                .contains(">Essayer</button>")
                .doesNotContain("method=\"post\"", "name=\"csrf\"", "Enregistrer", "Supprimer");
    }

    private static RoutePage page(boolean admin, Map<String, List<RoutePage.Problem>> problems) {
        RoutePage.Trial trial = new RoutePage.Trial(
                "police-75-brp",
                "75",
                List.of(new RoutePage.Option("police-75-brp", "police-75-brp")),
                "",
                true,
                List.of(),
                List.of(new RoutePage.Reached(
                        "siao-75",
                        "SIAO",
                        List.of(SIAO_ROUTE.id()),
                        true,
                        List.of("needs"),
                        List.of("subject.familyName"),
                        "",
                        "https",
                        "cms",
                        "siao-json",
                        List.of())),
                List.of("type"));
        return new RoutePage(
                admin ? "admin" : "auditor",
                admin,
                false,
                "token",
                "",
                SIAO_ROUTE,
                List.of(new RoutePage.Option("victim.orientation", "Orientation d'une victime")),
                List.of(new RoutePage.Option("police", "police")),
                List.of(new RoutePage.Option("", "toute personne")),
                List.of("needs", "subject", "subject.languages"),
                problems.isEmpty() ? "" : "Rien n'a été enregistré : la route ne passe pas les vérifications",
                problems,
                List.of(),
                trial);
    }

    @Test
    void trialShowsThatAPrefectureMayNotSendARemovalObjectiveForAnotherDepartment() {
        Department paris = Department.of("75");
        Partner reunion = TestPartners.partner(
                "prefecture-974", Set.of(Department.of("974")), Set.of(ReferralType.REMOVAL_OBJECTIVE));
        Partner police = TestPartners.partner("police-75-brp", Set.of(paris), Set.of());
        Route removal = new Route(
                "removal-objective-police",
                ReferralType.REMOVAL_OBJECTIVE,
                Set.of(PartnerKind.PREFECTURE),
                Set.of(),
                List.of(new Recipient.ByKind(PartnerKind.POLICE, Optional.empty())),
                List.of("decision"));
        Deployment deployment = new Deployment(
                ConfigLoader.settings(ShippedConfig.GATEWAY, Map.of()),
                Map.of(reunion.id(), reunion, police.id(), police),
                List.of(removal));
        RouteForm form = new RouteForm(
                removal.id(), "removal.objective", List.of("prefecture"), "", "police", "decision", "", "", "", "");

        RoutePage.Trial trial = new RouteTrials(type -> Set.of("decision"), Clock.systemUTC())
                .trial(Optional.of(deployment), form, "prefecture-974", "75", new HashMap<>());

        assertThat(trial.note())
                .isEqualTo("Un vrai signalement serait refusé (message du routeur ci-dessous, en anglais).");
        assertThat(trial.refusals())
                .containsExactly(Territory.refusal(reunion, ReferralType.REMOVAL_OBJECTIVE, paris)
                        .orElseThrow());
    }

    private static String candidate() {
        return ConfigEdits.putRoute(
                        FileSet.of(Map.of("routes.yaml", "routes:\n- id: other\n  type: shelter.request\n")),
                        SIAO_ROUTE.id(),
                        SIAO_ROUTE.entry(new LinkedHashMap<>()).orElseThrow())
                .text("routes.yaml")
                .orElseThrow();
    }

    private static ConfigProblem error(int line, String message) {
        return new ConfigProblem(ConfigProblem.Severity.ERROR, Path.of("routes.yaml"), line, message, "remove it");
    }

    /** The number, from 1, of the first line of {@code yaml} that holds {@code text}. */
    private static int line(String yaml, String text) {
        List<String> lines = yaml.lines().collect(Collectors.toList());
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line with " + text + " in\n" + yaml);
    }

    private static String render(RoutePage view) {
        ApiResponse page =
                ConsolePages.page(HttpResponseStatus.UNPROCESSABLE_ENTITY, "route.jte", Map.of("view", view));
        return new String(page.body(), StandardCharsets.UTF_8);
    }
}
