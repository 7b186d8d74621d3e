package fr.passerelle.core.referral;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The two processings the gateway serves, which the law keeps apart (docs/DATA-PROTECTION.md): the support of
 * victims (GDPR; child protection included) and the police-justice flows (Directive (EU) 2016/680, loi
 * Informatique et libertés, titre III). Each has its own master-key family and retention rules, and a deployment may
 * limit an administrator to one.
 */
public enum Domain {
    VICTIM_SUPPORT("victim-support"),
    POLICE_JUSTICE("police-justice");

    private final String code;

    Domain(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static Optional<Domain> find(String code) {
        return Arrays.stream(values()).filter(d -> d.code.equals(code)).findFirst();
    }

    public static String codes() {
        return Arrays.stream(values()).map(Domain::code).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return code;
    }
}
