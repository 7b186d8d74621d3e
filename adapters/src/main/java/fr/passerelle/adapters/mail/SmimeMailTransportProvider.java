package fr.passerelle.adapters.mail;

import fr.passerelle.core.spi.Transport;
import fr.passerelle.core.spi.TransportContext;
import fr.passerelle.core.spi.TransportProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The {@code mail} transport: S/MIME mail (signed by the gateway, encrypted for the association) through an SMTP
 * relay over TLS, answered through single-use receipt links. Partner entries give
 * {@code delivery: {transport: mail, address: accueil@association.example}}; gateway.yaml gives the relay under
 * {@code transports.mail} (see {@link MailSettings#KEYS}). Stateless; found through the service loader.
 */
public final class SmimeMailTransportProvider implements TransportProvider {
    public static final String ID = "mail";
    /** The partner option naming who reads the replies to its mail. */
    static final String REPLY_TO = "reply_to";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Packaging packaging() {
        return Packaging.SMIME;
    }

    @Override
    public boolean receiptLinks() {
        return true;
    }

    /**
     * {@code address}, required: a plain e-mail address; {@code reply_to}, optional: the plain address of whoever
     * reads the replies to the partner's mail (without it, the mail's Reply-To says that no one does); no other
     * option.
     */
    @Override
    public List<OptionProblem> checkPartner(Map<String, String> options) {
        List<OptionProblem> problems = new ArrayList<>();
        for (String key : new TreeSet<>(options.keySet())) {
            if (!key.equals("address") && !key.equals(REPLY_TO)) {
                problems.add(new OptionProblem(
                        key,
                        "'" + key + "' is not an option of the mail transport" + " (expected: address, reply_to)",
                        "remove it or correct its name"));
            }
        }
        String replyTo = options.get(REPLY_TO);
        if (replyTo != null && !MailAddresses.isPlausible(replyTo.trim())) {
            problems.add(new OptionProblem(
                    REPLY_TO,
                    "reply_to is not an e-mail address (expected: local-part@domain, such as"
                            + " referent-974@passerelle.example, without a display name)",
                    "write the mailbox that reads replies alone, or remove reply_to"));
        }
        String address = options.get("address");
        if (address == null || address.isBlank()) {
            problems.add(new OptionProblem(
                    "address",
                    "address is missing (expected: the association's mailbox,"
                            + " such as accueil@association.example)",
                    "add address under delivery"));
        } else if (!MailAddresses.isPlausible(address.trim())) {
            problems.add(new OptionProblem(
                    "address",
                    "address is not an e-mail address (expected:"
                            + " local-part@domain, such as accueil@association.example, without a display name)",
                    "write the association's mailbox alone"));
        }
        return List.copyOf(problems);
    }

    /** The keys of {@link MailSettings}: host, port, security, from required; TLS always. */
    @Override
    public List<OptionProblem> checkSettings(Map<String, String> settings) {
        return MailSettings.check(settings);
    }

    /** The {@code from} of the settings: the gateway's signing certificate should name it. */
    @Override
    public Optional<String> senderAddress(Map<String, String> settings) {
        return Optional.of(MailSettings.of(settings).from());
    }

    /**
     * At least connecting, writing and reading, each up to the timeout; an SMTP conversation reads several
     * replies, so a slow relay may take longer still.
     */
    @Override
    public java.time.Duration longestAttempt(Map<String, String> settings) {
        return MailSettings.of(settings).timeout().multipliedBy(3);
    }

    /**
     * @throws fr.passerelle.core.GatewayException {@code CONFIG_INVALID} if the settings are wrong, the password's
     *         environment variable is not set (named, never its value) or the trust anchors cannot be read
     */
    @Override
    public Transport open(TransportContext context) {
        return new SmimeMailTransport(MailSettings.of(context.settings()), context);
    }
}
