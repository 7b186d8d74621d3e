package fr.passerelle.core.testkit;

import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.config.model.PartnerDelivery;
import fr.passerelle.core.crypto.EnvelopeFormat;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Registry entries for tests that need a partner without reading a configuration folder. */
public final class TestPartners {
    private TestPartners() {}

    /**
     * An enabled partner in canonical JSON both ways, pulling its inbox, with no certificate and no approval.
     *
     * @param departments the departments it serves, none for a national partner
     * @param maySend     the types it may submit
     */
    public static Partner partner(String id, Set<Department> departments, Set<ReferralType> maySend) {
        return new Partner(
                PartnerId.of(id),
                "Partner " + id,
                departments,
                List.of(),
                Optional.empty(),
                maySend,
                "canonical-json",
                "canonical-json",
                true,
                Optional.empty(),
                false,
                EnvelopeFormat.AES_256_GCM,
                PartnerDelivery.inbox());
    }
}
