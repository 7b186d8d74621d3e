package fr.passerelle.core.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A way of handing sealed referrals to partners that do not pull their inbox: HTTPS push, S/MIME mail. Found
 * through {@link java.util.ServiceLoader} and named by the id that partner entries give in
 * {@code delivery: {transport: <id>, ...}}; the id {@value #INBOX} is reserved for the pull inbox, which needs
 * no provider. The gateway opens each provider once at start-up and closes it when it stops.
 */
public interface TransportProvider {
    /** The reserved id of the pull inbox: the partner fetches its deliveries with {@code GET /v1/inbox}. */
    String INBOX = "inbox";

    /** The id that partner entries name, such as {@code https} or {@code mail}. */
    String id();

    /** How what this transport carries is sealed. */
    default Packaging packaging() {
        return Packaging.CMS;
    }

    /**
     * Whether the recipient answers through single-use receipt links (secure mail) rather than through the
     * partner API: the gateway then issues the links and hands them to the outbound adapter in the item.
     */
    default boolean receiptLinks() {
        return false;
    }

    /**
     * Checks one partner's options (the keys of its {@code delivery:} section other than {@code transport}).
     *
     * @return one problem per wrong, missing or unknown option; empty when they are fine
     */
    List<OptionProblem> checkPartner(Map<String, String> options);

    /**
     * Checks the transport's gateway-wide settings (the {@code transports.<id>:} section of gateway.yaml,
     * empty when absent).
     *
     * @return one problem per wrong, missing or unknown setting; empty when they are fine
     */
    List<OptionProblem> checkSettings(Map<String, String> settings);

    /**
     * The longest one {@link Transport#deliver} may take with these (checked) settings: the gateway warns when its
     * delivery lease is not longer, since a claim whose lease ends is taken over while its attempt still runs.
     *
     * @return {@link Duration#ZERO} when the transport cannot say
     */
    default Duration longestAttempt(Map<String, String> settings) {
        return Duration.ZERO;
    }

    /**
     * The mail address this transport sends from, with these (checked) settings. The gateway's signing certificate
     * should name it as an rfc822Name, or mail clients show the sender of the signed mail as not matching its
     * signer: the configuration check warns when it does not.
     *
     * @return empty for a transport that sends no mail
     */
    default Optional<String> senderAddress(Map<String, String> settings) {
        return Optional.empty();
    }

    /**
     * Opens the transport: connection pools, mail sessions. Called once, after both checks passed.
     */
    Transport open(TransportContext context);

    /** What sealing a delivery for this transport produces. */
    enum Packaging {
        /** A DER CMS envelope (AuthEnvelopedData or EnvelopedData around the gateway's SignedData). */
        CMS,
        /** An S/MIME entity (RFC 8551), headers included: signed by the gateway, then encrypted. */
        SMIME
    }

    /**
     * One problem in a transport's options or settings.
     *
     * @param key     the option at fault, as written in the YAML file
     * @param message what is wrong, naming the value when it is safe and what was expected
     * @param fix     how to put it right
     */
    record OptionProblem(String key, String message, String fix) {
        public OptionProblem {
            java.util.Objects.requireNonNull(key, "key");
            java.util.Objects.requireNonNull(message, "message");
            java.util.Objects.requireNonNull(fix, "fix");
        }
    }
}
