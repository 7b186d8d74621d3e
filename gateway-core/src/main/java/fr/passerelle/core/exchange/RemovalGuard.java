package fr.passerelle.core.exchange;

import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.notice.NoticeWriter;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.protection.ProtectionRegister;
import fr.passerelle.core.referral.Notice;
import fr.passerelle.core.referral.Referral;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.routing.Router;
import fr.passerelle.core.store.Hold;
import fr.passerelle.core.store.NewNotice;
import fr.passerelle.core.store.OpenReferral;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Holds a removal objective about a person whom the protection register protects, whatever its sender declares in
 * it (CESEDA R.425-2, L.425-1, L.425-4, L.611-3): its copies are not delivered, and the sending prefecture, the
 * trafficking referents of routes.yaml ({@code protection.referents}) and the partners that carried each matched
 * protection are told, with ids and codes only. Thread-safe.
 */
final class RemovalGuard {
    private final ProtectionRegister register;
    private final NoticeWriter writer;
    private final Clock clock;

    RemovalGuard(ProtectionRegister register, NoticeWriter writer, Clock clock) {
        this.register = Objects.requireNonNull(register, "register");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The hold of a new referral, when it is a removal objective about a protected person. */
    Optional<Hold> check(Deployment deployment, ReferralId id, PartnerId sender, Referral referral, Instant now) {
        if (referral.type() != ReferralType.REMOVAL_OBJECTIVE) {
            return Optional.empty();
        }
        List<ProtectionRegister.Match> matches =
                register.matches(referral.body().path("subject"));
        if (matches.isEmpty()) {
            return Optional.empty();
        }
        String reason = matches.get(0).basis().reason();
        List<Partner> told = new ArrayList<>();
        NoticeWriter.enabled(deployment, sender).ifPresent(told::add);
        told.addAll(new Router(deployment, clock).reach(deployment.referents(), sender, referral.department()));
        // Each carrier learns which of its own referrals the hold rests on, and nothing of the others'.
        Map<PartnerId, String> carried = new LinkedHashMap<>();
        for (ProtectionRegister.Match match : matches) {
            if (carried.putIfAbsent(match.carrier(), match.source().toString()) == null) {
                NoticeWriter.enabled(deployment, match.carrier()).ifPresent(told::add);
            }
        }
        OpenReferral held = new OpenReferral(
                id, referral.type(), referral.department(), referral.urgency(), sender, now, "held", List.of());
        List<NewNotice> notices = writer.write(Notice.HELD, held, told, List.of(), Optional.empty(), partner -> {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("reason", reason);
            if (carried.containsKey(partner) && !partner.equals(sender)) {
                fields.put("relatedReferralId", carried.get(partner));
            }
            return fields;
        });
        return Optional.of(new Hold(
                reason,
                matches.stream()
                        .map(ProtectionRegister.Match::protection)
                        .distinct()
                        .toList(),
                notices));
    }
}
