package fr.passerelle.server.console;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.Administrator;
import fr.passerelle.core.delivery.DeliveryAdmin;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.store.ReferralTimeline;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an administrator does from a referral's timeline, with the admin API's own operations: replay a dead letter
 * ({@code POST /console/signalements/{id}/envois/{delivery}/relancer}, as
 * {@code POST /admin/v1/partners/{partner}/dead-letters/{delivery}/replay}) and cancel the referral
 * ({@code POST /console/signalements/{id}/annuler}, with its confirmation checked, as
 * {@code POST /admin/v1/referrals/{id}/cancel}). Both within the administrator's data domains, audited with its id;
 * a referral or a dead letter it may not see gets the French 404 page.
 */
final class TimelineActions {
    static final String REPLAY = TimelineEndpoint.PATH + "/envois/{delivery}/relancer";
    static final String CANCEL = TimelineEndpoint.PATH + "/annuler";
    /** The value of the cancellation's checkbox. */
    static final String CONFIRMED = "oui";

    private static final Logger log = LoggerFactory.getLogger(TimelineActions.class);

    private final ConsoleServices services;

    TimelineActions(ConsoleServices services) {
        this.services = services;
    }

    ApiResponse replay(ApiRequest request) {
        ConsoleForm.read(request, services.csrf());
        Administrator admin = request.admin();
        Optional<ReferralTimeline> timeline =
                TimelineEndpoint.read(services.referrals(), admin, request.pathParam("id"));
        Optional<ReferralTimeline.Delivery> delivery = timeline.flatMap(t -> t.deliveries().stream()
                .filter(d -> Long.toString(d.id()).equals(request.pathParam("delivery")))
                .findFirst());
        if (delivery.isEmpty()) {
            return TimelineEndpoint.notFound();
        }
        ReferralTimeline.Delivery dead = delivery.get();
        if (!TimelineEndpoint.replayable(dead) || !replay(admin, dead)) {
            // Replayed meanwhile, from another page or by another administrator: show where it stands.
            return refused(
                    timeline.get(),
                    admin,
                    "Rien à relancer",
                    "L'envoi n° " + dead.id() + " à " + dead.recipient().value()
                            + " n'est pas (ou plus) en échec définitif.",
                    "");
        }
        services.wake().run();
        ReferralId id = timeline.get().referral().referral().id();
        log.info("{} replayed dead letter {} of referral {} to {}", admin.actor(), dead.id(), id, dead.recipient());
        return ConsolePages.redirect(SignalementsEndpoint.PATH + "/" + id + "?relance=" + dead.id());
    }

    /** Replays a dead letter; false when it is no longer one. */
    private boolean replay(Administrator admin, ReferralTimeline.Delivery dead) {
        try {
            services.deliveries().replay(dead.recipient(), Optional.of(dead.id()), admin.types(), admin.actor());
            return true;
        } catch (GatewayException e) {
            if (e.code() != ErrorCode.NOT_FOUND) {
                throw e;
            }
            return false;
        }
    }

    ApiResponse cancel(ApiRequest request) {
        ConsoleForm form = ConsoleForm.read(request, services.csrf());
        Administrator admin = request.admin();
        Optional<ReferralTimeline> timeline =
                TimelineEndpoint.read(services.referrals(), admin, request.pathParam("id"));
        if (timeline.isEmpty()) {
            return TimelineEndpoint.notFound();
        }
        ReferralId id = timeline.get().referral().referral().id();
        if (!form.value("confirmation").equals(CONFIRMED)) {
            Timeline view = TimelineEndpoint.view(
                    Viewer.of(admin, services.csrf()),
                    timeline.get(),
                    Optional.empty(),
                    "Cocher la case pour confirmer l'annulation du signalement.");
            return TimelineEndpoint.page(HttpResponseStatus.UNPROCESSABLE_ENTITY, view);
        }
        DeliveryAdmin.Cancelled cancelled;
        try {
            cancelled = services.deliveries()
                    .cancel(
                            id,
                            admin.types(),
                            admin.actor(),
                            services.notices().cancellation(services.live().get()));
        } catch (GatewayException e) {
            if (e.code() != ErrorCode.STATE_CONFLICT) {
                throw e;
            }
            // Finished or cancelled meanwhile: the page now shows it, without the form.
            return refused(
                    timeline.get(),
                    admin,
                    "Signalement non annulé",
                    "Ce signalement est terminé, expiré, retiré ou déjà annulé : il n'y a plus rien à annuler.",
                    e.getMessage());
        }
        services.wake().run();
        log.info("{} cancelled referral {} ({} copies stopped)", admin.actor(), id, cancelled.stopped());
        return ConsolePages.redirect(SignalementsEndpoint.PATH + "/" + id + "?annule=oui");
    }

    /** The timeline as it stands now, with why the action was refused (409: the referral changed meanwhile). */
    private ApiResponse refused(
            ReferralTimeline before, Administrator admin, String title, String text, String detail) {
        ReferralTimeline now = services.referrals()
                .timeline(before.referral().referral().id(), admin.types())
                .orElse(before);
        Timeline view = TimelineEndpoint.view(
                Viewer.of(admin, services.csrf()), now, Optional.of(Banner.error(title, text, detail)), "");
        return TimelineEndpoint.page(HttpResponseStatus.CONFLICT, view);
    }
}
