package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import fr.passerelle.core.audit.AuditChecks;
import fr.passerelle.core.audit.TreeHeads;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's activity and audit log, and the actions on a referral's timeline, in a real browser against a
 * real gateway: the referrals of the week by state, a deadline due soon, the latest signed tree head and a
 * verification run from its button; a dead letter replayed and a referral cancelled from their timeline, as the
 * admin API then sees them; an auditor who sees no button and whose forged form is refused. Skips without chromium.
 */
class ConsoleActionsBrowserIT {
    /** Where the dashboard's screenshot goes: docs/console-dashboard.png is a copy of it. */
    private static final Path SCREENSHOT = Path.of("target", "console-dashboard.png");

    private static final String SIAO_974 = "siao-974";

    static TestGateway gw;
    static ConsoleBrowser browser;
    static PartnerClient admin;
    static PartnerClient auditor;
    /** The SIAO 974's address, where nothing listens until a test makes a replayed delivery wait there. */
    static int siaoPort;

    static ServerSocket silentSiao;

    @BeforeAll
    static void start() throws IOException {
        if (!ConsoleBrowser.available()) {
            return;
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            siaoPort = socket.getLocalPort();
        }
        // The SIAO 974 refuses connections and one failed attempt makes a dead letter; heads are signed each second.
        gw = TestGateway.withConfig(Map.of(), config -> {
            TestGateway.edit(
                    config.resolve("partners/siao-974.yaml"),
                    yaml -> yaml.replace(
                            "url: https://siao-974.example.invalid/passerelle/demandes",
                            "url: https://127.0.0.1:" + siaoPort + "/demandes\n  max_attempts: 1"));
        });
        admin = gw.adminClient();
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
        // First, so that a delivery waiting on it fails at once instead of holding the gateway's shutdown.
        if (silentSiao != null) {
            silentSiao.close();
        }
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void showsTheReferralsOfTheWeekByStateTheDeadlinesAndTheTreeHead() throws IOException {
        for (int i = 0; i < 3; i++) {
            submit("police-75-brp", "victim.orientation", "75");
        }
        // An immediate shelter request: the SIAO must acknowledge it within 30 minutes (routes.yaml).
        String shelter = submit("police-75-brp", "shelter.request", "75");
        await("a signed tree head")
                .atMost(Duration.ofSeconds(30))
                .until(() -> TreeHeads.latest(gw.gateway.database().dataSource()), Optional::isPresent);

        try (BrowserContext context = browser.asAdmin(gw)) {
            Page page = context.newPage();
            page.navigate(gw.base + "/console/");

            Locator states = page.locator("#etats-caption + thead + tbody");
            Locator total = states.locator("tr", new Locator.LocatorOptions().setHasText("Total"));
            assertThat(total.locator("td").first().textContent()).isEqualTo(Long.toString(gw.countReferrals()));
            assertThat(states.locator("th").allTextContents()).contains("en cours de remise");
            assertThat(page.locator("#echeances").textContent()).matches("Échéances dans les 24 heures : [1-9]\\d*");
            assertThat(page.locator("a[href='/console/signalements/" + shelter + "']")
                            .textContent())
                    .isEqualTo(shelter.substring(0, 8) + "…");
            assertThat(page.locator("main dl").textContent()).containsPattern("\\d+ entrées, racine [0-9a-f]{16}…");
            assertThat(ConsoleBrowser.graveViolations(page)).isEmpty();
        }
    }

    @Test
    void verifiesTheAuditLogFromTheDashboardAndShowsItAsTheLastVerification() throws IOException {
        // A deadline due soon, for the screenshot to show one.
        submit("police-75-brp", "shelter.request", "75");
        try (BrowserContext context = browser.asAdmin(gw)) {
            Page page = context.newPage();
            page.navigate(gw.base + "/console/");

            page.locator("button", new Page.LocatorOptions().setHasText("Vérifier le journal maintenant"))
                    .click();
            page.waitForURL("**/console/?verification=ok");

            assertThat(page.locator(".fr-alert--success .fr-alert__title").textContent())
                    .isEqualTo("Journal d'audit vérifié");
            assertThat(page.locator(".fr-alert--success p").textContent()).startsWith("Aucune anomalie : ");
            assertThat(page.locator("#derniere-verification").textContent())
                    .contains("Conforme", "par admin:admin", "entrées");
            AuditChecks.Check recorded =
                    AuditChecks.latest(gw.gateway.database().dataSource()).orElseThrow();
            assertThat(recorded.actor()).isEqualTo("admin:admin");
            assertThat(recorded.ok()).isTrue();
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOT).setFullPage(true));
        }
    }

    @Test
    void replaysADeadLetterFromItsTimeline() throws IOException {
        String id = submit("association-974-kaz-lespwa", "shelter.request", "974");
        long dead = awaitDeadLetter(id);
        // The replayed delivery then waits on a server that never answers: it stays pending while the page looks.
        silentSiao = new ServerSocket(siaoPort);

        try (BrowserContext context = browser.asAdmin(gw)) {
            Page page = context.newPage();
            page.navigate(gw.base + "/console/signalements/" + id);
            Locator replay =
                    page.locator("form[action='/console/signalements/" + id + "/envois/" + dead + "/relancer'] button");
            assertThat(replay.textContent()).isEqualTo("Relancer l'envoi n° " + dead + " à " + SIAO_974);
            assertThat(ConsoleBrowser.graveViolations(page)).isEmpty();

            replay.click();
            page.waitForURL("**/console/signalements/" + id + "?relance=" + dead);

            assertThat(page.locator(".fr-alert--success .fr-alert__title").textContent())
                    .isEqualTo("Envoi relancé");
            assertThat(page.locator("#exemplaires-caption + thead + tbody").textContent())
                    .contains("en attente de remise");
            assertThat(page.locator("main").textContent()).contains("delivery.replayed");
            assertThat(replay.count()).isZero();
        }
        assertThat(delivery(id, dead).path("state").asText()).isEqualTo("pending");
    }

    @Test
    void cancelsAReferralFromItsTimelineOnceConfirmed() throws IOException {
        String id = submit("police-75-brp", "victim.orientation", "75");
        try (BrowserContext context = browser.asAdmin(gw)) {
            Page page = context.newPage();
            page.navigate(gw.base + "/console/signalements/" + id);
            Locator cancel = page.locator("button", new Page.LocatorOptions().setHasText("Annuler le signalement"));

            Response refused =
                    page.waitForResponse(response -> response.url().endsWith("/annuler"), () -> cancel.click());
            assertThat(refused.status()).isEqualTo(422);
            assertThat(page.locator("#erreur-confirmation").textContent())
                    .isEqualTo("Cocher la case pour confirmer l'annulation du signalement.");
            assertThat(page.locator("#champ-confirmation").getAttribute("aria-describedby"))
                    .isEqualTo("erreur-confirmation");
            assertThat(ConsoleBrowser.graveViolations(page)).isEmpty();
            assertThat(referral(id).path("status").asText()).isEqualTo("routed");

            page.locator("label[for=champ-confirmation]").click();
            cancel.click();
            page.waitForURL("**/console/signalements/" + id + "?annule=oui");

            assertThat(page.locator(".fr-alert--success .fr-alert__title").textContent())
                    .isEqualTo("Signalement annulé");
            assertThat(page.locator("main dl").textContent()).contains("annulé");
            assertThat(page.locator("form[action$='/annuler']").count()).isZero();
        }
        assertThat(referral(id).path("status").asText()).isEqualTo("cancelled");
        assertThat(gw.auditActions(id)).contains("referral.cancelled");
    }

    @Test
    void showsAnAuditorNoButtonAndRefusesItsForgedForms() throws IOException {
        String id = submit("police-75-brp", "victim.orientation", "75");
        try (BrowserContext context = browser.asPinned(gw, "auditor")) {
            Page page = context.newPage();

            page.navigate(gw.base + "/console/");
            assertThat(page.locator("main form").count()).isZero();
            assertThat(page.locator("main").textContent()).doesNotContain("Vérifier le journal maintenant");
            page.navigate(gw.base + "/console/signalements/" + id);
            assertThat(page.locator("h1").textContent()).isEqualTo("Signalement " + id.substring(0, 8));
            assertThat(page.locator("main form").count()).isZero();
            assertThat(page.locator("main button").count()).isZero();
        }

        PartnerClient.Reply cancel = auditor.post(
                "/console/signalements/" + id + "/annuler",
                "csrf=forged&confirmation=oui".getBytes(StandardCharsets.UTF_8),
                "application/x-www-form-urlencoded",
                Map.of());
        PartnerClient.Reply verify = auditor.post(
                "/console/audit/verification",
                "csrf=forged".getBytes(StandardCharsets.UTF_8),
                "application/x-www-form-urlencoded",
                Map.of());

        assertThat(cancel.status()).isEqualTo(403);
        assertThat(cancel.text()).contains("Accès refusé");
        assertThat(verify.status()).isEqualTo(403);
        assertThat(referral(id).path("status").asText()).isEqualTo("routed");
    }

    private static String submit(String partner, String type, String department) throws IOException {
        String sample = new String(gw.sample(type), StandardCharsets.UTF_8)
                .replace("\"department\": \"75\"", "\"department\": \"" + department + "\"");
        PartnerClient.Reply reply = gw.client(partner)
                .post("/v1/referrals", sample.getBytes(StandardCharsets.UTF_8), "application/json", Map.of());
        assertThat(reply.status()).as(reply.text()).isEqualTo(202);
        return Json.MAPPER.readTree(reply.body()).path("id").asText();
    }

    private static JsonNode referral(String id) throws IOException {
        PartnerClient.Reply reply = admin.get("/admin/v1/referrals/" + id);
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        return Json.MAPPER.readTree(reply.body()).path("referral");
    }

    private static JsonNode delivery(String referralId, long deliveryId) throws IOException {
        JsonNode timeline = Json.MAPPER.readTree(
                admin.get("/admin/v1/referrals/" + referralId).body());
        for (JsonNode delivery : timeline.path("deliveries")) {
            if (delivery.path("id").asLong() == deliveryId) {
                return delivery;
            }
        }
        throw new AssertionError("no delivery " + deliveryId + " in the timeline of " + referralId);
    }

    private static long awaitDeadLetter(String referralId) {
        return await("the copy of " + referralId + " to " + SIAO_974 + " becoming a dead letter")
                .atMost(Duration.ofSeconds(30))
                .until(() -> deadLetter(referralId), Optional::isPresent)
                .orElseThrow();
    }

    private static Optional<Long> deadLetter(String referralId) throws IOException {
        JsonNode page = Json.MAPPER.readTree(admin.get("/admin/v1/deliveries?state=failed&partner=" + SIAO_974)
                .body());
        for (JsonNode delivery : page.path("deliveries")) {
            if (delivery.path("referralId").asText().equals(referralId)) {
                return Optional.of(delivery.path("id").asLong());
            }
        }
        return Optional.empty();
    }
}
