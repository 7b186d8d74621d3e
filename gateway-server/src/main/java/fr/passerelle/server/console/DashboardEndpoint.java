package fr.passerelle.server.console;

import fr.passerelle.core.audit.AuditChecks;
import fr.passerelle.core.audit.SignedTreeHead;
import fr.passerelle.core.audit.TreeHeads;
import fr.passerelle.core.config.model.Administrator;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.delivery.Outbox.QueueStats;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.store.ReferralActivity;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Endpoint;
import fr.passerelle.server.http.EndpointTable;
import fr.passerelle.server.http.EndpointTable.Access;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code GET /console/}, the dashboard: per partner, what waits in the outbox, the dead letters and the circuit
 * breaker; the partners' certificates that expire within 30 days; the referrals of the administrator's data domains
 * today and this week by state, those whose deadline passes within 24 hours and those escalated in the last 7 days;
 * the audit log's latest signed tree head and last verification. A handful of queries per view, each grouped.
 */
final class DashboardEndpoint implements Endpoint {
    static final ZoneId PARIS = Department.PARIS;
    static final Duration EXPIRY_WINDOW = Duration.ofDays(30);
    static final Duration DUE_WINDOW = Duration.ofHours(24);
    static final Duration ESCALATION_PERIOD = Duration.ofDays(7);
    /** How many referrals the deadlines and escalations name; the count says how many more there are. */
    static final int FIRST = 5;

    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("d MMMM yyyy 'à' HH:mm", Locale.FRANCE).withZone(PARIS);
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.FRANCE).withZone(PARIS);
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("EEEE d MMMM", Locale.FRANCE).withZone(PARIS);

    private final ConsoleServices services;
    private final ReferralActivity activity;

    DashboardEndpoint(ConsoleServices services) {
        this.services = services;
        this.activity = new ReferralActivity(services.dataSource());
    }

    /** Adds the dashboard, and the verification of the audit log that it offers an administrator. */
    static void register(EndpointTable.Builder table, ConsoleServices services) {
        DashboardEndpoint dashboard = new DashboardEndpoint(services);
        table.add(HttpMethod.GET, ConsolePages.PREFIX, Access.AUDITOR, dashboard);
        table.add(
                HttpMethod.POST,
                AuditVerificationEndpoint.PATH,
                Access.ADMIN,
                new AuditVerificationEndpoint(services, dashboard));
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        Administrator admin = request.admin();
        Deployment deployment = services.live().get();
        Instant now = services.clock().instant();
        Readings readings = read(admin, deployment, now);
        return render(
                admin,
                deployment,
                readings,
                now,
                verificationBanner(request.queryParam("verification"), readings.lastCheck()));
    }

    /** The dashboard with {@code banner} on top, as a form's answer shows it. */
    ApiResponse page(Administrator admin, Banner banner) {
        Deployment deployment = services.live().get();
        Instant now = services.clock().instant();
        return render(admin, deployment, read(admin, deployment, now), now, Optional.of(banner));
    }

    private ApiResponse render(
            Administrator admin, Deployment deployment, Readings readings, Instant now, Optional<Banner> banner) {
        Dashboard dashboard = view(
                Viewer.of(admin, services.csrf()),
                deployment.sortedPartners(),
                services.breakerOpen(),
                readings,
                now,
                banner);
        return ConsolePages.page(HttpResponseStatus.OK, "dashboard.jte", Map.of("dashboard", dashboard));
    }

    /** What one view reads: the outbox, the referrals of the administrator's domains, the audit log. */
    record Readings(
            Map<PartnerId, QueueStats> outbox,
            ReferralActivity.Counts counts,
            ReferralActivity.DueSoon dueSoon,
            ReferralActivity.Escalations escalated,
            Optional<SignedTreeHead> head,
            Optional<AuditChecks.Check> lastCheck) {}

    private Readings read(Administrator admin, Deployment deployment, Instant now) {
        return new Readings(
                services.outbox().get(),
                activity.counts(LocalDate.ofInstant(now, PARIS), PARIS, admin.types()),
                activity.dueSoon(deployment.deadlines(), now, DUE_WINDOW, admin.types(), FIRST),
                activity.escalatedSince(now.minus(ESCALATION_PERIOD), admin.types(), FIRST),
                TreeHeads.latest(services.dataSource()),
                AuditChecks.latest(services.dataSource()));
    }

    /** @param partners the configuration's partners, in id order */
    static Dashboard view(
            Viewer viewer,
            List<Partner> partners,
            Predicate<PartnerId> breakerOpen,
            Readings readings,
            Instant now,
            Optional<Banner> banner) {
        List<Dashboard.PartnerLine> lines = new ArrayList<>();
        List<Dashboard.Expiry> expiring = new ArrayList<>();
        for (Partner partner : partners) {
            Optional<QueueStats> figures = Optional.ofNullable(readings.outbox().get(partner.id()));
            boolean pushed = partner.delivery().pushed();
            boolean open = pushed && breakerOpen.test(partner.id());
            lines.add(new Dashboard.PartnerLine(
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
                viewer, DATE_TIME.format(now), banner, lines, expiring, activity(readings), audit(readings));
    }

    private static Dashboard.Activity activity(Readings readings) {
        ReferralActivity.Counts counts = readings.counts();
        List<Dashboard.StateLine> states = counts.byStatus().stream()
                .map(s -> new Dashboard.StateLine(
                        s.status(), SignalementsEndpoint.status(s.status()), s.today(), s.week()))
                .toList();
        Dashboard.Watch dueSoon = new Dashboard.Watch(
                readings.dueSoon().count(),
                readings.dueSoon().first().stream()
                        .map(due -> link(
                                due.id().toString(),
                                due.at(),
                                due.deadline() == ReferralActivity.Deadline.ACKNOWLEDGEMENT
                                        ? "accusé de réception attendu avant cette heure, sinon escalade"
                                        : "expire si personne ne l'a pris en charge"))
                        .toList());
        Dashboard.Watch escalated = new Dashboard.Watch(
                readings.escalated().count(),
                readings.escalated().latest().stream()
                        .map(e -> link(e.id().toString(), e.at(), "escaladé faute d'accusé de réception"))
                        .toList());
        return new Dashboard.Activity(
                DAY.format(counts.dayStart()),
                DAY.format(counts.weekStart()),
                states,
                counts.today(),
                counts.week(),
                dueSoon,
                escalated);
    }

    private static Dashboard.ReferralLink link(String id, Instant at, String what) {
        return new Dashboard.ReferralLink(
                SignalementsEndpoint.PATH + "/" + id, id, id.substring(0, 8), DATE_TIME.format(at), what);
    }

    private static Dashboard.Audit audit(Readings readings) {
        return new Dashboard.Audit(
                readings.head()
                        .map(signed -> new Dashboard.Head(
                                signed.head().size(),
                                HexFormat.of()
                                                .formatHex(signed.head().rootHash())
                                                .substring(0, 16) + "…",
                                DATE_TIME.format(signed.head().signedAt()))),
                readings.lastCheck()
                        .map(check -> new Dashboard.Check(
                                DATE_TIME.format(check.at()),
                                check.actor(),
                                check.ok(),
                                check.entries(),
                                check.treeHeads())));
    }

    /**
     * The confirmation after a verification ({@code ?verification=ok}): it tells the last verification that the
     * page shows, never what the address claims, and none when that one found a problem.
     */
    static Optional<Banner> verificationBanner(Optional<String> query, Optional<AuditChecks.Check> lastCheck) {
        return query.filter("ok"::equals)
                .flatMap(ok -> lastCheck)
                .filter(AuditChecks.Check::ok)
                .map(DashboardEndpoint::verified);
    }

    private static Banner verified(AuditChecks.Check check) {
        return Banner.success(
                "Journal d'audit vérifié",
                "Aucune anomalie : " + plural(check.entries(), "entrée") + " et "
                        + plural(check.treeHeads(), "tête d'arbre signée", "têtes d'arbre signées")
                        + " vérifiées.");
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

    static String plural(long n, String word) {
        return plural(n, word, word + "s");
    }

    static String plural(long n, String one, String many) {
        return n + " " + (n > 1 ? many : one);
    }
}
