package fr.passerelle.core.routing;

import fr.passerelle.core.partner.PartnerId;
import java.util.Objects;

/**
 * A recipient that a route would have reached and that the gateway left out, with why: never a silent drop, the
 * {@code 202} answer names it.
 *
 * @param routeId the route that would have reached it
 */
public record Withheld(PartnerId recipient, String routeId, Reason reason) {
    public Withheld {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(routeId, "routeId");
        Objects.requireNonNull(reason, "reason");
    }

    /** Why a recipient was left out. */
    public enum Reason {
        /**
         * The person is a minor, or presumed one, and the route serves adults only ({@code subject: adult}): a
         * child-protection alert goes to the CRIP and the juvenile prosecutor instead.
         */
        SUBJECT_MINOR(
                "subject-minor",
                "the person is a minor or presumed to be one, and this route serves adults"
                        + " only; a child.protection.alert goes to child protection instead"),
        /** The person is an adult, and the route serves minors only ({@code subject: minor}). */
        SUBJECT_ADULT("subject-adult", "the person is an adult, and this route serves minors only"),
        /**
         * The person's consent does not cover the recipient's kind ({@code consent.scope}), and the route rests on
         * consent, not on a legal obligation.
         */
        CONSENT_SCOPE("consent-scope", "the person's consent (consent.scope) does not cover this kind of recipient");

        private final String code;
        private final String explanation;

        Reason(String code, String explanation) {
            this.code = code;
            this.explanation = explanation;
        }

        public String code() {
            return code;
        }

        /** For the sender, in the {@code 202} answer. */
        public String explanation() {
            return explanation;
        }
    }
}
