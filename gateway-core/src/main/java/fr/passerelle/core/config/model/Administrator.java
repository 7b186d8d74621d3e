package fr.passerelle.core.config.model;

import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.Domain;
import fr.passerelle.core.referral.ReferralType;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A person who runs the gateway, known by a client certificate pinned in {@code config/admins/<id>.yaml}: an
 * {@code admin} may change things (replay dead letters, cancel a referral), an {@code auditor} may only look. A
 * deployment may limit one to some {@linkplain Domain data domains}: it then sees and acts on the referrals of those
 * domains only, and may not change the configuration, which is deployment-wide.
 *
 * @param id     the administrator's id, also the file name: lower-case letters, digits and dashes
 * @param name   who it is, for the audit's readers (a role, such as "Astreinte DDETS 974", rather than a person)
 * @param role   what it may do
 * @param sha256 the pinned SHA-256 fingerprint of its client certificate, upper-case hex pairs with colons
 * @param domains the data domains it may see and act on: at least one, every domain unless its file says otherwise
 * @param departments the departments whose figures a {@link Role#STATISTICS} reader may see; empty: every
 *                    department (a national reader); always empty for the other roles
 */
public record Administrator(
        String id, String name, Role role, String sha256, Set<Domain> domains, Set<Department> departments) {
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    public Administrator {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("administrator id '" + id + "' (expected: lower-case letters, digits"
                    + " and dashes, starting with a letter)");
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(domains, "domains");
        if (domains.isEmpty()) {
            throw new IllegalArgumentException(
                    "administrator " + id + " has no domain (expected at least one of: " + Domain.codes() + ")");
        }
        domains = Set.copyOf(domains);
        departments = Set.copyOf(departments);
        if (!departments.isEmpty() && role != Role.STATISTICS) {
            throw new IllegalArgumentException("administrator " + id + " has role " + role.code()
                    + " and departments: only a statistics reader is limited to some departments");
        }
    }

    /** An administrator of {@code domains}, of every department. */
    public Administrator(String id, String name, Role role, String sha256, Set<Domain> domains) {
        this(id, name, role, sha256, domains, Set.of());
    }

    /** An administrator of every domain. */
    public Administrator(String id, String name, Role role, String sha256) {
        this(id, name, role, sha256, EnumSet.allOf(Domain.class));
    }

    /** Whether it may see and act on the referrals of {@code domain}. */
    public boolean covers(Domain domain) {
        return domains.contains(domain);
    }

    /** Whether it is limited to some domains, and may therefore not change the deployment-wide configuration. */
    public boolean limited() {
        return domains.size() < Domain.values().length;
    }

    /** The referral types of its domains. */
    public Set<ReferralType> types() {
        return Arrays.stream(ReferralType.values())
                .filter(t -> covers(t.domain()))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Whether it may see the figures of {@code department}: a national reader sees every one. */
    public boolean covers(Department department) {
        return departments.isEmpty() || departments.contains(department);
    }

    /** The actor that audit entries name: {@code admin:<id>}, never a partner id. */
    public String actor() {
        return "admin:" + id;
    }

    public enum Role {
        /** Reads and changes: lists deliveries, replays dead letters, cancels referrals. */
        ADMIN,
        /** Reads only. */
        AUDITOR,
        /**
         * Reads the statistics only (the admin API's {@code /admin/v1/stats} and the console's statistics page):
         * the State's readers, which see no referral, delivery or configuration.
         */
        STATISTICS;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether this role may do what {@code needed} may: admin all, auditor every read, statistics its own. */
        public boolean covers(Role needed) {
            return switch (this) {
                case ADMIN -> true;
                case AUDITOR -> needed != ADMIN;
                case STATISTICS -> needed == STATISTICS;
            };
        }
    }
}
