package fr.passerelle.core.notice;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.crypto.CmsSealer;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.Notice;
import fr.passerelle.core.routing.Router;
import fr.passerelle.core.spi.Adapters;
import fr.passerelle.core.spi.OutboundAdapter;
import fr.passerelle.core.store.NewNotice;
import fr.passerelle.core.store.OpenReferral;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes notices: the JSON document (docs/NOTICES.md) rendered by each partner's outbound adapter, signed by the
 * gateway and encrypted for the partner, packaged for its transport like a copy of a referral. A notice carries
 * ids, codes, times and states only; the states of the other recipients' copies go only to the sender and to
 * duty partners, never to a recipient (who learns nothing of the other copies). Thread-safe.
 */
public final class NoticeWriter {
    private static final Logger log = LoggerFactory.getLogger(NoticeWriter.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Adapters adapters;
    private final PartnerSealer sealer;
    private final Clock clock;

    public NoticeWriter(Adapters adapters, CmsSealer sealer, Clock clock) {
        this.adapters = Objects.requireNonNull(adapters, "adapters");
        this.sealer = new PartnerSealer(adapters, sealer);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * One notice per partner, in the given order, each partner once.
     *
     * @param notice     what they are told
     * @param referral   the referral as it stands: ids, codes and each copy's state
     * @param told       the partners told; those in {@code withCopies} also see the state of each copy
     * @param withCopies the partners that may see every copy's state: the sender and duty partners
     * @param deadline   the deadline that ran out, if one did
     */
    public List<NewNotice> write(
            Notice notice,
            OpenReferral referral,
            Collection<Partner> told,
            Collection<PartnerId> withCopies,
            Optional<Duration> deadline) {
        return write(notice, referral, told, withCopies, deadline, partner -> Map.of());
    }

    /**
     * As {@link #write(Notice, OpenReferral, Collection, Collection, Optional)}, with fields of the notice's own for
     * each partner: codes, dates and ids only, such as a hold's {@code reason} or a reminder's {@code until}
     * (docs/NOTICES.md).
     */
    public List<NewNotice> write(
            Notice notice,
            OpenReferral referral,
            Collection<Partner> told,
            Collection<PartnerId> withCopies,
            Optional<Duration> deadline,
            Function<PartnerId, Map<String, String>> fields) {
        Map<PartnerId, Partner> once = new LinkedHashMap<>();
        told.forEach(p -> once.putIfAbsent(p.id(), p));
        List<NewNotice> notices = new ArrayList<>();
        for (Partner partner : once.values()) {
            Optional<X509Certificate> certificate = partner.certificate();
            if (certificate.isEmpty()) {
                log.warn(
                        "Cannot tell {} that referral {} is {}: the registry holds no certificate to seal for it",
                        partner.id(),
                        referral.id(),
                        notice);
                continue;
            }
            ObjectNode document = document(notice, referral, deadline, withCopies.contains(partner.id()));
            fields.apply(partner.id()).forEach(document::put);
            notices.add(seal(notice, partner, certificate.get(), document));
        }
        return notices;
    }

    /**
     * What a cancellation tells: the sender, with every copy's state, and each recipient that holds a copy.
     */
    public Function<OpenReferral, List<NewNotice>> cancellation(Deployment deployment) {
        return referral -> write(
                Notice.CANCELLED,
                referral,
                senderAndHolders(deployment, referral),
                List.of(referral.sender()),
                Optional.empty());
    }

    /**
     * What a release of a held removal objective tells: its sender and the trafficking referents of its
     * department, with the reason it was held and the justification of its release.
     */
    public Function<OpenReferral, List<NewNotice>> release(Deployment deployment, String justification) {
        return referral -> {
            List<Partner> told = new ArrayList<>();
            enabled(deployment, referral.sender()).ifPresent(told::add);
            told.addAll(new Router(deployment, clock)
                    .reach(deployment.referents(), referral.sender(), referral.department()));
            return write(
                    Notice.RELEASED,
                    referral,
                    told,
                    List.of(),
                    Optional.empty(),
                    partner -> Map.of("justification", justification));
        };
    }

    /** The sender and the recipients that hold a copy of the referral, as far as they are enabled partners. */
    static List<Partner> senderAndHolders(Deployment deployment, OpenReferral referral) {
        List<Partner> told = new ArrayList<>();
        enabled(deployment, referral.sender()).ifPresent(told::add);
        referral.copies().stream().filter(OpenReferral.Copy::held).forEach(copy -> enabled(deployment, copy.recipient())
                .ifPresent(told::add));
        return told;
    }

    public static Optional<Partner> enabled(Deployment deployment, PartnerId id) {
        return deployment.partner(id).filter(Partner::enabled);
    }

    private ObjectNode document(Notice notice, OpenReferral referral, Optional<Duration> deadline, boolean withCopies) {
        ObjectNode document = JSON.createObjectNode();
        document.put("noticeVersion", 1);
        document.put("notice", notice.code());
        document.put("referralId", referral.id().toString());
        document.put("type", referral.type().code());
        document.put("department", referral.department().code());
        document.put("urgency", referral.urgency().code());
        document.put("sender", referral.sender().value());
        document.put("submittedAt", referral.submittedAt().toString());
        document.put("issuedAt", clock.instant().toString());
        deadline.ifPresent(d -> document.put("deadline", d.toString()));
        if (withCopies) {
            ArrayNode copies = document.putArray("recipients");
            referral.copies().forEach(copy -> copies.addObject()
                    .put("partner", copy.recipient().value())
                    .put("state", copy.state().code()));
        }
        return document;
    }

    private NewNotice seal(Notice notice, Partner partner, X509Certificate certificate, ObjectNode document) {
        OutboundAdapter adapter = adapters.outbound(partner.outboundAdapter());
        PartnerSealer.Sealed sealed =
                sealer.seal(partner, certificate, adapter.writeNotice(document), adapter.noticeMediaType());
        return new NewNotice(
                partner.id(),
                notice,
                sealed.mediaType(),
                sealed.payload(),
                partner.delivery().transport());
    }
}
