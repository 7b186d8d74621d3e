package fr.passerelle.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import fr.passerelle.core.GatewayException;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Problems;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConsolePagesTest {
    private static final Dashboard DASHBOARD = new Dashboard(
            new Viewer("admin", "administrateur", true, "token"),
            "6 décembre 2026 à 05:00",
            Optional.empty(),
            List.of(new Dashboard.PartnerLine(
                    "siao-75",
                    "SIAO <script>alert(1)</script> & Cie",
                    "siao",
                    true,
                    3,
                    "6 décembre 2026 à 04:12",
                    2,
                    "Ouvert : envois suspendus",
                    true)),
            List.of(new Dashboard.Expiry("siao-75", "20 décembre 2026", "dans 14 jours", false)),
            new Dashboard.Activity(
                    "dimanche 6 décembre",
                    "lundi 30 novembre",
                    List.of(new Dashboard.StateLine("routed", "en cours de remise", 1, 4)),
                    1,
                    4,
                    new Dashboard.Watch(0, List.of()),
                    new Dashboard.Watch(0, List.of())),
            new Dashboard.Audit(Optional.empty(), Optional.empty()));

    @Test
    void rendersTheDashboardInFrenchWithItsTables() {
        ApiResponse page = ConsolePages.page(HttpResponseStatus.OK, "dashboard.jte", Map.of("dashboard", DASHBOARD));

        String html = new String(page.body(), StandardCharsets.UTF_8);
        assertThat(page.mediaType()).isEqualTo("text/html; charset=utf-8");
        assertThat(html)
                .contains("<html lang=\"fr\"", "<h1>Tableau de bord</h1>", "Console d'administration")
                .contains(
                        "<caption id=\"envois-caption\">Envois en attente, échecs définitifs et disjoncteur, par partenaire</caption>")
                .contains("<a class=\"fr-link\" href=\"#contenu\">Contenu</a>", "<main id=\"contenu\"")
                .contains("dans 14 jours", "Ouvert : envois suspendus", "aria-current=\"page\"")
                .contains("/console/static/" + StaticFiles.DSFR + "/dsfr.min.css");
    }

    @Test
    void escapesWhatTheConfigurationSays() {
        ApiResponse page = ConsolePages.page(HttpResponseStatus.OK, "dashboard.jte", Map.of("dashboard", DASHBOARD));

        String html = new String(page.body(), StandardCharsets.UTF_8);
        assertThat(html).doesNotContain("<script").contains("SIAO &lt;script&gt;alert(1)&lt;/script&gt; &amp; Cie");
    }

    @Test
    void carriesNoInlineScriptNorStyle() {
        ApiResponse page = ConsolePages.page(HttpResponseStatus.OK, "dashboard.jte", Map.of("dashboard", DASHBOARD));

        String html = new String(page.body(), StandardCharsets.UTF_8);
        assertThat(html).doesNotContain("<script", "<style", "style=\"", "onclick", "javascript:");
    }

    @Test
    void sendsTheSecurityHeadersWithEveryPage() {
        ApiResponse page = ConsolePages.page(HttpResponseStatus.OK, "dashboard.jte", Map.of("dashboard", DASHBOARD));

        assertThat(page.headers())
                .containsEntry(
                        "Content-Security-Policy",
                        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                                + " font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
                .containsEntry("Strict-Transport-Security", "max-age=31536000")
                .containsEntry("Cache-Control", "no-store")
                .containsEntry("X-Content-Type-Options", "nosniff")
                .containsEntry("Referrer-Policy", "no-referrer");
    }

    @Test
    void answersARefusalWithAFrenchPage() {
        var body = JsonNodeFactory.instance.objectNode().put("detail", "administrator only");

        ApiResponse page = ConsolePages.refusal(new Problems.Problem(HttpResponseStatus.FORBIDDEN, body));

        String html = new String(page.body(), StandardCharsets.UTF_8);
        assertThat(page.status()).isEqualTo(HttpResponseStatus.FORBIDDEN);
        assertThat(html).contains("<h1>Accès refusé</h1>", "Erreur 403").doesNotContain("Tableau de bord");
        assertThat(page.headers()).containsKey("Content-Security-Policy");
    }

    @Test
    void servesTheDesignSystemFromTheJarForAYear() {
        ApiResponse css = new StaticFiles().handle(get("/console/static/" + StaticFiles.DSFR + "/dsfr.min.css"));

        assertThat(css.status()).isEqualTo(HttpResponseStatus.OK);
        assertThat(css.mediaType()).isEqualTo("text/css; charset=utf-8");
        assertThat(css.body().length).isGreaterThan(100_000);
        assertThat(css.headers()).containsEntry("Cache-Control", "public, max-age=31536000, immutable");
    }

    @Test
    void servesTheFontsAndIconsThatTheStylesheetNames() {
        StaticFiles files = new StaticFiles();
        String base = "/console/static/" + StaticFiles.DSFR + "/";

        assertThat(files.handle(get(base + "fonts/Marianne-Regular.woff2")).mediaType())
                .isEqualTo("font/woff2");
        assertThat(files.handle(get(base + "icons/system/close-line.svg")).mediaType())
                .isEqualTo("image/svg+xml");
    }

    @Test
    void findsNoFileOutsideTheConsolesFolder() {
        StaticFiles files = new StaticFiles();

        assertThatThrownBy(() -> files.handle(get("/console/static/../../logback.xml")))
                .isInstanceOf(GatewayException.class)
                .hasMessage("no such file among the console's (expected: a file of /console/static/" + StaticFiles.DSFR
                        + "/)");
        assertThatThrownBy(() -> files.handle(get("/console/static/" + StaticFiles.DSFR + "/dsfr.min.css.map")))
                .isInstanceOf(GatewayException.class);
        assertThatThrownBy(() -> files.handle(get("/console/static/" + StaticFiles.DSFR + "/missing.css")))
                .isInstanceOf(GatewayException.class);
    }

    private static ApiRequest get(String path) {
        return new ApiRequest(
                HttpMethod.GET, path, Map.of(), new DefaultHttpHeaders(), new byte[0], Optional.empty(), Map.of());
    }
}
