package fr.passerelle.server.console;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.Administrator;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.versions.ConfigDiff;
import fr.passerelle.core.config.versions.ConfigVersion;
import fr.passerelle.core.config.versions.FileSet;
import fr.passerelle.core.config.versions.LiveDeployment;
import fr.passerelle.core.config.versions.VersionInfo;
import fr.passerelle.core.config.versions.VersionedConfig;
import fr.passerelle.server.api.admin.ConfigChanges;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.EndpointTable;
import fr.passerelle.server.http.EndpointTable.Access;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The configuration's versions in the console, on the admin API's operations ({@link ConfigChanges}, as
 * {@code /admin/v1/versions} uses them): {@code GET /console/versions?avant=N} the history, newest first, and the
 * form that compares two versions ({@code ?de=m&vers=n}, which leads to their diff); {@code GET
 * /console/versions/{n}} a version, what changed from its parent and its diff; {@code GET
 * /console/versions/{n}/diff?avec=m} the diff of any two versions; {@code POST /console/versions/{n}/restaurer}
 * (role admin) stores version n's files as the next version, with a required comment. A gateway run without
 * versions shows the configuration it runs on and says why there is no history.
 */
final class VersionsPages {
    static final String PATH = ConsolePages.PREFIX + "versions";
    /** Versions per page of the history: each line reads its files and its parent's, to tell what changed. */
    static final int PAGE = 20;
    /** The restore form's comment field. */
    static final String COMMENT = "commentaire";

    private static final String NUMBER_EXPECTED =
            "Saisir un numéro de version : un nombre entier à partir de 1, par exemple 3.";

    private final Optional<VersionHistory> history;
    private final LiveDeployment live;
    private final CsrfTokens csrf;

    VersionsPages(Optional<VersionHistory> history, LiveDeployment live, CsrfTokens csrf) {
        this.history = Objects.requireNonNull(history, "history");
        this.live = Objects.requireNonNull(live, "live");
        this.csrf = Objects.requireNonNull(csrf, "csrf");
    }

    /** Adds the versions' pages to {@code table}: reading for an auditor, restoring for role admin only. */
    static void register(EndpointTable.Builder table, ConsoleServices services) {
        VersionsPages pages =
                new VersionsPages(services.config().map(VersionHistory::of), services.live(), services.csrf());
        table.add(HttpMethod.GET, PATH, Access.AUDITOR, pages::list)
                .add(HttpMethod.GET, PATH + "/{n}", Access.AUDITOR, pages::one)
                .add(HttpMethod.GET, PATH + "/{n}/diff", Access.AUDITOR, pages::diff)
                .add(HttpMethod.POST, PATH + "/{n}/restaurer", Access.ADMIN, pages::restore);
    }

    ApiResponse list(ApiRequest request) {
        if (history.isEmpty()) {
            return withoutVersions(request.admin(), HttpResponseStatus.OK);
        }
        VersionHistory versions = history.get();
        String de = text(request, "de");
        String vers = text(request, "vers");
        Map<String, String> errors = new LinkedHashMap<>();
        if (!de.isEmpty() || !vers.isEmpty()) {
            Optional<Integer> from = existing(de, "de", versions, errors);
            Optional<Integer> to = existing(vers, "vers", versions, errors);
            if (from.isPresent() && from.equals(to)) {
                errors.put("vers", "Choisir deux versions différentes.");
            }
            if (errors.isEmpty()) {
                return ConsolePages.redirect(diffLink(to.orElseThrow(), from.orElseThrow()));
            }
        }
        String pageError = "";
        Optional<Integer> before = Optional.empty();
        String avant = text(request, "avant");
        if (!avant.isEmpty()) {
            before = number(avant);
            if (before.isEmpty()) {
                pageError = "Le lien des versions plus anciennes n'est plus valable : revenir à la première page.";
            }
        }
        Versions view = history(request.admin(), versions, before, new Versions.Compare(de, vers, errors), pageError);
        return ConsolePages.page(HttpResponseStatus.OK, "versions.jte", Map.of("view", view));
    }

    private Versions history(
            Administrator admin,
            VersionHistory versions,
            Optional<Integer> before,
            Versions.Compare compare,
            String error) {
        OptionalInt current = versions.current();
        List<VersionInfo> page = versions.list(before, PAGE);
        Map<Integer, FileSet> files = new HashMap<>();
        List<Versions.Line> lines = new ArrayList<>();
        for (VersionInfo info : page) {
            ConfigDiff diff =
                    ConfigDiff.between(parentFiles(info, versions, files), files(info.number(), versions, files));
            lines.add(Versions.Line.of(info, diff, isCurrent(info.number(), current)));
        }
        String next = "";
        if (page.size() == PAGE && page.get(page.size() - 1).number() > 1) {
            next = PATH + "?avant=" + page.get(page.size() - 1).number();
        }
        Optional<Versions.Failure> failure =
                live.failure().map(failed -> new Versions.Failure(failed.version(), failed.reason()));
        return new Versions(admin.id(), live.version(), failure, lines, compare, error, next);
    }

    ApiResponse one(ApiRequest request) {
        if (history.isEmpty()) {
            return withoutVersions(request.admin(), HttpResponseStatus.NOT_FOUND);
        }
        Optional<ConfigVersion> version = version(request, history.get());
        if (version.isEmpty()) {
            return notFound();
        }
        boolean restored = text(request, "confirmation").equals("restauree");
        Administrator admin = request.admin();
        return versionPage(
                admin, version.get(), restored, restoreForm(admin, "", ""), Optional.empty(), HttpResponseStatus.OK);
    }

    ApiResponse diff(ApiRequest request) {
        if (history.isEmpty()) {
            return withoutVersions(request.admin(), HttpResponseStatus.NOT_FOUND);
        }
        VersionHistory versions = history.get();
        Optional<ConfigVersion> version = version(request, versions);
        if (version.isEmpty()) {
            return notFound();
        }
        ConfigVersion to = version.get();
        Map<String, String> errors = new LinkedHashMap<>();
        String avec = text(request, "avec");
        Optional<Integer> from = avec.isEmpty() ? to.info().parent() : existing(avec, "de", versions, errors);
        VersionDiff view;
        if (from.isPresent()) {
            FileSet before = files(from.get(), versions, new HashMap<>());
            ConfigDiff diff = ConfigDiff.between(before, to.files());
            view = new VersionDiff(
                    request.admin().id(),
                    to.number(),
                    from,
                    Versions.Compare.of(from, to.number()),
                    Versions.Changes.of(diff),
                    VersionDiff.files(diff));
        } else {
            // A bad number, or the first version, which has no parent: the form asks for another.
            view = new VersionDiff(
                    request.admin().id(),
                    to.number(),
                    Optional.empty(),
                    new Versions.Compare(avec, Integer.toString(to.number()), errors),
                    new Versions.Changes(List.of()),
                    List.of());
        }
        return ConsolePages.page(HttpResponseStatus.OK, "version-diff.jte", Map.of("view", view));
    }

    ApiResponse restore(ApiRequest request) {
        ConsoleForm form = ConsoleForm.read(request, csrf);
        if (history.isEmpty()) {
            return withoutVersions(request.admin(), HttpResponseStatus.NOT_FOUND);
        }
        VersionHistory versions = history.get();
        Optional<ConfigVersion> found = version(request, versions);
        if (found.isEmpty()) {
            return notFound();
        }
        ConfigVersion version = found.get();
        Administrator admin = request.admin();
        String comment = form.value(COMMENT);
        String error = VersionPage.Restore.commentError(comment);
        if (!error.isEmpty()) {
            return versionPage(
                    admin,
                    version,
                    false,
                    restoreForm(admin, comment, error),
                    Optional.empty(),
                    HttpResponseStatus.UNPROCESSABLE_ENTITY);
        }
        try {
            VersionedConfig.Outcome outcome = versions.rollback(request, version.number(), comment);
            return ConsolePages.redirect(PATH + "/" + outcome.current() + "?confirmation=restauree");
        } catch (GatewayException e) {
            Optional<VersionPage.Refusal> refusal = VersionPage.Refusal.of(e, version.number(), versions.current());
            if (refusal.isEmpty()) {
                throw e;
            }
            HttpResponseStatus status = e.code() == ErrorCode.CONFIG_REFUSED
                    ? HttpResponseStatus.UNPROCESSABLE_ENTITY
                    : HttpResponseStatus.CONFLICT;
            return versionPage(admin, version, false, restoreForm(admin, comment, ""), refusal, status);
        }
    }

    private ApiResponse versionPage(
            Administrator admin,
            ConfigVersion version,
            boolean restored,
            Optional<VersionPage.Restore> restore,
            Optional<VersionPage.Refusal> refusal,
            HttpResponseStatus status) {
        VersionHistory versions = history.orElseThrow();
        OptionalInt current = versions.current();
        VersionInfo info = version.info();
        Map<Integer, FileSet> files = new HashMap<>(Map.of(info.number(), version.files()));
        ConfigDiff diff = ConfigDiff.between(parentFiles(info, versions, files), version.files());
        boolean isCurrent = isCurrent(info.number(), current);
        VersionPage page = new VersionPage(
                admin.id(),
                Versions.Line.of(info, diff, isCurrent),
                info.digest(),
                List.copyOf(version.files().files().keySet()),
                info.parent().isPresent() ? VersionDiff.files(diff) : List.of(),
                restored && info.restoredFrom().isPresent(),
                isCurrent ? Optional.empty() : restore,
                refusal);
        return ConsolePages.page(status, "version.jte", Map.of("view", page));
    }

    private Optional<VersionPage.Restore> restoreForm(Administrator admin, String comment, String error) {
        if (!ConfigChanges.permits(admin)) {
            return Optional.empty();
        }
        return Optional.of(new VersionPage.Restore(csrf.tokenFor(admin), comment, error));
    }

    /** The versions' pages of a gateway run without versions: what it runs on, and why there is no history. */
    private ApiResponse withoutVersions(Administrator admin, HttpResponseStatus status) {
        Deployment deployment = live.get();
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("administrator", admin.id());
        params.put("partners", deployment.partners().size());
        params.put("routes", deployment.routes().size());
        params.put("administrators", deployment.administrators().size());
        return ConsolePages.page(status, "versions-absentes.jte", params);
    }

    private static ApiResponse notFound() {
        return ConsolePages.notFound(
                "Version introuvable",
                "Aucune version de la configuration ne porte ce numéro. Les versions sont listées dans la page"
                        + " Versions de la console.");
    }

    static String diffLink(int to, int against) {
        return PATH + "/" + to + "/diff?avec=" + against;
    }

    private static Optional<ConfigVersion> version(ApiRequest request, VersionHistory versions) {
        return number(request.pathParam("n")).flatMap(versions::find);
    }

    /** The number of an existing version typed in {@code field}; a bad or unknown one puts a message beside it. */
    private static Optional<Integer> existing(
            String text, String field, VersionHistory versions, Map<String, String> errors) {
        Optional<Integer> number = number(text);
        if (number.isEmpty()) {
            errors.put(field, NUMBER_EXPECTED);
            return Optional.empty();
        }
        OptionalInt current = versions.current();
        if (current.isEmpty()
                || number.get() > current.getAsInt()
                || versions.find(number.get()).isEmpty()) {
            errors.put(
                    field,
                    "La version " + number.get() + " n'existe pas"
                            + (current.isPresent() ? " : la plus récente est la version " + current.getAsInt() : "")
                            + ".");
            return Optional.empty();
        }
        return number;
    }

    /** A version number, from 1; empty for anything else. */
    static Optional<Integer> number(String text) {
        if (text == null || text.isEmpty() || text.length() > 9 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.empty();
        }
        int number = Integer.parseInt(text);
        return number >= 1 ? Optional.of(number) : Optional.empty();
    }

    private static FileSet parentFiles(VersionInfo info, VersionHistory versions, Map<Integer, FileSet> files) {
        return info.parent().map(p -> files(p, versions, files)).orElse(FileSet.of(Map.of()));
    }

    private static FileSet files(int number, VersionHistory versions, Map<Integer, FileSet> files) {
        return files.computeIfAbsent(number, n -> versions.find(n)
                .map(ConfigVersion::files)
                .orElseThrow(() -> new GatewayException(
                        ErrorCode.STORE_FAILED, "configuration version " + n + " is listed but cannot be read")));
    }

    private static boolean isCurrent(int number, OptionalInt current) {
        return current.isPresent() && current.getAsInt() == number;
    }

    private static String text(ApiRequest request, String name) {
        return request.queryParam(name).orElse("").strip();
    }
}
