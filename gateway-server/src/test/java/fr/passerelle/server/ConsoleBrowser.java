package fr.passerelle.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.AxeResults;
import com.deque.html.axecore.results.Rule;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ClientCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Debian's chromium, headless, driven by Playwright, for the console's browser tests: contexts that present an
 * administrator's (or a partner's) client certificate, in French and in Paris time, and the axe-core check of a
 * page. Playwright downloads no browser; a test skips when chromium is not installed (CI installs it: .ci/run).
 */
final class ConsoleBrowser implements AutoCloseable {
    static final Path CHROMIUM = Path.of(System.getProperty("console.chromium", "/usr/bin/chromium"));

    private final Playwright playwright;
    private final Browser browser;

    private ConsoleBrowser(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    /** Whether chromium is installed: a test class starts its gateway only then. */
    static boolean available() {
        return Files.isExecutable(CHROMIUM);
    }

    /** Skips the test, with the reason, when chromium is not installed (call it from each test's set-up). */
    static void assumeAvailable() {
        assumeTrue(
                available(),
                "no chromium at " + CHROMIUM + ": install it (apt-get install chromium) to run the console's"
                        + " browser tests");
    }

    static ConsoleBrowser launch() {
        Playwright playwright = Playwright.create(
                new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Browser browser = playwright
                .chromium()
                .launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(CHROMIUM)
                        .setHeadless(true)
                        .setArgs(List.of("--no-sandbox")));
        return new ConsoleBrowser(playwright, browser);
    }

    /** A context with the development administrator's certificate (role admin). */
    BrowserContext asAdmin(TestGateway gw) {
        return as(gw, gw.pki.resolve("admin.pem"), gw.pki.resolve("admin-key.pem"));
    }

    /** A context with the certificate of an administrator that {@link TestGateway#pinAdmin} pinned. */
    BrowserContext asPinned(TestGateway gw, String adminId) {
        Path admins = gw.pki.resolve("admins");
        return as(gw, admins.resolve(adminId + ".pem"), admins.resolve(adminId + "-key.pem"));
    }

    /** A context with a partner's certificate, which the console refuses. */
    BrowserContext asPartner(TestGateway gw, String partnerId) {
        Path partners = gw.pki.resolve("partners");
        return as(gw, partners.resolve(partnerId + ".pem"), partners.resolve(partnerId + "-key.pem"));
    }

    BrowserContext as(TestGateway gw, Path certificate, Path key) {
        return browser.newContext(new Browser.NewContextOptions()
                .setLocale("fr-FR")
                .setTimezoneId("Europe/Paris")
                // The gateway's certificate comes from the test's own CA, which the browser does not know.
                .setIgnoreHTTPSErrors(true)
                .setClientCertificates(List.of(new ClientCertificate(gw.base.toString())
                        .setCertPath(certificate)
                        .setKeyPath(key))));
    }

    /** The page's button of that exact accessible name, as a user finds it. */
    static Locator button(Page page, String name) {
        return page.getByRole(
                AriaRole.BUTTON, new Page.GetByRoleOptions().setName(name).setExact(true));
    }

    /** The page's serious and critical accessibility violations according to axe-core, one line each. */
    static List<String> graveViolations(Page page) {
        AxeResults results = new AxeBuilder(page).analyze();
        return results.getViolations().stream()
                .filter(rule -> Set.of("serious", "critical").contains(rule.getImpact()))
                .map(ConsoleBrowser::describe)
                .toList();
    }

    private static String describe(Rule rule) {
        return rule.getImpact() + " " + rule.getId() + ": " + rule.getHelp() + " at "
                + rule.getNodes().stream()
                        .map(node -> String.valueOf(node.getTarget()))
                        .toList();
    }

    @Override
    public void close() {
        playwright.close();
    }
}
