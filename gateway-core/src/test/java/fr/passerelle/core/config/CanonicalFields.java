package fr.passerelle.core.config;

import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.ReferralValidator;
import java.nio.file.Path;
import java.util.Set;

/**
 * The dotted paths a route of each type may list, read from the shipped schemas in {@code config/schemas/}, as
 * the gateway reads them at start-up: a hand-typed copy fell behind the schemas when they renamed
 * {@code subject.gender} to {@code subject.sex} and added the consent and the new types.
 */
final class CanonicalFields {
    private static final ReferralValidator SCHEMAS = ReferralValidator.fromDirectory(
            Path.of(System.getProperty("user.dir")).resolveSibling("config").resolve("schemas"));

    private CanonicalFields() {}

    static Set<String> of(ReferralType type) {
        return SCHEMAS.fieldPaths(type);
    }

    static ConfigChecks checks() {
        return new ConfigChecks(id -> true, id -> true, CanonicalFields::of);
    }
}
