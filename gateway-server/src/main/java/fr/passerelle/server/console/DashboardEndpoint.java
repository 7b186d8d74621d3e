package fr.passerelle.server.console;

import fr.passerelle.core.config.model.Administrator;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.config.versions.LiveDeployment;
import fr.passerelle.core.delivery.Outbox.QueueStats;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Endpoint;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * {@code GET /console/}, the dashboard: per partner, what waits in the outbox, the dead letters and the circuit
 * breaker; the partners' certificates that expire within 30 days. One grouped query on the outbox per view.
 */
final class DashboardEndpoint implements Endpoint {
    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final Duration EXPIRY_WINDOW = Duration.ofDays(30);
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("d MMMM yyyy 'à' HH:mm", Locale.FRANCE).withZone(PARIS);
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.FRANCE).withZone(PARIS);

    private final LiveDeployment live;
    private final Supplier<Map<PartnerId, QueueStats>> outbox;
    private final Predicate<PartnerId> breakerOpen;
    private final CsrfTokens csrf;
    private final Clock clock;

    DashboardEndpoint(
            LiveDeployment live,
            Supplier<Map<PartnerId, QueueStats>> outbox,
            Predicate<PartnerId> breakerOpen,
            CsrfTokens csrf,
            Clock clock) {
        this.live = live;
        this.outbox = outbox;
        this.breakerOpen = breakerOpen;
        this.csrf = csrf;
        this.clock = clock;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        Administrator admin = request.admin();
        Dashboard dashboard = dashboard(admin, live.get(), outbox.get(), clock.instant());
        return ConsolePages.page(HttpResponseStatus.OK, "dashboard.jte", Map.of("dashboard", dashboard));
    }

    Dashboard dashboard(Administrator admin, Deployment deployment, Map<PartnerId, QueueStats> stats, Instant now) {
        List<Dashboard.PartnerLine> partners = new ArrayList<>();
        List<Dashboard.Expiry> expiring = new ArrayList<>();
        for (Partner partner : deployment.sortedPartners()) {
            Optional<QueueStats> figures = Optional.ofNullable(stats.get(partner.id()));
            boolean pushed = partner.delivery().pushed();
            boolean open = pushed && breakerOpen.test(partner.id());
            partners.add(new Dashboard.PartnerLine(
                    partner.id().value(),
                    partner.name(),
                    partner.kind().code(),
                    partner.enabled(),
                    figures.map(QueueStats::pending).orElse(0L),
                    figures.flatMap(QueueStats::oldestPending)
                            .map(DATE_TIME::format)
                            .orElse("—"),
                    figures.map(QueueStats::failed).orElse(0L),
                    !pushed ? "—" : open ? "Ouvert : envois suspendus" : "Fermé",
                    open));
            partner.certificate()
                    .filter(c -> !c.getNotAfter().toInstant().isAfter(now.plus(EXPIRY_WINDOW)))
                    .ifPresent(c -> expiring.add(expiry(partner.id().value(), c, now)));
        }
        return new Dashboard(
                admin.id(), role(admin.role()), DATE_TIME.format(now), partners, expiring, csrf.tokenFor(admin));
    }

    private static Dashboard.Expiry expiry(String partner, X509Certificate certificate, Instant now) {
        Instant notAfter = certificate.getNotAfter().toInstant();
        long days = Duration.between(now, notAfter).toDays();
        boolean expired = notAfter.isBefore(now);
        String when = expired
                ? "expiré depuis " + plural(-days, "jour")
                : days == 0 ? "expire aujourd'hui" : "dans " + plural(days, "jour");
        return new Dashboard.Expiry(partner, DATE.format(notAfter), when, expired);
    }

    private static String plural(long n, String word) {
        return n + " " + word + (n > 1 ? "s" : "");
    }

    static String role(Administrator.Role role) {
        return role == Administrator.Role.ADMIN ? "administrateur" : "auditeur";
    }
}
