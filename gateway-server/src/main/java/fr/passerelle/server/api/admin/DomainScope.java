package fr.passerelle.server.api.admin;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.Administrator;
import fr.passerelle.core.referral.Domain;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.server.http.Endpoint;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an administrator limited to some data domains ({@code domains:} in {@code config/admins/<id>.yaml}) may
 * reach: the referrals, deliveries, dead letters and figures of its domains only, and no configuration change,
 * since partners, routes and versions serve every domain. The endpoints pass {@link Administrator#types()} to the
 * store, which answers a referral of another domain as one that does not exist.
 */
final class DomainScope {
    private DomainScope() {}

    /** A configuration change, refused with {@code not_permitted} (403) to an administrator limited to some domains. */
    static Endpoint everyDomain(Endpoint change) {
        return request -> {
            requireEveryDomain(request.admin());
            return change.handle(request);
        };
    }

    /** @throws GatewayException {@code not_permitted} when {@code admin} is limited to some domains */
    static void requireEveryDomain(Administrator admin) {
        if (admin.limited()) {
            throw new GatewayException(
                    ErrorCode.NOT_PERMITTED,
                    "administrator " + admin.id() + " covers "
                            + codes(admin)
                            + " only, and configuration is deployment-wide: ask an administrator of every"
                            + " domain");
        }
    }

    /**
     * The types a statistics report covers: the one asked for, or every type of the administrator's domains.
     *
     * @throws GatewayException {@code not_permitted} when the type asked for is of a domain it does not cover (types
     *                          are public: refusing tells nothing about any referral)
     */
    static Set<ReferralType> types(Administrator admin, Optional<ReferralType> asked) {
        if (asked.isEmpty()) {
            return admin.types();
        }
        ReferralType type = asked.get();
        if (!admin.covers(type.domain())) {
            throw new GatewayException(
                    ErrorCode.NOT_PERMITTED,
                    "type " + type.code() + " is a " + type.domain()
                            + " flow, and administrator " + admin.id() + " covers " + codes(admin)
                            + " only (expected: a type"
                            + " of its domains, or no type)");
        }
        return Set.of(type);
    }

    private static String codes(Administrator admin) {
        return admin.domains().stream().sorted().map(Domain::code).collect(Collectors.joining(", "));
    }
}
