package fr.passerelle.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.audit.AuditChecks;
import fr.passerelle.core.audit.SignedTreeHead;
import fr.passerelle.core.audit.TreeHead;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.store.ReferralActivity;
import fr.passerelle.server.http.ApiResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DashboardTest {
    private static final Viewer ADMIN = new Viewer("alice", "administrateur", true, "jeton-alice");
    private static final Viewer AUDITOR = new Viewer("bob", "auditeur", false, "jeton-bob");
    /** Thursday 3 December 2026, 11:00 in Paris. */
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    private static final ReferralId FIRST = new ReferralId(UUID.fromString("3b58c0e2-7d1a-4c3b-9f00-0123456789ab"));
    private static final ReferralId SECOND = new ReferralId(UUID.fromString("9a00c0e2-7d1a-4c3b-9f00-0123456789ab"));
    private static final ReferralActivity.Counts WEEK = new ReferralActivity.Counts(
            Instant.parse("2026-12-02T23:00:00Z"),
            Instant.parse("2026-11-29T23:00:00Z"),
            List.of(
                    new ReferralActivity.StatusCount("routed", 2, 5),
                    new ReferralActivity.StatusCount("accepted", 0, 3)));
    private static final AuditChecks.Check VERIFIED =
            new AuditChecks.Check(41, Instant.parse("2026-12-03T08:15:00Z"), "admin:alice", true, 40, 3);

    @Test
    void countsTheReferralsOfTheDayAndOfTheWeekByStateInFrench() {
        Dashboard dashboard = view(ADMIN, readings(WEEK, none(), noEscalation(), Optional.empty()), Optional.empty());

        assertThat(dashboard.activity().states())
                .containsExactly(
                        new Dashboard.StateLine("routed", "en cours de remise", 2, 5),
                        new Dashboard.StateLine("accepted", "pris en charge", 0, 3));
        assertThat(render(dashboard))
                .contains("Signalements déposés aujourd'hui et depuis lundi, selon leur état actuel</caption>")
                .contains("<th scope=\"col\">Aujourd'hui (jeudi 3 décembre)</th>")
                .contains("<th scope=\"col\">Depuis le lundi 30 novembre</th>")
                .contains("<th scope=\"row\">en cours de remise</th>", "<th scope=\"row\">Total</th>")
                .contains("<td class=\"fr-text--bold\">2</td>", "<td class=\"fr-text--bold\">8</td>");
    }

    @Test
    void saysSoWhenTheWeekHasNoReferralNorDeadline() {
        ReferralActivity.Counts empty = new ReferralActivity.Counts(WEEK.dayStart(), WEEK.weekStart(), List.of());

        String html =
                render(view(AUDITOR, readings(empty, none(), noEscalation(), Optional.empty()), Optional.empty()));

        assertThat(html)
                .contains("Aucun signalement déposé depuis le lundi 30 novembre.")
                .contains("Échéances dans les 24 heures : 0</h3>", "Aucun délai de routes.yaml")
                .contains("Escalades des 7 derniers jours : 0</h3>", "Aucun signalement escaladé ces 7 derniers jours.")
                .contains("Aucune pour l'instant", "Jamais depuis la console.")
                .doesNotContain("etats-caption");
    }

    @Test
    void linksTheDeadlinesAndTheEscalationsToTheTimelinesInParisTime() {
        ReferralActivity.DueSoon due = new ReferralActivity.DueSoon(
                7,
                List.of(
                        new ReferralActivity.Due(
                                FIRST,
                                Instant.parse("2026-12-03T10:30:00Z"),
                                ReferralActivity.Deadline.ACKNOWLEDGEMENT),
                        new ReferralActivity.Due(
                                SECOND, Instant.parse("2026-12-04T09:00:00Z"), ReferralActivity.Deadline.EXPIRY)));
        ReferralActivity.Escalations escalated = new ReferralActivity.Escalations(
                1, List.of(new ReferralActivity.Escalation(SECOND, Instant.parse("2026-12-01T07:00:00Z"))));

        Dashboard dashboard = view(ADMIN, readings(WEEK, due, escalated, Optional.empty()), Optional.empty());

        assertThat(dashboard.activity().dueSoon().first().get(0))
                .isEqualTo(new Dashboard.ReferralLink(
                        "/console/signalements/" + FIRST,
                        FIRST.toString(),
                        "3b58c0e2",
                        "3 décembre 2026 à 11:30",
                        "accusé de réception attendu avant cette heure, sinon escalade"));
        assertThat(render(dashboard))
                .contains("Échéances dans les 24 heures : 7</h3>", "Et 5 de plus.")
                .contains("<a href=\"/console/signalements/" + SECOND + "\" title=\"" + SECOND + "\">9a00c0e2…</a>")
                .contains("4 décembre 2026 à 10:00 : expire si personne ne l'a pris en charge")
                .contains("Escalades des 7 derniers jours : 1</h3>")
                .contains("1 décembre 2026 à 08:00 : escaladé faute d'accusé de réception");
    }

    @Test
    void showsTheLatestSignedTreeHeadAndTheLastVerification() {
        byte[] root = new byte[32];
        Arrays.fill(root, (byte) 0xab);
        SignedTreeHead head = new SignedTreeHead(
                new TreeHead(40, root, Instant.parse("2026-12-03T08:00:00Z")), new byte[] {1, 2}, "AA:BB");

        Dashboard dashboard =
                view(AUDITOR, readings(WEEK, none(), noEscalation(), Optional.of(head)), Optional.empty());

        assertThat(dashboard.audit().head())
                .contains(new Dashboard.Head(40, "abababababababab…", "3 décembre 2026 à 09:00"));
        assertThat(render(dashboard))
                .contains("40 entrées, racine <code>abababababababab…</code>, signée le 3 décembre 2026 à 09:00")
                .contains("<p class=\"fr-badge fr-badge--success fr-badge--sm\">Conforme</p>")
                .contains("le 3 décembre 2026 à 09:15 par admin:alice : 40 entrées et 3 têtes");
    }

    @Test
    void offersTheVerificationToAnAdministratorOnly() {
        String admin = render(view(ADMIN, readings(WEEK, none(), noEscalation(), Optional.empty()), Optional.empty()));
        String auditor =
                render(view(AUDITOR, readings(WEEK, none(), noEscalation(), Optional.empty()), Optional.empty()));

        assertThat(admin)
                .contains("<form method=\"post\" action=\"/console/audit/verification\">")
                .contains("<input type=\"hidden\" name=\"csrf\" value=\"jeton-alice\">")
                .contains(">Vérifier le journal maintenant</button>");
        assertThat(auditor).doesNotContain("<form", "<button", "Vérifier le journal maintenant", "jeton-bob");
    }

    @Test
    void confirmsAVerificationOnlyWhenTheLastOneShownPassed() {
        AuditChecks.Check failed =
                new AuditChecks.Check(42, Instant.parse("2026-12-03T08:20:00Z"), "admin:bob", false, 12, 0);

        assertThat(DashboardEndpoint.verificationBanner(Optional.of("ok"), Optional.of(VERIFIED)))
                .contains(Banner.success(
                        "Journal d'audit vérifié",
                        "Aucune anomalie : 40 entrées et 3 têtes d'arbre signées vérifiées."));
        assertThat(DashboardEndpoint.verificationBanner(Optional.of("ok"), Optional.of(failed)))
                .isEmpty();
        assertThat(DashboardEndpoint.verificationBanner(Optional.of("oui"), Optional.of(VERIFIED)))
                .isEmpty();
        assertThat(DashboardEndpoint.verificationBanner(Optional.empty(), Optional.of(VERIFIED)))
                .isEmpty();
    }

    @Test
    void showsAProblemOfTheAuditLogAsAnErrorInEnglishUnderAFrenchTitle() {
        Banner problem = Banner.error(
                "Le journal d'audit ne se vérifie pas",
                "La vérification s'est arrêtée au premier problème.",
                "entry 42: its fields do not match its leaf hash <changed>");

        String html =
                render(view(ADMIN, readings(WEEK, none(), noEscalation(), Optional.empty()), Optional.of(problem)));

        assertThat(html)
                .contains("<div class=\"fr-alert fr-alert--error fr-mb-3w\" role=\"alert\">")
                .contains("<h2 class=\"fr-alert__title\">Le journal d'audit ne se vérifie pas</h2>")
                .contains("<p lang=\"en\"><code>entry 42: its fields do not match its leaf hash &lt;changed&gt;</code>")
                .doesNotContain("<changed>", "<script", "style=\"");
    }

    private static Dashboard view(Viewer viewer, DashboardEndpoint.Readings readings, Optional<Banner> banner) {
        return DashboardEndpoint.view(viewer, List.of(), partner -> false, readings, NOW, banner);
    }

    private static DashboardEndpoint.Readings readings(
            ReferralActivity.Counts counts,
            ReferralActivity.DueSoon due,
            ReferralActivity.Escalations escalated,
            Optional<SignedTreeHead> head) {
        return new DashboardEndpoint.Readings(Map.of(), counts, due, escalated, head, head.map(h -> VERIFIED));
    }

    private static ReferralActivity.DueSoon none() {
        return new ReferralActivity.DueSoon(0, List.of());
    }

    private static ReferralActivity.Escalations noEscalation() {
        return new ReferralActivity.Escalations(0, List.of());
    }

    static String render(Dashboard dashboard) {
        ApiResponse page = ConsolePages.page(HttpResponseStatus.OK, "dashboard.jte", Map.of("dashboard", dashboard));
        return new String(page.body(), StandardCharsets.UTF_8);
    }
}
