package fr.passerelle.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.ConfigReport;
import fr.passerelle.core.config.model.Administrator;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.versions.ConfigEdits;
import fr.passerelle.core.config.versions.ConfigVersions;
import fr.passerelle.core.config.versions.FileSet;
import fr.passerelle.core.config.versions.VersionedConfig;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.server.api.admin.ConfigChanges;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.EndpointTable;
import fr.passerelle.server.http.EndpointTable.Access;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.StreamSupport;

/**
 * The console's routing table: {@code GET /console/routes}, a route's form {@code GET /console/routes/{id}} (and
 * {@code /console/routes/nouvelle}) with the dry run beside it, {@code POST …/essai} (check and dry run of the
 * route as edited, nothing stored), {@code POST /console/routes/{id}} (stores it, as the admin API's {@code PUT
 * /admin/v1/routes/{id}}) and {@code POST …/supprimer} (as its {@code DELETE}). Built on the admin API's
 * {@link ConfigChanges} and {@link ConfigEdits}: the same checks, the same audit. An auditor reads, and runs the dry
 * run of a stored route with a GET form. {@value #NEW} is the new route's form, never a route's id here.
 */
public final class RoutesPages {
    static final String PATH = ConsolePages.PREFIX + "routes";
    static final String NEW = "nouvelle";

    private static final String NO_VERSIONS = "Cette passerelle fonctionne sans versions de configuration (dossier"
            + " config/ lu au démarrage) : la console montre la table de routage en vigueur, sans la modifier.";

    private final ConsoleServices services;
    private final RouteTrials trials;

    RoutesPages(ConsoleServices services) {
        this.services = services;
        this.trials = new RouteTrials(services.validator()::fieldPaths, services.clock());
    }

    /** Adds the routing table's pages to {@code table}. */
    public static void register(EndpointTable.Builder table, ConsoleServices services) {
        RoutesPages pages = new RoutesPages(services);
        String route = PATH + "/{route}";
        String created = PATH + "/" + NEW;
        table.add(HttpMethod.GET, PATH, Access.AUDITOR, pages::list)
                .add(HttpMethod.GET, created, Access.ADMIN, pages::blank)
                .add(HttpMethod.POST, created, Access.ADMIN, r -> pages.save(r, Optional.empty()))
                .add(HttpMethod.POST, created + "/essai", Access.ADMIN, r -> pages.trial(r, Optional.empty()))
                .add(HttpMethod.GET, route, Access.AUDITOR, pages::one)
                .add(HttpMethod.POST, route, Access.ADMIN, r -> pages.save(r, Optional.of(r.pathParam("route"))))
                .add(
                        HttpMethod.POST,
                        route + "/essai",
                        Access.ADMIN,
                        r -> pages.trial(r, Optional.of(r.pathParam("route"))))
                .add(HttpMethod.POST, route + "/supprimer", Access.ADMIN, pages::delete);
    }

    ApiResponse list(ApiRequest request) {
        List<RouteTable.Line> lines = stored().stream().map(RouteWords::line).toList();
        String version = services.config()
                .map(c -> Integer.toString(c.current().number()))
                .orElse("");
        RouteTable table = new RouteTable(
                request.admin().id(),
                canEdit(request.admin()),
                notice(request),
                services.config().isPresent() ? "" : NO_VERSIONS,
                version,
                lines);
        return ConsolePages.page(HttpResponseStatus.OK, "routes.jte", Map.of("view", table));
    }

    ApiResponse blank(ApiRequest request) {
        Map<String, String> errors = new LinkedHashMap<>();
        RoutePage.Trial trial = trials.trial(Optional.empty(), RouteForm.empty(), "", "", errors);
        return page(request, HttpResponseStatus.OK, RouteForm.empty(), true, Checked.NONE, errors, trial);
    }

    /** The stored route, and the dry run on the configuration in force for the sender and department asked. */
    ApiResponse one(ApiRequest request) {
        String id = request.pathParam("route");
        RouteForm form = stored(id);
        Map<String, String> errors = new LinkedHashMap<>();
        RoutePage.Trial trial = trials.trial(
                Optional.of(services.live().get()),
                form,
                request.queryParam(RouteTrials.SENDER).orElse("").strip(),
                request.queryParam(RouteTrials.DEPARTMENT).orElse("").strip(),
                errors);
        return page(request, HttpResponseStatus.OK, form, false, Checked.NONE, errors, trial);
    }

    /** {@code Essayer}: the checks and the dry run of the route as edited; stores nothing. */
    ApiResponse trial(ApiRequest request, Optional<String> id) {
        ConsoleForm posted = ConsoleForm.read(request, services.csrf());
        RouteForm form = RouteForm.read(posted, id);
        Map<String, String> errors = new LinkedHashMap<>();
        Checked checked = check(form, id.isEmpty(), errors);
        RoutePage.Trial trial = trial(checked, form, posted, errors);
        return page(request, HttpResponseStatus.OK, form, id.isEmpty(), checked, errors, trial);
    }

    /** {@code Enregistrer}: stores the route when the checks pass, as the admin API's PUT; else 422. */
    ApiResponse save(ApiRequest request, Optional<String> id) {
        ConsoleForm posted = ConsoleForm.read(request, services.csrf());
        ConfigChanges config = changes();
        RouteForm form = RouteForm.read(posted, id);
        Map<String, String> errors = new LinkedHashMap<>();
        Checked checked = check(form, id.isEmpty(), errors);
        if (errors.isEmpty() && checked.deployment().isPresent()) {
            ObjectNode entry = checked.entry().orElseThrow();
            try {
                VersionedConfig.Outcome outcome = config.change(
                        request,
                        files -> ConfigEdits.putRoute(files, form.id(), entry),
                        form.comment(),
                        Map.of("operation", "route.put", "route", form.id()));
                return ConsolePages.redirect(PATH + "?" + (outcome.stored().isPresent() ? "enregistree" : "inchangee")
                        + "=" + encode(form.id()) + "&version=" + outcome.current());
            } catch (GatewayException e) {
                if (e.code() != ErrorCode.CONFIG_REFUSED) {
                    throw e;
                }
                // Another version became current meanwhile and the route no longer passes on it.
                checked = check(form, id.isEmpty(), errors);
            }
        }
        RoutePage.Trial trial = trial(checked, form, posted, errors);
        return page(request, HttpResponseStatus.UNPROCESSABLE_ENTITY, form, id.isEmpty(), checked, errors, trial);
    }

    /** {@code Supprimer}, once confirmed: as the admin API's DELETE. */
    ApiResponse delete(ApiRequest request) {
        ConsoleForm posted = ConsoleForm.read(request, services.csrf());
        ConfigChanges config = changes();
        String id = request.pathParam("route");
        RouteForm form = stored(id);
        Map<String, String> errors = new LinkedHashMap<>();
        Checked checked = Checked.NONE;
        String comment = posted.value("comment");
        if (!comment(comment, errors) || !posted.value("confirmation").equals("oui")) {
            if (!errors.containsKey("comment")) {
                errors.put("confirmation", "Cocher la case pour confirmer la suppression de la route " + id + ".");
            }
        } else {
            try {
                VersionedConfig.Outcome outcome = config.change(
                        request,
                        files -> ConfigEdits.deleteRoute(files, id),
                        comment,
                        Map.of("operation", "route.delete", "route", id));
                return ConsolePages.redirect(PATH + "?supprimee=" + encode(id) + "&version=" + outcome.current());
            } catch (GatewayException e) {
                if (e.code() != ErrorCode.CONFIG_REFUSED) {
                    throw e;
                }
                // The table without this route fails a check (a type no route carries any more, say).
                ConfigReport report =
                        config.check(ConfigEdits.deleteRoute(config.current().files(), id));
                checked = new Checked(
                        Optional.empty(),
                        RouteProblems.place(report.problems(), id, Optional.empty()),
                        Optional.empty());
            }
        }
        RoutePage.Trial trial = trials.trial(Optional.of(services.live().get()), form, "", "", new LinkedHashMap<>());
        return page(request, HttpResponseStatus.UNPROCESSABLE_ENTITY, form, false, checked, errors, trial);
    }

    /**
     * The route as edited, put in the current files and checked as the change would be.
     *
     * @param entry      the entry written, when the form could be written
     * @param placed     the checks' problems, beside the fields they concern
     * @param deployment the candidate deployment, when the checks found no error
     */
    record Checked(Optional<ObjectNode> entry, RouteProblems.Placed placed, Optional<Deployment> deployment) {
        static final Checked NONE =
                new Checked(Optional.empty(), new RouteProblems.Placed(Map.of(), List.of()), Optional.empty());
    }

    private Checked check(RouteForm form, boolean isNew, Map<String, String> errors) {
        ConfigChanges config = changes();
        Optional<ObjectNode> entry = form.entry(errors);
        comment(form.comment(), errors);
        FileSet current = config.current().files();
        if (isNew
                && routes(current).stream()
                        .anyMatch(r -> r.path("id").asText("").equals(form.id()))) {
            errors.put(
                    "id",
                    "Une route porte déjà cet identifiant : choisir un autre identifiant, ou ouvrir cette route.");
        }
        if (entry.isEmpty() || errors.containsKey("id")) {
            return Checked.NONE;
        }
        FileSet candidate;
        try {
            candidate = ConfigEdits.putRoute(current, form.id(), entry.get());
        } catch (GatewayException e) {
            errors.put(
                    "id",
                    "Saisir un identifiant de lettres minuscules, de chiffres et de tirets, par exemple"
                            + " orientation-976.");
            return Checked.NONE;
        }
        ConfigReport report = config.check(candidate);
        return new Checked(
                entry,
                RouteProblems.place(report.problems(), form.id(), candidate.text("routes.yaml")),
                report.deployment());
    }

    /** Whether the audit comment is one line short enough; else says so beside it. */
    private static boolean comment(String comment, Map<String, String> errors) {
        try {
            ConfigVersions.checkComment(comment);
            return true;
        } catch (GatewayException e) {
            errors.put(
                    "comment",
                    "Le commentaire tient sur une seule ligne de " + ConfigVersions.MAX_COMMENT
                            + " caractères au plus.");
            return false;
        }
    }

    private RoutePage.Trial trial(Checked checked, RouteForm form, ConsoleForm posted, Map<String, String> errors) {
        return trials.trial(
                checked.deployment(),
                form,
                posted.value(RouteTrials.SENDER),
                posted.value(RouteTrials.DEPARTMENT),
                errors);
    }

    private ApiResponse page(
            ApiRequest request,
            HttpResponseStatus status,
            RouteForm form,
            boolean isNew,
            Checked checked,
            Map<String, String> errors,
            RoutePage.Trial trial) {
        Administrator admin = request.admin();
        Map<String, List<RoutePage.Problem>> problems = new LinkedHashMap<>();
        errors.forEach((field, message) ->
                problems.computeIfAbsent(field, f -> new ArrayList<>()).add(RoutePage.Problem.ofForm(message)));
        checked.placed().byField().forEach((field, placed) -> problems.computeIfAbsent(field, f -> new ArrayList<>())
                .addAll(placed));
        boolean refused = !errors.isEmpty()
                || checked.placed().summary().stream().anyMatch(RoutePage.Problem::error)
                || problems.values().stream().flatMap(List::stream).anyMatch(RoutePage.Problem::error);
        String heading = refused
                ? (status.equals(HttpResponseStatus.OK)
                        ? "La route ne passe pas les vérifications"
                        : "Rien n'a été enregistré : la route ne passe pas les vérifications")
                : "";
        RoutePage view = new RoutePage(
                admin.id(),
                canEdit(admin),
                isNew,
                services.csrf().tokenFor(admin),
                services.config().isPresent() ? "" : NO_VERSIONS,
                form,
                RouteWords.types(),
                RouteWords.kinds(),
                RouteWords.subjects(),
                ReferralType.find(form.type())
                        .map(type ->
                                List.copyOf(new TreeSet<>(services.validator().fieldPaths(type))))
                        .orElse(List.of()),
                heading,
                problems,
                checked.placed().summary(),
                trial);
        return ConsolePages.page(status, "route.jte", Map.of("view", view));
    }

    private boolean canEdit(Administrator admin) {
        return ConfigChanges.permits(admin) && services.config().isPresent();
    }

    private ConfigChanges changes() {
        return services.config()
                .orElseThrow(() -> new GatewayException(
                        ErrorCode.STATE_CONFLICT,
                        "this gateway runs without configuration versions: routes are changed in config/routes.yaml"));
    }

    /** Every route of the current version (or, without versions, of the deployment in force), in file order. */
    private List<RouteForm> stored() {
        if (services.config().isEmpty()) {
            return services.live().get().routes().stream().map(RouteForm::of).toList();
        }
        return routes(services.config().get().current().files()).stream()
                .map(RouteForm::of)
                .toList();
    }

    private RouteForm stored(String id) {
        return stored().stream()
                .filter(form -> form.id().equals(id))
                .findFirst()
                .orElseThrow(() -> new GatewayException(ErrorCode.NOT_FOUND, "no route '" + id + "'"));
    }

    private static List<JsonNode> routes(FileSet files) {
        return files.text("routes.yaml")
                .map(text -> ConfigEdits.tree("routes.yaml", text).path("routes"))
                .map(routes -> StreamSupport.stream(routes.spliterator(), false).toList())
                .orElse(List.of());
    }

    private static String notice(ApiRequest request) {
        String version = request.queryParam("version")
                .filter(v -> v.matches("[0-9]{1,9}"))
                .orElse("");
        String suffix = version.isEmpty() ? "." : " : version " + version + " de la configuration, en vigueur.";
        Optional<String> saved = routeId(request, "enregistree");
        if (saved.isPresent()) {
            return "La route " + saved.get() + " est enregistrée" + suffix;
        }
        Optional<String> same = routeId(request, "inchangee");
        if (same.isPresent()) {
            return "La route " + same.get() + " n'a pas changé : aucune version n'a été créée.";
        }
        return routeId(request, "supprimee")
                .map(id -> "La route " + id + " est supprimée" + suffix)
                .orElse("");
    }

    private static Optional<String> routeId(ApiRequest request, String name) {
        return request.queryParam(name).filter(id -> id.matches("[a-z0-9][a-z0-9.-]{0,62}"));
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
