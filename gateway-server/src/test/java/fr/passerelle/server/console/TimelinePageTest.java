package fr.passerelle.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.audit.AuditRecord;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.DeliveryState;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.Notice;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import fr.passerelle.core.store.OpenReferral;
import fr.passerelle.core.store.ReferralSearch;
import fr.passerelle.core.store.ReferralTimeline;
import fr.passerelle.server.http.ApiResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimelinePageTest {
    private static final Viewer ADMIN = new Viewer("alice", "administrateur", true, "jeton-alice");
    private static final Viewer AUDITOR = new Viewer("bob", "auditeur", false, "jeton-bob");
    private static final ReferralId ID = new ReferralId(UUID.fromString("3b58c0e2-7d1a-4c3b-9f00-0123456789ab"));
    private static final Instant AT = Instant.parse("2026-12-05T09:00:00Z");
    private static final String REPLAY = "/console/signalements/" + ID + "/envois/12/relancer";

    @Test
    void offersAnAdministratorToReplayEachPushedDeadLetterAndToCancel() {
        String html = render(TimelineEndpoint.view(ADMIN, timeline("routed", List.of()), Optional.empty(), ""));

        assertThat(html)
                .contains("<form method=\"post\" action=\"" + REPLAY + "\">")
                .contains("<span class=\"fr-sr-only\"> l'envoi n° 12 à siao-75</span>")
                .doesNotContain("/envois/13/relancer", "/envois/14/relancer", "/envois/15/relancer")
                .contains("<th scope=\"col\">Action</th>")
                .contains("<form method=\"post\" action=\"/console/signalements/" + ID + "/annuler\">")
                .contains("<input type=\"checkbox\" id=\"champ-confirmation\" name=\"confirmation\" value=\"oui\">")
                .contains("<label class=\"fr-label\" for=\"champ-confirmation\">Je confirme l'annulation du")
                .contains("<input type=\"hidden\" name=\"csrf\" value=\"jeton-alice\">");
    }

    @Test
    void showsAnAuditorNoButtonNorForm() {
        String html = render(TimelineEndpoint.view(AUDITOR, timeline("routed", List.of()), Optional.empty(), ""));

        assertThat(html)
                .contains("échec de remise", "siao-75")
                .doesNotContain("<form", "<button", "Relancer", "Annuler le signalement", "jeton-bob", "Action</th>");
    }

    @Test
    void offersNoCancellationOfAFinalReferral() {
        for (String status : List.of("cancelled", "completed", "expired", "withdrawn")) {
            Timeline view = TimelineEndpoint.view(ADMIN, timeline(status, List.of()), Optional.empty(), "");

            assertThat(view.cancel().shown()).as(status).isFalse();
            assertThat(render(view)).as(status).doesNotContain("/annuler", "Annuler le signalement");
        }
        assertThat(TimelineEndpoint.view(ADMIN, timeline("failed", List.of()), Optional.empty(), "")
                        .cancel()
                        .shown())
                .isTrue();
    }

    @Test
    void showsAMissingConfirmationBesideTheCheckboxAndAtTheTop() {
        String html = render(TimelineEndpoint.view(
                ADMIN,
                timeline("routed", List.of()),
                Optional.empty(),
                "Cocher la case pour confirmer l'annulation du signalement."));

        assertThat(html)
                .contains("<div class=\"fr-checkbox-group fr-checkbox-group--error fr-mb-3w\">")
                .contains("aria-invalid=\"true\"", "aria-describedby=\"erreur-confirmation\"")
                .contains("<p id=\"erreur-confirmation\" class=\"fr-error-text\">Cocher la case pour confirmer"
                        + " l'annulation du signalement.</p>")
                .contains("<h2 class=\"fr-alert__title\">Le signalement n'a pas été annulé</h2>")
                .contains("<a href=\"#champ-confirmation\">La confirmation manque</a>");
    }

    @Test
    void confirmsAReplayOnlyWhenTheAuditLogRecordsIt() {
        AuditRecord replayed = new AuditRecord(
                30,
                AT,
                "admin:alice",
                "delivery.replayed",
                Optional.of(ID),
                Map.of("recipient", "siao-75", "delivery", "12"));
        ReferralTimeline timeline = timeline("routed", List.of(replayed));

        assertThat(TimelineEndpoint.replayed(timeline, "12").orElseThrow().text())
                .startsWith("L'envoi n° 12 à siao-75 est de nouveau en attente");
        assertThat(TimelineEndpoint.replayed(timeline, "13")).isEmpty();
        assertThat(TimelineEndpoint.replayed(timeline("routed", List.of()), "12"))
                .isEmpty();
    }

    @Test
    void confirmsACancellationWithTheCopiesItsAuditEntryStopped() {
        AuditRecord cancelled = new AuditRecord(
                31,
                AT,
                "admin:alice",
                "referral.cancelled",
                Optional.of(ID),
                Map.of("copiesStopped", "2", "copiesAlreadyFinal", "1", "notified", "police-75-brp"));

        Banner banner = TimelineEndpoint.cancelled(timeline("cancelled", List.of(cancelled)))
                .orElseThrow();

        assertThat(banner.error()).isFalse();
        assertThat(banner.text()).startsWith("2 exemplaires arrêtés : ");
        assertThat(TimelineEndpoint.cancelled(timeline("cancelled", List.of()))).isEmpty();
        assertThat(render(TimelineEndpoint.view(
                        ADMIN, timeline("cancelled", List.of(cancelled)), Optional.of(banner), "")))
                .contains("<div class=\"fr-alert fr-alert--success fr-mb-3w\" role=\"status\">")
                .contains("<h2 class=\"fr-alert__title\">Signalement annulé</h2>");
    }

    /** A referral with four deliveries: a pushed dead letter (12), an inbox one (13), a pending copy, a notice. */
    private static ReferralTimeline timeline(String status, List<AuditRecord> audit) {
        OpenReferral referral = new OpenReferral(
                ID,
                ReferralType.SHELTER_REQUEST,
                Department.of("75"),
                Urgency.URGENT,
                PartnerId.of("police-75-brp"),
                AT,
                status,
                List.of());
        return new ReferralTimeline(
                new ReferralSearch.Summary(referral, List.of()),
                audit,
                List.of(
                        delivery(12, "siao-75", "https", DeliveryState.FAILED, Optional.empty()),
                        delivery(13, "association-75-amicale", "inbox", DeliveryState.FAILED, Optional.empty()),
                        delivery(14, "prefecture-75", "https", DeliveryState.PENDING, Optional.empty()),
                        delivery(15, "police-75-brp", "inbox", DeliveryState.DELIVERED, Optional.of(Notice.CANCELLED))),
                List.of());
    }

    private static ReferralTimeline.Delivery delivery(
            long id, String recipient, String transport, DeliveryState state, Optional<Notice> notice) {
        return new ReferralTimeline.Delivery(
                id,
                PartnerId.of(recipient),
                transport,
                state,
                1,
                Optional.empty(),
                Optional.of("connection refused"),
                Optional.empty(),
                AT,
                Optional.empty(),
                AT,
                notice);
    }

    private static String render(Timeline timeline) {
        ApiResponse page = TimelineEndpoint.page(HttpResponseStatus.OK, timeline);
        return new String(page.body(), StandardCharsets.UTF_8);
    }
}
