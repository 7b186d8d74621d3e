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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's routing table in a real browser against a real gateway: an administrator edits a route, tries it
 * (recipients and fields of the dry run), stores it; creates one and deletes it; a route that would tell a SIAO of
 * an offence is refused beside its fields; an auditor reads and tries but cannot change anything.
 */
class ConsoleRoutesBrowserIT {
    /** The route page with its dry run: docs/console-routes.png is a copy of it. */
    private static final Path SCREENSHOT = Path.of("target", "console-routes.png");

    static TestGateway gw;
    static ConsoleBrowser browser;
    static PartnerClient auditor;

    @BeforeAll
    static void start() throws IOException {
        if (!ConsoleBrowser.available()) {
            return;
        }
        gw = TestGateway.start(Map.of());
        auditor = gw.pinAdmin("routes-auditor", "role: auditor\n");
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
    void editsARouteToAnAssociationTriesItAndStoresIt() {
        try (BrowserContext context = browser.asAdmin(gw)) {
            Page page = context.newPage();
            page.navigate(gw.base + "/console/routes");
            assertThat(page.locator("#routes-caption").textContent()).contains("Table de routage de la version");
            assertThat(ConsoleBrowser.graveViolations(page)).isEmpty();

            page.locator("a", new Page.LocatorOptions().setHasText("orientation-974"))
                    .first()
                    .click();
            page.waitForURL("**/console/routes/orientation-974");
            page.locator("#champ-to").fill("association-974-kaz-lespwa");
            page.locator("#champ-fields").fill("subject.givenName\nsubject.languages\nneeds");
            page.locator("#champ-trial_sender").selectOption("police-974-sdpj");
            ConsoleBrowser.button(page, "Essayer").click();
            page.waitForURL("**/console/routes/orientation-974/essai");

            Locator association = page.locator("#destinataire-association-974-kaz-lespwa");
            assertThat(association.locator("h3").textContent()).contains("par cette route");
            assertThat(association.locator(".champs-recus").textContent())
                    .isEqualTo("subject.givenName, subject.languages, needs");
            assertThat(association.locator(".champs-perdus").textContent()).contains("situation", "notes");
            assertThat(page.locator("#essai-titre + p").textContent()).contains("police-974-sdpj", "974");
            assertThat(storedRoute("orientation-974").path("to").toString()).contains("\"kind\":\"association\"");
            assertThat(ConsoleBrowser.graveViolations(page)).isEmpty();
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOT).setFullPage(true));

            ConsoleBrowser.button(page, "Enregistrer").click();
            page.waitForURL(Pattern.compile(".*/console/routes\\?enregistree=orientation-974&version=\\d+$"));

            assertThat(page.locator(".fr-alert--success").textContent())
                    .contains("La route orientation-974 est enregistrée");
            Locator row = page.locator(
                    "tr", new Page.LocatorOptions().setHas(page.locator("a[href='/console/routes/orientation-974']")));
            assertThat(row.textContent()).contains("association-974-kaz-lespwa", "974");
            assertThat(row.locator("td").last().textContent()).isEqualTo("3");
            JsonNode stored = storedRoute("orientation-974");
            assertThat(stored.path("to").toString()).isEqualTo("[{\"partner\":\"association-974-kaz-lespwa\"}]");
            assertThat(stored.path("fields").toString())
                    .isEqualTo("[\"subject.givenName\",\"subject.languages\",\"needs\"]");
        }
    }

    @Test
    void createsARouteAndDeletesItOnceConfirmed() {
        try (BrowserContext context = browser.asAdmin(gw)) {
            Page page = context.newPage();
            page.navigate(gw.base + "/console/routes");
            page.locator("a", new Page.LocatorOptions().setHasText("Ajouter une route"))
                    .click();
            page.waitForURL("**/console/routes/nouvelle");

            page.locator("#champ-id").fill("orientation-974-kaz-lespwa");
            page.locator("#champ-type").selectOption("victim.orientation");
            page.locator("label[for=from-police]").click();
            page.locator("#champ-departments").fill("974");
            page.locator("#champ-to").fill("association-974-kaz-lespwa");
            page.locator("#champ-fields").fill("needs");
            page.locator("#champ-subject").selectOption("adult");
            ConsoleBrowser.button(page, "Enregistrer").click();
            page.waitForURL(
                    Pattern.compile(".*/console/routes\\?enregistree=orientation-974-kaz-lespwa&version=\\d+$"));
            assertThat(storedRoute("orientation-974-kaz-lespwa").path("subject").asText())
                    .isEqualTo("adult");

            page.navigate(gw.base + "/console/routes/orientation-974-kaz-lespwa");
            Response refused = page.waitForResponse(
                    r -> r.url().endsWith("/supprimer"),
                    () -> ConsoleBrowser.button(page, "Supprimer").click());
            assertThat(refused.status()).isEqualTo(422);
            assertThat(page.locator("#erreur-confirmation").textContent()).contains("Cocher la case pour confirmer");
            page.locator("label[for=champ-confirmation]").click();
            ConsoleBrowser.button(page, "Supprimer").click();
            page.waitForURL(Pattern.compile(".*/console/routes\\?supprimee=orientation-974-kaz-lespwa&version=\\d+$"));

            assertThat(page.locator(".fr-alert--success").textContent())
                    .contains("La route orientation-974-kaz-lespwa est supprimée");
            assertThat(routes()).noneMatch(r -> r.path("id").asText().equals("orientation-974-kaz-lespwa"));
        }
    }

    @Test
    void refusesOffenceDataToASiaoBesideTheFieldsAndStoresNothing() {
        int before = version();
        try (BrowserContext context = browser.asAdmin(gw)) {
            Page page = context.newPage();
            page.navigate(gw.base + "/console/routes/shelter-siao");
            Locator fields = page.locator("#champ-fields");
            fields.fill(fields.inputValue() + "\noffence");

            Response response = page.waitForResponse(
                    r -> r.url().endsWith("/console/routes/shelter-siao")
                            && r.request().method().equals("POST"),
                    () -> ConsoleBrowser.button(page, "Enregistrer").click());

            assertThat(response.status()).isEqualTo(422);
            assertThat(page.locator(".fr-alert--error h2").textContent())
                    .isEqualTo("Rien n'a été enregistré : la route ne passe pas les vérifications");
            Locator beside = page.locator("#erreur-fields");
            assertThat(beside.textContent())
                    .contains("Aucune donnée d'infraction ni de victime vers un SIAO (CNIL)")
                    .contains("(rule no-offence-data-to-siao)");
            assertThat(beside.locator("[lang=en]").first().textContent()).contains("lists field 'offence'");
            assertThat(fields.getAttribute("aria-describedby")).isEqualTo("erreur-fields");
            assertThat(fields.inputValue()).endsWith("\noffence");
            assertThat(page.locator("#essai-titre + p").textContent()).contains("configuration sans erreur");
            assertThat(ConsoleBrowser.graveViolations(page)).isEmpty();
            assertThat(version()).isEqualTo(before);
            assertThat(storedRoute("shelter-siao").path("fields").toString()).doesNotContain("offence");
        }
    }

    @Test
    void showsAnAuditorTheRoutesAndTheirDryRunButNothingThatChangesThem() {
        try (BrowserContext context = browser.asPinned(gw, "routes-auditor")) {
            Page page = context.newPage();
            page.navigate(gw.base + "/console/routes");
            assertThat(page.content()).doesNotContain("Ajouter une route");

            page.navigate(gw.base + "/console/routes/orientation-75-siao");
            page.locator("#champ-trial_sender").selectOption("social-75-ssp-18");
            ConsoleBrowser.button(page, "Essayer").click();
            page.waitForURL(
                    Pattern.compile(".*/console/routes/orientation-75-siao\\?trial_sender=social-75-ssp-18&.*"));

            assertThat(page.locator("#destinataire-siao-75 .champs-recus").textContent())
                    .contains("subject.languages", "needs");
            assertThat(page.locator("button").allTextContents()).doesNotContain("Enregistrer", "Supprimer");
            assertThat(page.locator("form[method=post]").count()).isZero();
            assertThat(ConsoleBrowser.graveViolations(page)).isEmpty();
        }

        PartnerClient.Reply forged = auditor.post(
                "/console/routes/orientation-75-siao",
                "csrf=forged&type=victim.orientation&from=police&to=siao-75&fields=offences"
                        .getBytes(StandardCharsets.UTF_8),
                "application/x-www-form-urlencoded",
                Map.of());
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.text()).contains("Accès refusé");
        assertThat(storedRoute("orientation-75-siao").path("fields").toString()).doesNotContain("offences");
    }

    private static JsonNode routesBody() {
        PartnerClient.Reply reply = gw.adminClient().get("/admin/v1/routes");
        assertThat(reply.status()).isEqualTo(200);
        return Json.tree(reply.body(), "routes");
    }

    private static List<JsonNode> routes() {
        List<JsonNode> routes = new ArrayList<>();
        routesBody().path("routes").forEach(routes::add);
        return routes;
    }

    private static int version() {
        return routesBody().path("version").asInt();
    }

    private static JsonNode storedRoute(String id) {
        Optional<JsonNode> route =
                routes().stream().filter(r -> r.path("id").asText().equals(id)).findFirst();
        assertThat(route).as("route %s in GET /admin/v1/routes", id).isPresent();
        return route.get();
    }
}
