package fr.passerelle.server.console;

import fr.passerelle.adapters.words.FrenchLabels;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.audit.AuditRecord;
import fr.passerelle.core.config.model.Administrator;
import fr.passerelle.core.delivery.DeliveryAdmin;
import fr.passerelle.core.referral.DeliveryState;
import fr.passerelle.core.referral.Notice;
import fr.passerelle.core.referral.ReceiptStatus;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.store.ReferralSearch;
import fr.passerelle.core.store.ReferralTimeline;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Endpoint;
import fr.passerelle.server.http.EndpointTable;
import fr.passerelle.server.http.EndpointTable.Access;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * {@code GET /console/signalements/{id}}: a referral's timeline ({@link ReferralSearch#timeline}) as a page, in its
 * department's time, with an administrator's actions on it ({@link TimelineActions}). A referral that does not
 * exist, or is outside the administrator's data domains, gets the same French 404 page: the two must never be told
 * apart.
 */
final class TimelineEndpoint implements Endpoint {
    static final String PATH = SignalementsEndpoint.PATH + "/{id}";

    private final ConsoleServices services;

    TimelineEndpoint(ConsoleServices services) {
        this.services = services;
    }

    /** Adds the timeline, and the replay of a dead letter and the cancellation that it offers an administrator. */
    static void register(EndpointTable.Builder table, ConsoleServices services) {
        table.add(HttpMethod.GET, PATH, Access.AUDITOR, new TimelineEndpoint(services));
        TimelineActions actions = new TimelineActions(services);
        table.add(HttpMethod.POST, TimelineActions.REPLAY, Access.ADMIN, actions::replay);
        table.add(HttpMethod.POST, TimelineActions.CANCEL, Access.ADMIN, actions::cancel);
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        Administrator admin = request.admin();
        Optional<ReferralTimeline> timeline = read(services.referrals(), admin, request.pathParam("id"));
        if (timeline.isEmpty()) {
            return notFound();
        }
        Optional<Banner> banner = request.queryParam("relance")
                .flatMap(delivery -> replayed(timeline.get(), delivery))
                .or(() -> request.queryParam("annule").flatMap(yes -> cancelled(timeline.get())));
        return page(HttpResponseStatus.OK, view(Viewer.of(admin, services.csrf()), timeline.get(), banner, ""));
    }

    /** The timeline of the referral that {@code id} names, if the administrator may see it. */
    static Optional<ReferralTimeline> read(ReferralSearch search, Administrator admin, String id) {
        return parse(id).flatMap(referral -> search.timeline(referral, admin.types()));
    }

    static ApiResponse page(HttpResponseStatus status, Timeline timeline) {
        return ConsolePages.page(status, "timeline.jte", Map.of("timeline", timeline));
    }

    /** The page for an id that names no referral the administrator may see. */
    static ApiResponse notFound() {
        return ConsolePages.notFound(
                "Signalement introuvable",
                "Aucun signalement de vos domaines ne porte cet identifiant. Vérifier l'identifiant complet, ou le"
                        + " chercher par son début dans la page Signalements.");
    }

    /**
     * The page's view.
     *
     * @param cancelError why a cancellation was refused, beside its confirmation; or empty
     */
    static Timeline view(Viewer viewer, ReferralTimeline timeline, Optional<Banner> banner, String cancelError) {
        ZoneId zone = timeline.referral().referral().department().zone();
        boolean cancellable = !DeliveryAdmin.UNCANCELLABLE.contains(
                timeline.referral().referral().status());
        return new Timeline(
                viewer,
                SignalementsEndpoint.line(timeline.referral()),
                zone.getId(),
                banner,
                new Timeline.Cancel(viewer.mayAct() && cancellable, cancelError),
                timeline.audit().stream().map(entry -> entry(entry, zone)).toList(),
                timeline.copies().stream().map(copy -> delivery(copy, zone)).toList(),
                timeline.notices().stream()
                        .map(notice -> delivery(notice, zone))
                        .toList(),
                timeline.receipts().stream()
                        .map(receipt -> new Timeline.Receipt(
                                receipt.recipient().value(),
                                FrenchLabels.answer(ReceiptStatus.fromCode(receipt.status())),
                                receipt.reason()
                                        .map(FrenchLabels::declineReason)
                                        .orElse("—"),
                                SignalementsEndpoint.dateTime(receipt.recordedAt(), zone)))
                        .toList());
    }

    /** The confirmation of a replay, when the timeline holds its audit entry: never what the address claims. */
    static Optional<Banner> replayed(ReferralTimeline timeline, String delivery) {
        return last(
                        timeline.audit(),
                        "delivery.replayed",
                        entry -> delivery.equals(entry.detail().get("delivery")))
                .map(entry -> Banner.success(
                        "Envoi relancé",
                        "L'envoi n° " + delivery + " à " + entry.detail().get("recipient")
                                + " est de nouveau en attente : la passerelle le tente à nouveau, avec toutes ses"
                                + " tentatives."));
    }

    /** The confirmation of a cancellation, with the number of copies its audit entry says it stopped. */
    static Optional<Banner> cancelled(ReferralTimeline timeline) {
        return last(timeline.audit(), "referral.cancelled", entry -> true).map(entry -> {
            long stopped = Long.parseLong(entry.detail().getOrDefault("copiesStopped", "0"));
            return Banner.success(
                    "Signalement annulé",
                    DashboardEndpoint.plural(stopped, "exemplaire arrêté", "exemplaires arrêtés")
                            + " : ils ne seront pas envoyés, ou leurs destinataires les voient annulés. L'émetteur et"
                            + " les destinataires sont avertis.");
        });
    }

    private static Optional<AuditRecord> last(List<AuditRecord> audit, String action, Predicate<AuditRecord> matches) {
        for (int i = audit.size() - 1; i >= 0; i--) {
            AuditRecord entry = audit.get(i);
            if (entry.action().equals(action) && matches.test(entry)) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    private static Timeline.Entry entry(AuditRecord entry, ZoneId zone) {
        String detail = entry.detail().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
        return new Timeline.Entry(
                SignalementsEndpoint.dateTime(entry.at(), zone),
                entry.actor(),
                entry.action(),
                detail.isEmpty() ? "—" : detail);
    }

    private static Timeline.Delivery delivery(ReferralTimeline.Delivery delivery, ZoneId zone) {
        return new Timeline.Delivery(
                delivery.id(),
                delivery.notice().map(Notice::code).orElse(""),
                delivery.recipient().value(),
                delivery.transport(),
                FrenchLabels.deliveryState(delivery.state())
                        + delivery.declineReason()
                                .map(reason -> " : " + FrenchLabels.declineReason(reason))
                                .orElse(""),
                delivery.attempts(),
                delivery.nextAttemptAt()
                        .map(at -> SignalementsEndpoint.dateTime(at, zone))
                        .orElse("—"),
                delivery.lastError().orElse("—"),
                SignalementsEndpoint.dateTime(delivery.createdAt(), zone),
                replayable(delivery));
    }

    /** A dead letter that {@link DeliveryAdmin#replay} puts back in the outbox: an inbox has nothing to push. */
    static boolean replayable(ReferralTimeline.Delivery delivery) {
        return delivery.state() == DeliveryState.FAILED && !delivery.transport().equals("inbox");
    }

    private static Optional<ReferralId> parse(String text) {
        try {
            return Optional.of(ReferralId.parse(text));
        } catch (GatewayException malformed) {
            return Optional.empty();
        }
    }
}
