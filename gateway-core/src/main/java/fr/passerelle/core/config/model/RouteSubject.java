package fr.passerelle.core.config.model;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Whom a route carries referrals about, by the age the gateway decides ({@code Minority}), not the sender's flag:
 * an adult-only service (adult emergency housing, the exit pathway, adult victim associations) must never receive a
 * referral about a minor; a minor goes to child protection.
 */
public enum RouteSubject {
    /** Only referrals about an adult, or about nobody in particular (an exploitation report on a place). */
    ADULT("adult"),
    /** Only referrals about a minor, or a person presumed minor. */
    MINOR("minor"),
    /** Any referral: the default, for services that take adults and minors alike. */
    ANY("any");

    private final String code;

    RouteSubject(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** Whether a referral about a person whom the gateway treats as a minor ({@code minor}) may take the route. */
    public boolean admits(boolean minor) {
        return this == ANY || (this == MINOR) == minor;
    }

    public static Optional<RouteSubject> find(String code) {
        return Arrays.stream(values()).filter(s -> s.code.equals(code)).findFirst();
    }

    public static String codes() {
        return Arrays.stream(values()).map(RouteSubject::code).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return code;
    }
}
