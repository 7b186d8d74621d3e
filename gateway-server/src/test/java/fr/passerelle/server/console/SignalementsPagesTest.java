package fr.passerelle.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.audit.AuditRecord;
import fr.passerelle.core.config.model.Administrator;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.DeclineReason;
import fr.passerelle.core.referral.DeliveryState;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.Domain;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SignalementsPagesTest {
    private static final Administrator ADMIN = new Administrator("admin", "Admin", Administrator.Role.ADMIN, "AA");
    private static final Administrator SUPPORT =
            new Administrator("support", "Support", Administrator.Role.AUDITOR, "BB", Set.of(Domain.VICTIM_SUPPORT));
    private static final ReferralId ID = new ReferralId(UUID.fromString("3b58c0e2-7d1a-4c3b-9f00-0123456789ab"));
    /** 10:00 in Paris, 13:00 in La Réunion. */
    private static final Instant SUBMITTED = Instant.parse("2026-12-05T09:00:00Z");

    private static final Signalements.Form EMPTY = new Signalements.Form("", "", "", "", "", "", "");

    private final List<ReferralSearch.Filter> searched = new ArrayList<>();

    @Test
    void listsTheReferralsInFrenchInTheirDepartmentsTime() {
        Signalements view = SignalementsEndpoint.view(ADMIN, EMPTY, "", fake(List.of(summary("974"))));

        String html = render(view);
        assertThat(html)
                .contains("<h1>Signalements</h1>", "Demande de mise à l'abri", "urgent", "974")
                .contains("5 décembre 2026 à 13:00:00 (Indian/Reunion)", "en cours de remise")
                .contains("association-974-kaz-lespwa : en attente de remise")
                .contains("href=\"/console/signalements/" + ID + "\"", "title=\"" + ID + "\"", ">3b58c0e2…</a>")
                .contains("<a class=\"fr-nav__link\" href=\"/console/signalements\" aria-current=\"page\">")
                .doesNotContain("Signalements (à venir)", "Page suivante");
    }

    @Test
    void showsABadFieldBesideItAndSearchesNothing() {
        Signalements.Form form = new Signalements.Form("3b5", "", "7", "", "", "2026-13-01", "");

        String html = render(SignalementsEndpoint.view(ADMIN, form, "", fake(List.of())));

        assertThat(searched).isEmpty();
        assertThat(html)
                .contains("La recherche n'a pas été lancée")
                .contains("aria-describedby=\"erreur-id\"")
                .contains("<p id=\"erreur-id\" class=\"fr-error-text\">Saisir le début de l'identifiant : au"
                        + " moins 4 chiffres hexadécimaux (0 à 9, a à f), par exemple 3b58.</p>")
                .contains("<p id=\"erreur-department\" class=\"fr-error-text\">Saisir un numéro de département,")
                .contains("<p id=\"erreur-from\" class=\"fr-error-text\">Saisir une date au format AAAA-MM-JJ")
                .doesNotContain("erreur-state", "erreur-to", "erreur-type");
    }

    @Test
    void escapesWhatTheFormSentBack() {
        Signalements.Form form = new Signalements.Form("<script>alert(1)</script>", "", "", "", "", "", "");

        String html = render(SignalementsEndpoint.view(ADMIN, form, "", fake(List.of())));

        assertThat(html).doesNotContain("<script").contains("value=\"&lt;script>alert(1)&lt;/script>\"");
    }

    @Test
    void refusesATypeOutsideTheAdministratorsDomains() {
        Signalements.Form form = new Signalements.Form("", "removal.objective", "", "", "", "", "");

        Signalements view = SignalementsEndpoint.view(SUPPORT, form, "", fake(List.of()));

        assertThat(searched).isEmpty();
        assertThat(view.error("type")).isEqualTo("Ce type relève d'un domaine que votre certificat ne couvre pas.");
        assertThat(view.types())
                .extracting(Signalements.Option::code)
                .doesNotContain("removal.objective")
                .contains("shelter.request");
    }

    @Test
    void searchesWithTheFiltersOfTheAdminApiWithinTheAdministratorsDomains() {
        Signalements.Form form =
                new Signalements.Form("3B58", "", "974", "routed", "siao-974", "2026-12-01", "2026-12-05");

        SignalementsEndpoint.view(SUPPORT, form, "", fake(List.of()));

        ReferralSearch.Filter filter = searched.get(0);
        assertThat(filter.id()).contains(ReferralSearch.IdPrefix.parse("3b58"));
        assertThat(filter.department()).contains(Department.of("974"));
        assertThat(filter.status()).contains("routed");
        assertThat(filter.partner()).contains(PartnerId.of("siao-974"));
        // Days in La Réunion's time (UTC+4), the last one included.
        assertThat(filter.from()).contains(Instant.parse("2026-11-30T20:00:00Z"));
        assertThat(filter.to()).contains(Instant.parse("2026-12-05T20:00:00Z"));
        assertThat(filter.types()).isEqualTo(SUPPORT.types());
    }

    @Test
    void linksToTheNextPageWhenThisOneIsFull() {
        Signalements.Form form = new Signalements.Form("", "", "75", "", "", "", "");
        List<ReferralSearch.Summary> full = Collections.nCopies(SignalementsEndpoint.PAGE, summary("75"));

        String html = render(SignalementsEndpoint.view(ADMIN, form, "", fake(full)));

        assertThat(html)
                .contains("href=\"/console/signalements?department=75&amp;after=" + ID + "\">Page suivante</a>");
    }

    @Test
    void showsTheTimelineInTheDepartmentsTimeWithoutContent() {
        ReferralTimeline timeline = new ReferralTimeline(
                summary("974"),
                List.of(new AuditRecord(
                        7, SUBMITTED, "police-974", "referral.submitted", Optional.of(ID), Map.of("recipients", "1"))),
                List.of(new ReferralTimeline.Delivery(
                        12,
                        PartnerId.of("association-974-kaz-lespwa"),
                        "https",
                        DeliveryState.DECLINED,
                        3,
                        Optional.empty(),
                        Optional.of("HTTP 503 <b>"),
                        Optional.of(DeclineReason.NO_CAPACITY),
                        SUBMITTED,
                        Optional.empty(),
                        SUBMITTED,
                        Optional.empty())),
                List.of(new ReferralTimeline.Receipt(
                        12,
                        PartnerId.of("association-974-kaz-lespwa"),
                        "declined",
                        Optional.of(DeclineReason.NO_CAPACITY),
                        SUBMITTED)));

        Timeline view = TimelineEndpoint.view(
                new Viewer("admin", "administrateur", true, "token"), timeline, Optional.empty(), "");
        ApiResponse page = ConsolePages.page(HttpResponseStatus.OK, "timeline.jte", Map.of("timeline", view));

        String html = new String(page.body(), StandardCharsets.UTF_8);
        assertThat(html)
                .contains("<h1>Signalement 3b58c0e2</h1>", ID.toString(), "Demande de mise à l'abri")
                .contains("5 décembre 2026 à 13:00:00 (Indian/Reunion)", "referral.submitted", "recipients=1")
                .contains("décliné : pas de place disponible", "HTTP 503 &lt;b&gt;", "<td>3</td>")
                .contains("Exemplaires du signalement, un par destinataire")
                .doesNotContain("<b>");
    }

    @Test
    void answersAnUnknownReferralWithAFrenchPage() {
        ApiResponse page = TimelineEndpoint.notFound();

        String html = new String(page.body(), StandardCharsets.UTF_8);
        assertThat(page.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(html).contains("Signalement introuvable", "Aucun signalement de vos domaines ne porte cet");
    }

    private SignalementsEndpoint.Search fake(List<ReferralSearch.Summary> page) {
        return (filter, after, limit) -> {
            searched.add(filter);
            return page;
        };
    }

    private static ReferralSearch.Summary summary(String department) {
        return new ReferralSearch.Summary(
                new OpenReferral(
                        ID,
                        ReferralType.SHELTER_REQUEST,
                        Department.of(department),
                        Urgency.URGENT,
                        PartnerId.of("police-974"),
                        SUBMITTED,
                        "routed",
                        List.of(new OpenReferral.Copy(
                                PartnerId.of("association-974-kaz-lespwa"), DeliveryState.PENDING))),
                List.of());
    }

    private static String render(Signalements view) {
        ApiResponse page = ConsolePages.page(HttpResponseStatus.OK, "signalements.jte", Map.of("view", view));
        return new String(page.body(), StandardCharsets.UTF_8);
    }
}
