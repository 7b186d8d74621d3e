package fr.passerelle.server.console;

import fr.passerelle.adapters.words.FrenchLabels;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.audit.AuditRecord;
import fr.passerelle.core.config.model.Administrator;
import fr.passerelle.core.referral.Notice;
import fr.passerelle.core.referral.ReceiptStatus;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.store.ReferralSearch;
import fr.passerelle.core.store.ReferralTimeline;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Endpoint;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code GET /console/signalements/{id}}: a referral's timeline ({@link ReferralSearch#timeline}) as a page, in its
 * department's time. A referral that does not exist, or is outside the administrator's data domains, gets the same
 * French 404 page: the two must never be told apart.
 */
final class TimelineEndpoint implements Endpoint {
    private final ReferralSearch search;

    TimelineEndpoint(ReferralSearch search) {
        this.search = Objects.requireNonNull(search, "search");
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        Administrator admin = request.admin();
        Optional<ReferralTimeline> timeline =
                id(request.pathParam("id")).flatMap(id -> search.timeline(id, admin.types()));
        if (timeline.isEmpty()) {
            return notFound();
        }
        return ConsolePages.page(
                HttpResponseStatus.OK, "timeline.jte", Map.of("timeline", view(admin, timeline.get())));
    }

    /** The page for an id that names no referral the administrator may see. */
    static ApiResponse notFound() {
        return ConsolePages.notFound(
                "Signalement introuvable",
                "Aucun signalement de vos domaines ne porte cet identifiant. Vérifier l'identifiant complet, ou le"
                        + " chercher par son début dans la page Signalements.");
    }

    static Timeline view(Administrator admin, ReferralTimeline timeline) {
        ZoneId zone = timeline.referral().referral().department().zone();
        return new Timeline(
                admin.id(),
                SignalementsEndpoint.line(timeline.referral()),
                zone.getId(),
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
                SignalementsEndpoint.dateTime(delivery.createdAt(), zone));
    }

    private static Optional<ReferralId> id(String text) {
        try {
            return Optional.of(ReferralId.parse(text));
        } catch (GatewayException malformed) {
            return Optional.empty();
        }
    }
}
