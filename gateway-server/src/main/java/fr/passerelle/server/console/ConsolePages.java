package fr.passerelle.server.console;

import fr.passerelle.core.store.ReferralSearch;
import fr.passerelle.core.store.Statistics;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.EndpointTable;
import fr.passerelle.server.http.EndpointTable.Access;
import fr.passerelle.server.http.Problems;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The console's table, {@code /console/}, and what every page has in common: the templates compiled at build time,
 * and the headers that keep a page from running anything but the gateway's own files.
 */
public final class ConsolePages {
    /** The prefix of every console path. */
    public static final String PREFIX = "/console/";

    /**
     * Scripts, styles, fonts and images from the gateway only, never inline; no framing, no base, forms to the
     * gateway only.
     */
    public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private static final TemplateEngine TEMPLATES = TemplateEngine.createPrecompiled(ContentType.Html);

    private ConsolePages() {}

    /** Adds the console's pages and its static files to {@code table}. */
    public static void register(EndpointTable.Builder table, ConsoleServices services) {
        Clock clock = services.clock();
        DashboardEndpoint.register(table, services);
        Statistics statistics = services.statistics();
        table.add(
                HttpMethod.GET, StatisticsEndpoint.PATH, Access.STATISTICS, StatisticsEndpoint.page(statistics, clock));
        table.add(
                HttpMethod.GET,
                StatisticsEndpoint.PATH + ".csv",
                Access.STATISTICS,
                StatisticsEndpoint.csv(statistics, clock));
        ReferralSearch referrals = services.referrals();
        table.add(HttpMethod.GET, SignalementsEndpoint.PATH, Access.AUDITOR, new SignalementsEndpoint(referrals));
        TimelineEndpoint.register(table, services);
        VersionsPages.register(table, services);
        RoutesPages.register(table, services);
        PartnersPages.register(table, services);
        StaticFiles files = new StaticFiles();
        // The browser fetches these on the same connection as the page; they are the DSFR's, public, and style the
        // refusal page too: any client with a certificate of the trust anchors may have them.
        for (String pattern : StaticFiles.PATTERNS) {
            table.add(HttpMethod.GET, pattern, Access.ANY_CLIENT, files);
        }
        table.errorPages(PREFIX, ConsolePages::refusal);
    }

    /** A page of the console, with the headers that every page carries. */
    static ApiResponse page(HttpResponseStatus status, String template, Map<String, Object> params) {
        Utf8ByteOutput output = new Utf8ByteOutput();
        TEMPLATES.render(template, params, output);
        byte[] body = output.toByteArray();
        return new ApiResponse(status, "text/html; charset=utf-8", body, securityHeaders());
    }

    /**
     * The answer to a form that changed something: 303 See Other to the page that shows the result, so that
     * reloading it does not post the form again.
     *
     * @param location a path under {@value #PREFIX}, with its query
     */
    static ApiResponse redirect(String location) {
        if (!location.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a console redirect stays in the console, not " + location);
        }
        Map<String, String> headers = securityHeaders();
        headers.put("Location", location);
        return new ApiResponse(HttpResponseStatus.SEE_OTHER, "text/plain; charset=utf-8", new byte[0], headers);
    }

    static Map<String, String> securityHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.put("Strict-Transport-Security", "max-age=31536000");
        headers.put("Cache-Control", "no-store");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("X-Frame-Options", "DENY");
        return headers;
    }

    /** The 404 page of something a page's path names but that does not exist, or that the administrator may not see. */
    static ApiResponse notFound(String title, String explanation) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("title", title);
        params.put("status", 404);
        params.put("explanation", explanation);
        params.put("incident", "");
        return page(HttpResponseStatus.NOT_FOUND, "refusal.jte", params);
    }

    /** A refusal or an error under {@code /console/}, as a page instead of a problem document. */
    static ApiResponse refusal(Problems.Problem problem) {
        int status = problem.status().code();
        String title =
                switch (status) {
                    case 401 -> "Certificat client requis";
                    case 403 -> "Accès refusé";
                    case 404 -> "Page introuvable";
                    default -> status >= 500 ? "Erreur de la passerelle" : "Demande refusée";
                };
        String explanation =
                switch (status) {
                    case 401,
                            403 -> "La console est réservée aux administrateurs et auditeurs de la passerelle, identifiés par"
                            + " leur certificat client épinglé dans config/admins/. Le certificat présenté n'y figure pas, ou son rôle ne permet pas cette action."
                            + " Un lecteur des statistiques (role: statistics) ne consulte que la page Statistiques,"
                            + " pour ses départements.";
                    case 404 -> "Cette page n'existe pas (encore) dans la console.";
                    default -> status >= 500
                            ? "La passerelle a rencontré une erreur interne ; le journal en garde la trace avec son numéro"
                                    + " d'incident."
                            : "La demande n'a pas pu être traitée.";
                };
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("title", title);
        params.put("status", status);
        params.put("explanation", explanation);
        params.put("incident", problem.body().path("incident").asText(""));
        return page(problem.status(), "refusal.jte", params);
    }
}
