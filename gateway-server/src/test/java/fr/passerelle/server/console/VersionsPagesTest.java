package fr.passerelle.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.ConfigLoader;
import fr.passerelle.core.config.ShippedConfig;
import fr.passerelle.core.config.model.Administrator;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.versions.ConfigDiff;
import fr.passerelle.core.config.versions.ConfigVersion;
import fr.passerelle.core.config.versions.FileSet;
import fr.passerelle.core.config.versions.LiveDeployment;
import fr.passerelle.core.config.versions.VersionInfo;
import fr.passerelle.core.config.versions.VersionedConfig;
import fr.passerelle.core.referral.Domain;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class VersionsPagesTest {
    private static final Administrator ADMIN = new Administrator("alice", "Alice", Administrator.Role.ADMIN, "AA");
    private static final Administrator AUDITOR = new Administrator("bob", "Bob", Administrator.Role.AUDITOR, "BB");
    private static final Administrator LIMITED =
            new Administrator("carol", "Carol", Administrator.Role.ADMIN, "CC", Set.of(Domain.VICTIM_SUPPORT));
    /** 10:00 in Paris. */
    private static final Instant APPLIED = Instant.parse("2026-12-05T09:00:00Z");

    private static final String ROUTES = "routes:\n  - id: shelter-siao\n    type: shelter.request\n"
            + "    from: [police]\n    to:\n      - partner: siao-75\n";

    private final CsrfTokens csrf = new CsrfTokens(new byte[32]);
    private final FakeHistory history = new FakeHistory();
    private final VersionsPages pages = new VersionsPages(Optional.of(history), live(), csrf);

    @Test
    void showsAChangedLineAsRemovedAndAddedBySignTextAndTagAndEscapesIt() {
        history.add(ROUTES, "", Optional.empty());
        history.add(ROUTES.replace("[police]", "[police, \"<script>alert(1)</script>\"]"), "", Optional.empty());

        String html = html(pages.diff(get("/console/versions/2/diff", Map.of("avec", "1"), Map.of("n", "2"))));

        assertThat(html)
                .contains("<h1>De la version 1 à la version 2</h1>", "Lignes 2 à 6 avant, lignes 2 à 6 après")
                .contains("<strong>Routes</strong>", "— modification : shelter-siao")
                .containsPattern("<tr class=\"pa-diff--retrait\">\\s*<td>4</td>\\s*<td></td>\\s*"
                        + "<td class=\"pa-diff__signe\"><span aria-hidden=\"true\">−</span>"
                        + "<span class=\"fr-sr-only\">ligne supprimée</span></td>\\s*"
                        + "<td class=\"pa-diff__texte\"><del>    from: \\[police\\]</del></td>")
                .containsPattern("<tr class=\"pa-diff--ajout\">\\s*<td></td>\\s*<td>4</td>\\s*"
                        + "<td class=\"pa-diff__signe\"><span aria-hidden=\"true\">\\+</span>"
                        + "<span class=\"fr-sr-only\">ligne ajoutée</span></td>\\s*"
                        + "<td class=\"pa-diff__texte\"><ins>    from: \\[police, \"&lt;script&gt;alert\\(1\\)"
                        + "&lt;/script&gt;\"\\]</ins></td>")
                .contains("<link rel=\"stylesheet\" href=\"/console/static/passerelle-1/console.css\">")
                .doesNotContain("<script", "style=\"");
    }

    @Test
    void readsAUnifiedDiffIntoNumberedRows() {
        List<VersionDiff.Hunk> hunks =
                VersionDiff.hunks(List.of("@@ -0,0 +1 @@", "+first", "@@ -7,3 +8,2 @@", " a", "-b", " c"));

        assertThat(hunks)
                .extracting(VersionDiff.Hunk::title)
                .containsExactly("Aucune ligne avant, ligne 1 après", "Lignes 7 à 9 avant, lignes 8 à 9 après");
        assertThat(hunks.get(1).rows())
                .containsExactly(
                        new VersionDiff.Row(VersionDiff.Kind.CONTEXT, "7", "8", "a"),
                        new VersionDiff.Row(VersionDiff.Kind.REMOVED, "8", "", "b"),
                        new VersionDiff.Row(VersionDiff.Kind.CONTEXT, "9", "9", "c"));
    }

    @Test
    void pagesTheHistoryNewestFirstWithALinkToTheOlderVersions() {
        for (int i = 1; i <= VersionsPages.PAGE + 5; i++) {
            history.add(ROUTES + "# " + i + "\n", "change " + i, Optional.empty());
        }

        String first = html(pages.list(get("/console/versions", Map.of(), Map.of())));
        String second = html(pages.list(get("/console/versions", Map.of("avant", "6"), Map.of())));

        assertThat(first)
                .contains("href=\"/console/versions/25\">Version 25</a>", "href=\"/console/versions/6\">Version 6</a>")
                .contains("href=\"/console/versions?avant=6\">Versions plus anciennes</a>", "change 25")
                .doesNotContain("href=\"/console/versions/5\"");
        assertThat(first.indexOf("Version 25</a>")).isLessThan(first.indexOf("Version 24</a>"));
        assertThat(first.split("fr-badge--success")).hasSize(2);
        assertThat(second)
                .contains("href=\"/console/versions/5\">Version 5</a>", "href=\"/console/versions/1\">Version 1</a>")
                .doesNotContain("Versions plus anciennes", "Version 6</a>", "fr-badge--success");
    }

    @Test
    void tellsWhoAppliedAVersionWhenAndWhatItRestored() {
        history.add(ROUTES, "premier démarrage", Optional.empty());
        history.add(ROUTES + "# b\n", "essai", Optional.empty());
        history.add(ROUTES, "retour <b>arrière</b>", Optional.of(1));

        String html = html(pages.list(get("/console/versions", Map.of(), Map.of())));

        assertThat(html)
                .contains("5 décembre 2026 à 10:00:00", "alice (administrateur)")
                .contains("retour &lt;b&gt;arrière&lt;/b&gt;", "restaurée depuis la version 1")
                .contains("<strong>Partenaires</strong>", "— ajout : siao-75")
                .contains("Aucun partenaire, aucune route ni aucun administrateur ne change.");
    }

    @Test
    void showsABadComparisonNumberBesideItsField() {
        history.add(ROUTES, "", Optional.empty());
        history.add(ROUTES + "# b\n", "", Optional.empty());

        String bad = html(pages.list(get("/console/versions", Map.of("de", "abc", "vers", "99"), Map.of())));
        String same = html(pages.list(get("/console/versions", Map.of("de", "2", "vers", "2"), Map.of())));
        String diff = html(pages.diff(get("/console/versions/2/diff", Map.of("avec", "0"), Map.of("n", "2"))));

        assertThat(bad)
                .contains("La comparaison n'a pas été faite", "aria-describedby=\"erreur-de\"")
                .contains("<p id=\"erreur-de\" class=\"fr-error-text\">Saisir un numéro de version : un nombre"
                        + " entier à partir de 1, par exemple 3.</p>")
                .contains("<p id=\"erreur-vers\" class=\"fr-error-text\">La version 99 n'existe pas : la plus"
                        + " récente est la version 2.</p>")
                .contains("value=\"abc\"");
        assertThat(same)
                .contains("<p id=\"erreur-vers\" class=\"fr-error-text\">Choisir deux versions différentes.</p>");
        assertThat(diff)
                .contains("<p id=\"erreur-de\" class=\"fr-error-text\">Saisir un numéro de version")
                .doesNotContain("Les lignes modifiées");
    }

    @Test
    void leadsAGoodComparisonToTheDiffOfTheTwoVersions() {
        history.add(ROUTES, "", Optional.empty());
        history.add(ROUTES + "# b\n", "", Optional.empty());
        history.add(ROUTES + "# c\n", "", Optional.empty());

        ApiResponse answer = pages.list(get("/console/versions", Map.of("de", "1", "vers", "3"), Map.of()));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.SEE_OTHER);
        assertThat(answer.headers()).containsEntry("Location", "/console/versions/3/diff?avec=1");
    }

    @Test
    void offersTheRestoreFormToAnAdministratorOnlyAndNotOnTheCurrentVersion() {
        history.add(ROUTES, "", Optional.empty());
        history.add(ROUTES + "# b\n", "", Optional.empty());

        String older = html(pages.one(get(ADMIN, "/console/versions/1", Map.of(), Map.of("n", "1"))));
        String current = html(pages.one(get(ADMIN, "/console/versions/2", Map.of(), Map.of("n", "2"))));
        String audited = html(pages.one(get(AUDITOR, "/console/versions/1", Map.of(), Map.of("n", "1"))));
        String limited = html(pages.one(get(LIMITED, "/console/versions/1", Map.of(), Map.of("n", "1"))));

        assertThat(older)
                .contains("<form method=\"post\" action=\"/console/versions/1/restaurer\">")
                .contains("<input type=\"hidden\" name=\"csrf\" value=\"" + csrf.tokenFor(ADMIN) + "\">")
                .contains("C'est la première version : tout y est nouveau.");
        assertThat(current)
                .contains("Version en cours", "Les lignes modifiées depuis la version 1")
                .doesNotContain("<form method=\"post\"");
        assertThat(audited).doesNotContain("<form method=\"post\"", "Restaurer cette version", "csrf");
        assertThat(limited).doesNotContain("<form method=\"post\"", "Restaurer cette version", "csrf");
    }

    @Test
    void refusesAnEmptyCommentBesideTheFieldAndRestoresNothing() {
        history.add(ROUTES, "", Optional.empty());
        history.add(ROUTES + "# b\n", "", Optional.empty());

        ApiResponse answer = pages.restore(post("/console/versions/1/restaurer", "1", "  "));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.UNPROCESSABLE_ENTITY);
        assertThat(history.rollbacks).isEmpty();
        assertThat(html(answer))
                .contains("La version n'a pas été restaurée", "aria-describedby=\"erreur-commentaire\"")
                .contains("<p id=\"erreur-commentaire\" class=\"fr-error-text\">Saisir un commentaire : pourquoi"
                        + " restaurer cette version. Il restera dans l'historique.</p>");
        assertThat(VersionPage.Restore.commentError("x".repeat(501)))
                .isEqualTo("Le commentaire fait 501 caractères : 500 au plus.");
        assertThat(VersionPage.Restore.commentError("x".repeat(500))).isEmpty();
    }

    @Test
    void restoresWithTheCommentAndLeadsToTheNewVersion() {
        history.add(ROUTES, "", Optional.empty());
        history.add(ROUTES + "# b\n", "", Optional.empty());

        ApiResponse answer = pages.restore(post("/console/versions/1/restaurer", "1", "retour à la 1"));
        ApiResponse page =
                pages.one(get(ADMIN, "/console/versions/3", Map.of("confirmation", "restauree"), Map.of("n", "3")));

        assertThat(history.rollbacks).containsExactly("1: retour à la 1");
        assertThat(answer.status()).isEqualTo(HttpResponseStatus.SEE_OTHER);
        assertThat(answer.headers()).containsEntry("Location", "/console/versions/3?confirmation=restauree");
        assertThat(html(page))
                .contains("fr-alert--success", "Version 3 enregistrée", "restaure les fichiers de la version 1")
                .contains("restaurée depuis la", "retour à la 1");
    }

    @Test
    void showsARefusedRestorationInFrenchWithTheGatewaysProblemsInEnglish() {
        history.add(ROUTES, "", Optional.empty());
        history.add(ROUTES + "# b\n", "", Optional.empty());
        history.refusal = new GatewayException(
                ErrorCode.CONFIG_REFUSED,
                "1 problem in the configuration: the change is refused and nothing was stored",
                List.of("partners/siao-75.pem: error: certificate expired on 2026-11-30 <x> (fix: renew it)"));

        ApiResponse answer = pages.restore(post("/console/versions/1/restaurer", "1", "retour"));

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.UNPROCESSABLE_ENTITY);
        assertThat(html(answer))
                .contains("La version 1 ne passe plus les vérifications", "<ul lang=\"en\">")
                .contains("<li><code>partners/siao-75.pem: error: certificate expired on 2026-11-30 &lt;x&gt; (fix:"
                        + " renew it)</code></li>")
                .contains("value=\"retour\"");
    }

    @Test
    void saysAlreadyCurrentWhenTheRestorationMeetsAConflict() {
        history.add(ROUTES, "", Optional.empty());
        GatewayException conflict =
                new GatewayException(ErrorCode.STATE_CONFLICT, "version 1 is already current; nothing was stored");

        Optional<VersionPage.Refusal> refusal = VersionPage.Refusal.of(conflict, 1, OptionalInt.of(1));

        assertThat(refusal)
                .get()
                .extracting(VersionPage.Refusal::title)
                .isEqualTo("La version 1 est déjà la version en cours");
        assertThat(refusal.get().problems()).containsExactly("version 1 is already current; nothing was stored");
    }

    @Test
    void answersAnUnknownVersionWithAFrenchPage() {
        history.add(ROUTES, "", Optional.empty());

        ApiResponse unknown = pages.one(get(ADMIN, "/console/versions/9", Map.of(), Map.of("n", "9")));
        ApiResponse malformed = pages.one(get(ADMIN, "/console/versions/x", Map.of(), Map.of("n", "x")));

        assertThat(unknown.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(malformed.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(html(unknown)).contains("<h1>Version introuvable</h1>");
    }

    @Test
    void saysSoWhenTheGatewayRunsWithoutVersions() {
        VersionsPages without = new VersionsPages(Optional.empty(), live(), csrf);

        ApiResponse list = without.list(get("/console/versions", Map.of(), Map.of()));
        ApiResponse one = without.one(get(ADMIN, "/console/versions/1", Map.of(), Map.of("n", "1")));

        assertThat(list.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(one.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(html(list))
                .contains("Pas de versions sur cette passerelle", "<li>0 partenaires</li>")
                .doesNotContain("<form");
    }

    @Test
    void servesTheDiffsStylesheetBesideTheDesignSystemForAYear() {
        ApiRequest request = get("/console/static/passerelle-1/console.css", Map.of(), Map.of());

        ApiResponse css = new StaticFiles().handle(request);

        assertThat(css.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(css.mediaType()).isEqualTo("text/css; charset=utf-8");
        assertThat(css.headers()).containsEntry("Cache-Control", "public, max-age=31536000, immutable");
        assertThat(html(css)).contains(".pa-diff--ajout", "var(--background-contrast-success)");
    }

    /** Versions in memory, numbered from 1, each the parent of the next; a rollback stores the next one. */
    private static final class FakeHistory implements VersionHistory {
        final TreeMap<Integer, ConfigVersion> versions = new TreeMap<>();
        final List<String> rollbacks = new ArrayList<>();
        GatewayException refusal;

        void add(String routes, String comment, Optional<Integer> restoredFrom) {
            int number = versions.size() + 1;
            String partner = "id: siao-75\n";
            FileSet files = FileSet.of(Map.of("routes.yaml", routes, "partners/siao-75.yaml", partner));
            versions.put(
                    number,
                    new ConfigVersion(
                            new VersionInfo(
                                    number,
                                    number == 1 ? Optional.empty() : Optional.of(number - 1),
                                    "admin:alice",
                                    APPLIED,
                                    comment,
                                    restoredFrom,
                                    files.digest(),
                                    files.files().size()),
                            files));
        }

        @Override
        public OptionalInt current() {
            return versions.isEmpty() ? OptionalInt.empty() : OptionalInt.of(versions.lastKey());
        }

        @Override
        public List<VersionInfo> list(Optional<Integer> before, int limit) {
            return versions.descendingMap().values().stream()
                    .filter(v -> before.isEmpty() || v.number() < before.get())
                    .limit(limit)
                    .map(ConfigVersion::info)
                    .toList();
        }

        @Override
        public Optional<ConfigVersion> find(int number) {
            return Optional.ofNullable(versions.get(number));
        }

        @Override
        public VersionedConfig.Outcome rollback(ApiRequest request, int to, String comment) {
            if (refusal != null) {
                throw refusal;
            }
            rollbacks.add(to + ": " + comment);
            ConfigVersion target = versions.get(to);
            add(target.files().text("routes.yaml").orElseThrow(), comment, Optional.of(to));
            ConfigVersion stored = versions.lastEntry().getValue();
            return new VersionedConfig.Outcome(
                    Optional.of(stored.info()),
                    stored.number(),
                    ConfigDiff.between(versions.get(stored.number() - 1).files(), stored.files()),
                    List.of());
        }
    }

    private static LiveDeployment live() {
        return new LiveDeployment(
                1, new Deployment(ConfigLoader.settings(ShippedConfig.GATEWAY, Map.of()), Map.of(), List.of()));
    }

    private static ApiRequest get(String path, Map<String, String> query, Map<String, String> pathParams) {
        return get(ADMIN, path, query, pathParams);
    }

    private static ApiRequest get(
            Administrator admin, String path, Map<String, String> query, Map<String, String> pathParams) {
        Map<String, List<String>> params =
                query.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue())));
        return new ApiRequest(
                HttpMethod.GET,
                path,
                params,
                new DefaultHttpHeaders(),
                new byte[0],
                Optional.empty(),
                pathParams,
                Optional.of(admin));
    }

    private ApiRequest post(String path, String n, String comment) {
        HttpHeaders headers = new DefaultHttpHeaders().set("content-type", "application/x-www-form-urlencoded");
        String body = "csrf=" + csrf.tokenFor(ADMIN) + "&" + VersionsPages.COMMENT + "="
                + URLEncoder.encode(comment, StandardCharsets.UTF_8);
        return new ApiRequest(
                HttpMethod.POST,
                path,
                Map.of(),
                headers,
                body.getBytes(StandardCharsets.UTF_8),
                Optional.empty(),
                Map.of("n", n),
                Optional.of(ADMIN));
    }

    private static String html(ApiResponse page) {
        return new String(page.body(), StandardCharsets.UTF_8);
    }
}
