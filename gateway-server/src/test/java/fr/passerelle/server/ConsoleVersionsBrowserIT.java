package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's versions pages in a real browser against a real gateway: two changes made through the admin API
 * show in the history and in a diff, an administrator restores an older version with a comment, an auditor only
 * reads. Skips when chromium is not installed (CI installs it: .ci/run).
 */
class ConsoleVersionsBrowserIT {
    /** The history's screenshot: docs/console-versions.png is a copy of it. */
    private static final Path SCREENSHOT = Path.of("target", "console-versions.png");
    /** A diff's screenshot, copied to docs/ as well. */
    private static final Path DIFF_SCREENSHOT = Path.of("target", "console-versions-diff.png");

    static TestGateway gw;
    static ConsoleBrowser browser;
    static PartnerClient auditor;

    @BeforeAll
    static void start() throws IOException {
        if (!ConsoleBrowser.available()) {
            return;
        }
        gw = TestGateway.start(Map.of());
        auditor = gw.pinAdmin("auditor", "role: auditor\n");
        browser = ConsoleBrowser.launch();
    }

    @BeforeEach
    void needsChromium() {
        ConsoleBrowser.assumeAvailable();
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.close();
        }
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void showsTwoChangesInTheHistoryAndTheirDiffThenRestoresTheVersionBefore() throws IOException {
        int first = disable("prosecutor-974-mineurs", "essai-parquet");
        int second = disable("crip-974-reunion", "essai-crip");
        int before = first - 1;
        try (BrowserContext context = browser.asAdmin(gw)) {
            Page page = context.newPage();
            page.navigate(gw.base + "/console/");

            page.locator("nav#navigation a", new Page.LocatorOptions().setHasText("Versions"))
                    .click();
            page.waitForURL("**/console/versions");

            assertThat(page.title()).isEqualTo("Versions — Console d'administration — Passerelle");
            Locator newest = row(page, second);
            assertThat(newest.textContent())
                    .contains("essai-crip", "admin (administrateur)", "modification : crip-974-reunion", "En cours");
            assertThat(row(page, first).textContent())
                    .contains("essai-parquet", "modification : prosecutor-974-mineurs")
                    .doesNotContain("En cours");
            assertThat(ConsoleBrowser.graveViolations(page)).isEmpty();

            page.locator("#champ-de").fill(Integer.toString(before));
            page.locator("#champ-vers").fill(Integer.toString(second));
            page.locator("button", new Page.LocatorOptions().setHasText("Comparer"))
                    .click();
            page.waitForURL("**/console/versions/" + second + "/diff?avec=" + before);

            assertThat(page.locator("h1").textContent())
                    .isEqualTo("De la version " + before + " à la version " + second);
            assertThat(page.locator("h3").allTextContents())
                    .contains(
                            "partners/prosecutor-974-mineurs.yaml : fichier modifié",
                            "partners/crip-974-reunion.yaml : fichier modifié");
            Locator removed = page.locator("tr.pa-diff--retrait", new Page.LocatorOptions().setHasText("enabled"));
            Locator added = page.locator("tr.pa-diff--ajout", new Page.LocatorOptions().setHasText("enabled"));
            assertThat(removed.count()).isEqualTo(2);
            assertThat(removed.first().locator("del").textContent()).isEqualTo("enabled: true");
            assertThat(removed.first().locator(".fr-sr-only").textContent()).isEqualTo("ligne supprimée");
            assertThat(added.first().locator("ins").textContent()).isEqualTo("enabled: false");
            assertThat(added.first().locator(".fr-sr-only").textContent()).isEqualTo("ligne ajoutée");
            assertThat(ConsoleBrowser.graveViolations(page)).isEmpty();
            page.screenshot(
                    new Page.ScreenshotOptions().setPath(DIFF_SCREENSHOT).setFullPage(true));

            page.locator("nav.fr-breadcrumb a", new Page.LocatorOptions().setHasText("Versions"))
                    .click();
            page.locator("a[href='/console/versions/" + before + "']").click();
            page.waitForURL("**/console/versions/" + before);
            Response empty = page.waitForResponse(response -> response.url().endsWith("/restaurer"), () -> page.locator(
                            "button", new Page.LocatorOptions().setHasText("Restaurer cette version"))
                    .click());

            assertThat(empty.status()).isEqualTo(422);
            assertThat(page.locator("#erreur-commentaire").textContent()).startsWith("Saisir un commentaire");
            assertThat(page.locator("#champ-commentaire").getAttribute("aria-describedby"))
                    .isEqualTo("erreur-commentaire");
            assertThat(gw.gateway.configVersion()).isEqualTo(second);
            assertThat(ConsoleBrowser.graveViolations(page)).isEmpty();

            page.locator("#champ-commentaire").fill("retour avant les essais");
            page.locator("button", new Page.LocatorOptions().setHasText("Restaurer cette version"))
                    .click();
            page.waitForURL("**/console/versions/*?confirmation=restauree");

            int restored = second + 1;
            assertThat(page.locator("h1").textContent()).isEqualTo("Version " + restored);
            assertThat(page.locator(".fr-alert--success").textContent())
                    .contains("Version " + restored + " enregistrée", "restaure les fichiers de la version " + before);
            assertThat(page.locator("main").textContent())
                    .contains("Version en cours", "retour avant les essais", "restaurée depuis la")
                    .doesNotContain("Restaurer cette version");
            assertThat(ConsoleBrowser.graveViolations(page)).isEmpty();
            assertThat(gw.gateway.configVersion()).isEqualTo(restored);

            page.navigate(gw.base + "/console/versions");
            assertThat(row(page, restored).textContent())
                    .contains("retour avant les essais", "restaurée depuis la version " + before, "En cours");
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOT).setFullPage(true));
        }
        JsonNode versions = Json.MAPPER.readTree(
                gw.adminClient().get("/admin/v1/versions?limit=1").body());
        assertThat(versions.path("current").asInt()).isEqualTo(second + 1);
        JsonNode newest = versions.path("versions").get(0);
        assertThat(newest.path("restoredFrom").asInt()).isEqualTo(before);
        assertThat(newest.path("comment").asText()).isEqualTo("retour avant les essais");
        assertThat(newest.path("appliedBy").asText()).isEqualTo("admin:admin");
    }

    @Test
    void showsAnAuditorEverythingButTheRestoreFormAndRefusesItsForgedPost() {
        int current = gw.gateway.configVersion();
        try (BrowserContext context = browser.asPinned(gw, "auditor")) {
            Page page = context.newPage();

            Response history = page.navigate(gw.base + "/console/versions");
            Response first = page.navigate(gw.base + "/console/versions/1");

            assertThat(history.status()).isEqualTo(200);
            assertThat(first.status()).isEqualTo(200);
            assertThat(page.locator("h1").textContent()).isEqualTo("Version 1");
            assertThat(page.locator("main").textContent()).contains("Ses fichiers", "routes.yaml");
            assertThat(page.locator("form[method=post]").count()).isZero();
            assertThat(page.content()).doesNotContain("Restaurer cette version", "name=\"csrf\"");
        }

        PartnerClient.Reply forged = auditor.post(
                "/console/versions/1/restaurer",
                "csrf=forged&commentaire=audit".getBytes(StandardCharsets.UTF_8),
                "application/x-www-form-urlencoded",
                Map.of());

        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.text()).contains("Accès refusé");
        assertThat(gw.gateway.configVersion()).isEqualTo(current);
    }

    @Test
    void answersAnUnknownVersionWithAFrenchPage() {
        try (BrowserContext context = browser.asAdmin(gw)) {
            Page page = context.newPage();

            Response unknown = page.navigate(gw.base + "/console/versions/99999");

            assertThat(unknown.status()).isEqualTo(404);
            assertThat(page.locator("h1").textContent()).isEqualTo("Version introuvable");
        }
    }

    private static Locator row(Page page, int version) {
        return page.locator(
                "tbody tr",
                new Page.LocatorOptions().setHas(page.locator("a[href='/console/versions/" + version + "']")));
    }

    /** Disables a partner through the admin API, with a comment; answers the version stored. */
    private static int disable(String partner, String comment) throws IOException {
        PartnerClient.Reply reply = gw.adminClient()
                .post(
                        "/admin/v1/partners/" + partner + "/disable?comment=" + comment,
                        new byte[0],
                        "application/json",
                        Map.of());
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        JsonNode body = Json.MAPPER.readTree(reply.body());
        assertThat(body.path("changed").asBoolean()).isTrue();
        return body.path("version").asInt();
    }
}
