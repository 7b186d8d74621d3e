package fr.passerelle.core.config;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A person who runs the gateway, known by a client certificate pinned in {@code config/admins/<id>.yaml}: an
 * {@code admin} may change things (replay dead letters, cancel a referral), an {@code auditor} may only look.
 *
 * @param id     the administrator's id, also the file name: lower-case letters, digits and dashes
 * @param name   who it is, for the audit's readers (a role, such as "Astreinte DDETS 974", rather than a person)
 * @param role   what it may do
 * @param sha256 the pinned SHA-256 fingerprint of its client certificate, upper-case hex pairs with colons
 */
public record Administrator(String id, String name, Role role, String sha256) {
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
    }

    /** The actor that audit entries name: {@code admin:<id>}, never a partner id. */
    public String actor() {
        return "admin:" + id;
    }

    public enum Role {
        /** Reads and changes: lists deliveries, replays dead letters, cancels referrals. */
        ADMIN,
        /** Reads only. */
        AUDITOR;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether this role may do what {@code needed} may. */
        public boolean covers(Role needed) {
            return this == ADMIN || needed == AUDITOR;
        }
    }
}
