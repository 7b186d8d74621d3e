package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import fr.passerelle.core.crypto.DevelopmentPki;
import fr.passerelle.core.crypto.Fingerprints;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's partners pages in a real browser against a real gateway: an administrator creates, edits,
 * disables a partner and rotates a certificate through the forms, each change a configuration version; an auditor
 * sees the same pages without a form, and a forged POST with the auditor's certificate is refused.
 */
class ConsolePartnersBrowserIT {
    /** The partners list's screenshot: docs/console-partenaires.png is a copy of it. */
    private static final Path SCREENSHOT = Path.of("target", "console-partenaires.png");

    private static final String MAHORAISE = "association-976-mahoraise";
    private static final String ROUTE_976 = "orientation-976-mahoraise";

    static TestGateway gw;
    static ConsoleBrowser browser;

    @BeforeAll
    static void start() throws IOException {
        if (!ConsoleBrowser.available()) {
            return;
        }
        gw = TestGateway.start(Map.of());
        gw.pinAdmin("auditor", "role: auditor\n");
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
    void anAdministratorAddsAnAssociationInMayotteAndItsRouteAndTheNextOrientationReachesIt() throws IOException {
        // A route reaches associations by kind: the gateway must be able to seal for the new one.
        Path certificate = DevelopmentPki.issueClient(gw.pki, gw.pki.resolve("partners"), MAHORAISE, Clock.systemUTC());
        try (BrowserContext context = browser.asAdmin(gw)) {
            Page page = context.newPage();
            page.navigate(gw.base + "/console/partenaires");
            page.locator("a", new Page.LocatorOptions().setHasText("Ajouter un partenaire"))
                    .click();
            page.waitForURL(url -> url.endsWith("/console/partenaires/nouveau"));

            fillNewAssociation(page, MAHORAISE, "976");
            page.locator("#champ-pem").fill(Files.readString(certificate));
            Response created = submit(page, "form[action='/console/partenaires']");
            assertThat(created.status())
                    .as(() -> page.locator("main").innerText())
                    .isEqualTo(303);
            page.waitForURL(url -> url.contains("/console/partenaires?fait=cree"));

            assertThat(page.locator(".fr-alert--success").textContent())
                    .contains("Le partenaire est créé : " + MAHORAISE + " (version ");
            Locator line = page.locator("tr", new Page.LocatorOptions().setHasText(MAHORAISE));
            assertThat(line.locator("td").allTextContents())
                    .extracting(String::strip)
                    .contains("Association mahoraise d'aide aux victimes", "Association", "976", "actif");
            assertThat(page.locator("a", new Page.LocatorOptions().setHasText("Ajouter un partenaire"))
                            .count())
                    .isEqualTo(1);
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOT).setFullPage(true));
            assertThat(ConsoleBrowser.graveViolations(page)).isEmpty();

            line.locator("a").click();
            page.waitForURL(url -> url.endsWith("/console/partenaires/" + MAHORAISE));

            assertThat(page.locator("h1").textContent()).isEqualTo(MAHORAISE);
            assertThat(page.locator("#fichier-caption + thead + tbody").textContent())
                    .contains("Départements desservis", "976", "Signalement d'une difficulté (difficulty.report)");
            assertThat(page.locator("#champ-name").inputValue()).isEqualTo("Association mahoraise d'aide aux victimes");
            assertThat(ConsoleBrowser.graveViolations(page)).isEmpty();

            // Its route, written in the console: the dry run beside the form says what the association will get.
            page.navigate(gw.base + "/console/routes/nouvelle");
            page.locator("#champ-id").fill(ROUTE_976);
            page.locator("#champ-type").selectOption("victim.orientation");
            page.locator("label[for=from-police]").click();
            page.locator("#champ-departments").fill("976");
            page.locator("#champ-to").fill(MAHORAISE);
            page.locator("#champ-fields").fill("subject.givenName\nsubject.languages\nneeds");
            page.locator("#champ-subject").selectOption("adult");
            // A new route's trial offers its senders once the form has been tried.
            ConsoleBrowser.button(page, "Essayer").click();
            page.locator("#champ-trial_sender").selectOption("police-75-brp");
            page.locator("#champ-trial_department").fill("976");
            ConsoleBrowser.button(page, "Essayer").click();
            Locator trial = page.locator("#destinataire-" + MAHORAISE);
            assertThat(trial.locator(".champs-recus").textContent())
                    .as(() -> page.locator("main").innerText())
                    .contains("subject.givenName", "subject.languages", "needs");
            assertThat(ConsoleBrowser.graveViolations(page)).isEmpty();
            ConsoleBrowser.button(page, "Enregistrer").click();
            page.waitForURL(url -> url.contains("/console/routes?enregistree"));
            assertThat(page.locator(".fr-alert--success").textContent()).contains(ROUTE_976);

            // The next orientation in 976 reaches the association's inbox, and the console finds it and its copy.
            String orientation = new String(gw.sample("victim.orientation"), StandardCharsets.UTF_8)
                    .replace("\"department\": \"75\"", "\"department\": \"976\"");
            PartnerClient.Reply submitted = gw.client("police-75-brp")
                    .post("/v1/referrals", orientation.getBytes(StandardCharsets.UTF_8), "application/json", Map.of());
            assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
            String id = Json.MAPPER.readTree(submitted.body()).path("id").asText();
            List<JsonNode> inbox = gw.inbox(MAHORAISE);
            assertThat(inbox).hasSize(1);
            assertThat(inbox.get(0).path("referralId").asText()).isEqualTo(id);
            assertThat(gw.open(MAHORAISE, inbox.get(0))
                            .path("referral")
                            .path("needs")
                            .isMissingNode())
                    .isFalse();
            page.navigate(gw.base + "/console/signalements?partner=" + MAHORAISE);
            page.locator("a[title='" + id + "']").click();
            page.waitForURL(url -> url.endsWith("/console/signalements/" + id));
            assertThat(page.locator("main").textContent())
                    .contains("Orientation d'une victime", "976", MAHORAISE, "referral.submitted");
            assertThat(page.content()).doesNotContain(TestGateway.SAMPLE_CONTENT);
        }
    }

    @Test
    void aBadDepartmentIsShownBesideItsFieldAndNothingIsStored() throws IOException {
        int before = currentVersion();
        try (BrowserContext context = browser.asAdmin(gw)) {
            Page page = context.newPage();
            page.navigate(gw.base + "/console/partenaires/nouveau");
            fillNewAssociation(page, "association-976-erreur", "976, 9999");

            Response response = submit(page, "form[action='/console/partenaires']");

            assertThat(response.status()).isEqualTo(422);
            assertThat(page.title()).startsWith("Erreur — Ajouter un partenaire");
            assertThat(page.locator("#champ-departments").getAttribute("aria-describedby"))
                    .isEqualTo("erreur-departments");
            assertThat(page.locator("#champ-departments").inputValue()).isEqualTo("976, 9999");
            assertThat(page.locator("#erreur-departments").textContent()).contains("« 9999 » n'est pas un département");
            assertThat(page.locator("#champ-name").getAttribute("aria-describedby"))
                    .isNull();
            assertThat(ConsoleBrowser.graveViolations(page)).isEmpty();
        }
        assertThat(currentVersion()).isEqualTo(before);
    }

    @Test
    void anAdministratorEditsAPartnerAndAnEmptyNameComesBackBesideItsField() throws IOException {
        try (BrowserContext context = browser.asAdmin(gw)) {
            Page page = context.newPage();
            page.navigate(gw.base + "/console/partenaires/prefecture-75");
            String name = page.locator("#champ-name").inputValue();

            page.locator("#champ-name").fill("");
            page.locator("#champ-max_attempts").fill("12");
            Response refused = submit(page, "form[action='/console/partenaires/prefecture-75']");

            assertThat(refused.status()).isEqualTo(422);
            assertThat(page.locator("#champ-name").getAttribute("aria-describedby"))
                    .isEqualTo("erreur-name");
            assertThat(page.locator("#erreur-name").textContent()).contains("Saisir le nom complet de l'unité");
            // The checks' own message, in English under a French title, beside the field of its line.
            assertThat(page.locator(".fr-error-text [lang=en]").textContent())
                    .contains("transport inbox takes no options, found: max_attempts");
            page.screenshot(new Page.ScreenshotOptions()
                    .setPath(Path.of("target", "console-partenaire-erreur.png"))
                    .setFullPage(true));

            page.locator("#champ-name").fill(name + " — service des étrangers");
            page.locator("#champ-max_attempts").fill("");
            page.locator("#champ-signed_submissions").selectOption("required");
            Response edited = submit(page, "form[action='/console/partenaires/prefecture-75']");

            assertThat(edited.status())
                    .as(() -> page.locator("main").innerText())
                    .isEqualTo(303);
            page.waitForURL(url -> url.contains("/console/partenaires/prefecture-75?fait=modifie"));
            assertThat(page.locator("#fichier-caption + thead + tbody").textContent())
                    .contains(name + " — service des étrangers", "exigés : un dépôt sans signature est refusé");
        }
        JsonNode partner = adminGet("/admin/v1/partners/prefecture-75").path("partner");
        assertThat(partner.path("signed_submissions").asText()).isEqualTo("required");
    }

    @Test
    void anAdministratorDisablesAPartner() throws IOException {
        try (BrowserContext context = browser.asAdmin(gw)) {
            Page page = context.newPage();
            page.navigate(gw.base + "/console/partenaires/police-974-sdpj");

            page.locator("#desactiver-comment").fill("unité dissoute");
            submit(page, "form[action$='/desactiver']");
            assertThat(page.locator("#erreur-confirm").textContent()).contains("Cocher la case pour confirmer");
            // The DSFR draws the box on its label, which takes the click as a user's would.
            page.locator("label[for='champ-confirm']").click();
            Response disabled = submit(page, "form[action$='/desactiver']");

            assertThat(disabled.status())
                    .as(() -> page.locator("main").innerText())
                    .isEqualTo(303);
            page.waitForURL(url -> url.contains("/console/partenaires/police-974-sdpj?fait=desactive"));
            assertThat(page.locator(".fr-alert--success").textContent()).contains("Le partenaire est désactivé");
            assertThat(page.locator("h1 + p + p .fr-badge").textContent()).isEqualTo("désactivé");
        }
        JsonNode partner = adminGet("/admin/v1/partners/police-974-sdpj").path("partner");
        assertThat(partner.path("enabled").asBoolean()).isFalse();
    }

    @Test
    void aDisablingThatTheChecksRefuseShowsWhyAndStoresNothing() throws IOException {
        int before = currentVersion();
        try (BrowserContext context = browser.asAdmin(gw)) {
            Page page = context.newPage();
            // The only tax service: URSSAF and labour inspection have a partner in each department now.
            page.navigate(gw.base + "/console/partenaires/tax-75-dgfip");

            page.locator("label[for='champ-confirm']").click();
            Response refused = submit(page, "form[action$='/desactiver']");

            assertThat(refused.status()).isEqualTo(422);
            assertThat(page.locator(".fr-alert--error li").textContent())
                    .startsWith("routes.yaml:")
                    .contains("route closure-codaf-members sends to every enabled tax");
            assertThat(page.locator("h1 + p + p .fr-badge").textContent()).isEqualTo("actif");
        }
        assertThat(currentVersion()).isEqualTo(before);
    }

    @Test
    void aRotationWithAPastedCertificateShowsTheOverlap() throws IOException {
        String partner = "association-974-kaz-lespwa";
        String old = Fingerprints.sha256(PemFiles.readCertificates(gw.pki.resolve("partners/" + partner + ".pem"))
                .get(0));
        Path renewed = DevelopmentPki.issueClient(gw.pki, gw.pki.resolve("renewed"), partner, Clock.systemUTC());
        try (BrowserContext context = browser.asAdmin(gw)) {
            Page page = context.newPage();
            page.navigate(gw.base + "/console/partenaires/" + partner);

            page.locator("#champ-new_pem").fill("-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----");
            page.locator("form[action$='/certificat'] button[type=submit]").click();
            assertThat(page.locator("#erreur-new_pem").textContent()).contains("pas un certificat PEM lisible");
            page.locator("#champ-new_pem").fill(Files.readString(renewed));
            page.locator("#champ-overlap_hours").fill("24");
            Response rotated = submit(page, "form[action$='/certificat']");
            assertThat(rotated.status())
                    .as(() -> page.locator("main").innerText())
                    .isEqualTo(303);
            page.waitForURL(url -> url.contains("/console/partenaires/" + partner + "?fait=certificat"));

            Locator previous = page.locator("tr", new Page.LocatorOptions().setHasText("Certificat précédent"));
            assertThat(previous.textContent()).contains(old, "accepté jusqu'au ");
            page.navigate(gw.base + "/console/partenaires");
            assertThat(page.locator("tr", new Page.LocatorOptions().setHasText(partner))
                            .textContent())
                    .contains("rotation en cours jusqu'au ");
        }
    }

    @Test
    void anAuditorSeesThePagesWithoutAFormAndAForgedPostIsRefused() throws IOException {
        String adminToken;
        try (BrowserContext admin = browser.asAdmin(gw)) {
            Page page = admin.newPage();
            page.navigate(gw.base + "/console/partenaires/siao-75");
            adminToken = page.locator("input[name=csrf]").first().inputValue();
        }
        try (BrowserContext context = browser.asPinned(gw, "auditor")) {
            Page page = context.newPage();

            Response list = page.navigate(gw.base + "/console/partenaires");
            assertThat(list.status()).isEqualTo(200);
            assertThat(page.locator("table").textContent()).contains("siao-75");
            assertThat(page.content()).doesNotContain("Ajouter un partenaire", "<form");
            Response one = page.navigate(gw.base + "/console/partenaires/siao-75");
            assertThat(one.status()).isEqualTo(200);
            assertThat(page.locator("h1").textContent()).isEqualTo("siao-75");
            assertThat(page.locator("form, button, input").count()).isZero();
            assertThat(page.navigate(gw.base + "/console/partenaires/nouveau").status())
                    .isEqualTo(403);

            APIResponse forged = context.request()
                    .post(
                            gw.base + "/console/partenaires/siao-75/desactiver",
                            RequestOptions.create()
                                    .setForm(FormData.create()
                                            .set("csrf", adminToken)
                                            .set("confirm", "oui")));

            assertThat(forged.status()).isEqualTo(403);
        }
        assertThat(adminGet("/admin/v1/partners/siao-75")
                        .path("partner")
                        .path("enabled")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void answersAnUnknownPartnerWithAFrench404() {
        try (BrowserContext context = browser.asAdmin(gw)) {
            Page page = context.newPage();

            Response response = page.navigate(gw.base + "/console/partenaires/association-75-inconnue");

            assertThat(response.status()).isEqualTo(404);
            assertThat(page.locator("h1").textContent()).isEqualTo("Page introuvable");
        }
    }

    /** Submits the form, as its button does, and answers the POST's own response (303 or 422). */
    private static Response submit(Page page, String form) {
        return page.waitForResponse(
                response -> response.request().method().equals("POST"),
                () -> page.locator(form + " button[type=submit]").click());
    }

    private static void fillNewAssociation(Page page, String id, String departments) {
        page.locator("#champ-kind").selectOption("association");
        page.locator("#champ-id").fill(id);
        page.locator("#champ-name").fill("Association mahoraise d'aide aux victimes");
        page.locator("#champ-departments").fill(departments);
        page.locator("label[for='type-difficulty.report']").click();
        page.locator("#champ-transport").selectOption("inbox");
    }

    private static int currentVersion() throws IOException {
        return adminGet("/admin/v1/versions").path("current").asInt();
    }

    private static JsonNode adminGet(String path) throws IOException {
        return Json.MAPPER.readTree(gw.adminClient().get(path).body());
    }
}
