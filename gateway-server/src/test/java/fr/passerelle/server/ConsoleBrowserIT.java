package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console in a real browser: Debian's chromium, headless, driven by Playwright, presenting the development
 * administrator's certificate (or a partner's) to a real gateway. Skips when chromium is not installed (CI
 * installs it: .ci/run). Playwright downloads no browser.
 */
class ConsoleBrowserIT {
    /**
     * The screenshots of these pages, copied to docs/ (docs/CONSOLE.md shows them); the dashboard's is
     * ConsoleActionsBrowserIT's, where it has something to show.
     */
    private static final Path TIMELINE_SCREENSHOT = Path.of("target", "console-signalement.png");

    private static final Path STATISTICS_SCREENSHOT = Path.of("target", "console-statistiques.png");

    private static final int SUBMISSIONS = 6;
    /** The orientations police-75-brp submitted in 75, every test's included: what the statistics must count. */
    private static final AtomicInteger ORIENTATIONS_IN_75 = new AtomicInteger();

    static TestGateway gw;
    static ConsoleBrowser browser;

    @BeforeAll
    static void start() throws IOException {
        if (!ConsoleBrowser.available()) {
            return;
        }
        gw = TestGateway.start(Map.of());
        // Enough referrals for the statistics to show a count, and an auditor to look at them.
        for (int i = 0; i < SUBMISSIONS; i++) {
            PartnerClient.Reply submitted = gw.client("police-75-brp")
                    .post(
                            "/v1/referrals",
                            gw.sample("victim.orientation"),
                            "application/json",
                            Map.of("Idempotency-Key", UUID.randomUUID().toString()));
            assertThat(submitted.status()).isEqualTo(202);
            ORIENTATIONS_IN_75.incrementAndGet();
        }
        gw.pinAdmin("auditor", "role: auditor\n");
        browser = ConsoleBrowser.launch();
    }

    /** Each test skips with the reason, so that the report counts and names them (a class-level skip shows 0). */
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
    void showsTheAdministratorTheDashboardInFrench() {
        try (BrowserContext context = browser.asAdmin(gw)) {
            Page page = context.newPage();
            List<String> failed = new ArrayList<>();
            page.onRequestFailed(request -> failed.add(request.url()));
            page.onResponse(response -> {
                if (response.status() >= 400) {
                    failed.add(response.status() + " " + response.url());
                }
            });
            List<String> console = new ArrayList<>();
            page.onConsoleMessage(message -> console.add(message.text()));

            Response response = page.navigate(gw.base + "/console/");

            assertThat(response.status()).isEqualTo(200);
            assertThat(page.title()).isEqualTo("Tableau de bord — Console d'administration — Passerelle");
            assertThat(page.locator("h1").textContent()).isEqualTo("Tableau de bord");
            assertThat(page.locator("html").getAttribute("lang")).isEqualTo("fr");
            assertThat(page.locator("table caption").allTextContents())
                    .contains("Envois en attente, échecs définitifs et disjoncteur, par partenaire");
            assertThat(page.locator("table tbody tr").count()).isGreaterThan(1);
            assertThat(page.locator("table").first().textContent()).contains("police-75-brp");
            // The DSFR's stylesheet and fonts came from the gateway and apply: nothing failed, nothing was blocked.
            page.waitForLoadState();
            assertThat(failed).isEmpty();
            assertThat(console).noneMatch(line -> line.contains("Content Security Policy"));
            assertThat(page.locator("body").evaluate("b => getComputedStyle(b).fontFamily"))
                    .asString()
                    .contains("Marianne");
        }
    }

    @Test
    void sendsAStrictContentSecurityPolicyAndNoCache() {
        try (BrowserContext context = browser.asAdmin(gw)) {
            Response response = context.newPage().navigate(gw.base + "/console/");

            Map<String, String> headers = response.headers();
            assertThat(headers.get("content-security-policy"))
                    .isEqualTo("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                            + " font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
            assertThat(headers.get("cache-control")).isEqualTo("no-store");
            assertThat(headers.get("strict-transport-security")).isEqualTo("max-age=31536000");
            assertThat(headers.get("x-content-type-options")).isEqualTo("nosniff");
            assertThat(headers.get("referrer-policy")).isEqualTo("no-referrer");
        }
    }

    @Test
    void refusesTheConsoleToAPartner() {
        try (BrowserContext context = browser.asPartner(gw, "police-75-brp")) {
            Page page = context.newPage();

            Response response = page.navigate(gw.base + "/console/");

            assertThat(response.status()).isEqualTo(403);
            assertThat(page.locator("h1").textContent()).isEqualTo("Accès refusé");
            assertThat(page.content()).doesNotContain("Tableau de bord", "police-75-brp");
        }
    }

    @Test
    void hasNoSeriousNorCriticalAccessibilityViolation() {
        try (BrowserContext context = browser.asAdmin(gw)) {
            Page page = context.newPage();
            page.navigate(gw.base + "/console/");

            assertThat(ConsoleBrowser.graveViolations(page)).isEmpty();
        }
    }

    @Test
    void showsTheStatisticsAsTablesThatAFormFilters() {
        try (BrowserContext context = browser.asAdmin(gw)) {
            Page page = context.newPage();
            page.navigate(gw.base + "/console/");

            page.locator("nav#navigation a", new Page.LocatorOptions().setHasText("Statistiques"))
                    .click();
            page.locator("#champ-department").fill("75");
            page.locator("#champ-type").selectOption("victim.orientation");
            page.locator("button[type=submit]").click();

            assertThat(page.url()).contains("/console/statistiques?", "department=75", "type=victim.orientation");
            assertThat(page.title()).isEqualTo("Statistiques — Console d'administration — Passerelle");
            assertThat(page.locator("table caption").allTextContents())
                    .contains("Signalements par département et par type, selon leur issue");
            Locator line = page.locator("#issues-caption + thead + tbody tr").first();
            assertThat(line.locator("th").textContent()).isEqualTo("75");
            assertThat(line.locator("td").nth(1).textContent()).isEqualTo(Integer.toString(ORIENTATIONS_IN_75.get()));
            assertThat(page.content()).contains("Pourquoi certains chiffres sont masqués");
            page.screenshot(
                    new Page.ScreenshotOptions().setPath(STATISTICS_SCREENSHOT).setFullPage(true));
            assertThat(ConsoleBrowser.graveViolations(page)).isEmpty();
        }
    }

    @Test
    void downloadsTheStatisticsAsACsvForFrenchExcel() throws IOException {
        try (BrowserContext context = browser.asAdmin(gw)) {
            Page page = context.newPage();
            page.navigate(gw.base + "/console/statistiques?department=75");

            Download download =
                    page.waitForDownload(() -> page.locator("a[download]").click());

            byte[] csv = Files.readAllBytes(download.path());
            assertThat(download.suggestedFilename()).matches("passerelle-statistiques-\\d{4}-\\d{2}-\\d{2}\\.csv");
            assertThat(new String(csv, StandardCharsets.UTF_8))
                    .startsWith("\uFEFFDépartement;Code du type;Type;Signalements;")
                    .contains("75;victim.orientation;Orientation d'une victime;" + ORIENTATIONS_IN_75.get() + ";");
        }
    }

    @Test
    void saysBesideTheFieldWhatIsWrongWithTheStatisticsForm() {
        try (BrowserContext context = browser.asAdmin(gw)) {
            Page page = context.newPage();
            page.navigate(gw.base + "/console/statistiques");

            page.locator("#champ-department").fill("9999");
            page.locator("button[type=submit]").click();
            page.locator("#erreur-department").waitFor();

            assertThat(page.url()).contains("department=9999");
            assertThat(page.locator("#erreur-department").textContent()).startsWith("Saisir un code de département");
            assertThat(page.locator("#champ-department").getAttribute("aria-describedby"))
                    .isEqualTo("erreur-department");
            assertThat(page.locator("#champ-department").inputValue()).isEqualTo("9999");
            assertThat(page.locator("table").count()).isZero();
            assertThat(ConsoleBrowser.graveViolations(page)).isEmpty();
        }
    }

    @Test
    void showsTheStatisticsToAnAuditor() {
        try (BrowserContext context = browser.asPinned(gw, "auditor")) {
            Page page = context.newPage();

            Response response = page.navigate(gw.base + "/console/statistiques");

            assertThat(response.status()).isEqualTo(200);
            assertThat(page.locator("h1").textContent()).isEqualTo("Statistiques");
            assertThat(page.locator("header").textContent()).contains("auditor");
            // The outcomes and the delays always; the communes and the refusals as a table once there are some.
            assertThat(page.locator("#issues-caption, #delais-caption").count()).isEqualTo(2);
            assertThat(page.locator("h2").allTextContents())
                    .contains("Signalements par commune", "Refus par motif", "Délais de réponse");
        }
    }

    @Test
    void findsAReferralByTheStartOfItsIdAndShowsItsTimelineWithoutContent() throws IOException {
        String id = submit("police-75-brp", "victim.orientation");
        try (BrowserContext context = browser.asAdmin(gw)) {
            Page page = context.newPage();
            page.navigate(gw.base + "/console/signalements");

            page.locator("#champ-id").fill(id.substring(0, 4));
            page.locator("button[type=submit]").click();
            page.waitForURL("**/console/signalements?id=" + id.substring(0, 4) + "**");

            assertThat(page.locator("h1").textContent()).isEqualTo("Signalements");
            assertThat(page.locator("a[title='" + id + "']").textContent()).isEqualTo(id.substring(0, 8) + "…");
            assertThat(ConsoleBrowser.graveViolations(page)).isEmpty();
            assertThat(page.content()).doesNotContain(TestGateway.SAMPLE_CONTENT);

            page.locator("a[title='" + id + "']").click();
            page.waitForURL("**/console/signalements/" + id);

            assertThat(page.locator("h1").textContent()).isEqualTo("Signalement " + id.substring(0, 8));
            page.screenshot(
                    new Page.ScreenshotOptions().setPath(TIMELINE_SCREENSHOT).setFullPage(true));
            assertThat(page.locator("main").textContent())
                    .contains(id, "Orientation d'une victime", "police-75-brp", "referral.submitted");
            assertThat(ConsoleBrowser.graveViolations(page)).isEmpty();
            assertThat(page.content()).doesNotContain(TestGateway.SAMPLE_CONTENT);
        }
    }

    @Test
    void showsTheReferralsToAnAuditorAndABadFieldBesideIt() throws IOException {
        String id = submit("police-75-brp", "victim.orientation");
        gw.pinAdmin("console-auditor", "role: auditor\n");
        try (BrowserContext context = browser.asPinned(gw, "console-auditor")) {
            Page page = context.newPage();

            Response search = page.navigate(gw.base + "/console/signalements?id=" + id);
            Response timeline = page.navigate(gw.base + "/console/signalements/" + id);
            Response unknown = page.navigate(gw.base + "/console/signalements/" + UUID.randomUUID());
            String unknownHtml = page.content();
            Response bad = page.navigate(gw.base + "/console/signalements?id=3b5");

            assertThat(search.status()).isEqualTo(200);
            assertThat(timeline.status()).isEqualTo(200);
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknownHtml).contains("Signalement introuvable");
            assertThat(bad.status()).isEqualTo(200);
            assertThat(page.locator("#erreur-id").textContent()).startsWith("Saisir le début de l'identifiant");
            assertThat(page.locator("#champ-id").getAttribute("aria-describedby"))
                    .isEqualTo("erreur-id");
        }
    }

    private static String submit(String partner, String type) throws IOException {
        PartnerClient.Reply reply =
                gw.client(partner).post("/v1/referrals", gw.sample(type), "application/json", Map.of());
        assertThat(reply.status()).as(reply.text()).isEqualTo(202);
        if (partner.equals("police-75-brp") && type.equals("victim.orientation")) {
            ORIENTATIONS_IN_75.incrementAndGet();
        }
        return Json.MAPPER.readTree(reply.body()).path("id").asText();
    }
}
