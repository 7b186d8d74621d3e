package fr.passerelle.core.store;

import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Referrals to store in tests. Documents and payloads are placeholders: no personal data, fictitious or not. */
final class Referrals {
    static final PartnerId POLICE = PartnerId.of("police-75-brp");
    static final PartnerId SIAO = PartnerId.of("siao-75");
    static final PartnerId ASSOCIATION = PartnerId.of("association-75-amicale");
    static final PartnerId STRANGER = PartnerId.of("prefecture-75");

    private Referrals() {}

    /** A shelter request from the police to the SIAO and an association, without idempotency key. */
    static NewReferral toSiaoAndAssociation() {
        return referral(Optional.empty(), digest(1), SIAO, ASSOCIATION);
    }

    static NewReferral referral(Optional<String> key, byte[] digest, PartnerId... recipients) {
        return referral(Urgency.URGENT, key, digest, recipients);
    }

    static NewReferral referral(Urgency urgency, Optional<String> key, byte[] digest, PartnerId... recipients) {
        ReferralId id = ReferralId.random();
        List<NewDelivery> deliveries = Arrays.stream(recipients)
                .map(r -> delivery(r, "route-" + r.kind().code()))
                .toList();
        return new NewReferral(
                id,
                POLICE,
                ReferralType.SHELTER_REQUEST,
                Department.of("75"),
                urgency,
                key,
                digest,
                ("{\"referral\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8),
                "application/json",
                deliveries);
    }

    static NewDelivery delivery(PartnerId recipient, String routeId) {
        return new NewDelivery(
                recipient,
                List.of(routeId),
                "application/pkcs7-mime",
                ("sealed for " + recipient).getBytes(StandardCharsets.UTF_8));
    }

    static byte[] digest(int seed) {
        byte[] digest = new byte[32];
        Arrays.fill(digest, (byte) seed);
        return digest;
    }
}
