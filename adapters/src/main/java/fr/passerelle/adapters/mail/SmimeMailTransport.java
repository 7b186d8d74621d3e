package fr.passerelle.adapters.mail;

import fr.passerelle.adapters.words.FrenchLabels;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.spi.DeliveryOutcome;
import fr.passerelle.core.spi.OutgoingDelivery;
import fr.passerelle.core.spi.Transport;
import fr.passerelle.core.spi.TransportContext;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * Sends S/MIME entities as mail through the configured SMTP relay, over TLS only: STARTTLS that must succeed, or
 * implicit TLS; TLS 1.2 or 1.3; the relay's certificate must chain to the configured trust anchors (or the
 * JDK's) and name the configured host.
 *
 * <p>Each message gets {@code Message-ID: <delivery-<deliveryId>.<referralId>@passerelle>}, the same on every
 * attempt, so that a mailbox or the association can spot a duplicate, and a subject that carries the type, the
 * urgency and the first eight hexadecimal digits of the referral id: no personal data. The body and its content
 * headers are the S/MIME entity of the delivery, unchanged. {@code Reply-To} is the partner's {@code reply_to}
 * when its entry gives one, otherwise the gateway's address named "Passerelle (réponses non lues)".
 *
 * <p>Thread-safe: one Jakarta Mail session, one SMTP connection per delivery.
 */
public final class SmimeMailTransport implements Transport {
    private static final String TLS_PROTOCOLS = "TLSv1.3 TLSv1.2";
    /** The display name of the Reply-To of a partner without {@code reply_to}: no one reads what comes back. */
    private static final String NO_REPLY_NAME = "Passerelle (réponses non lues)";

    private final MailSettings settings;
    private final Session session;
    private final Optional<String> password;
    private final Clock clock;
    private final String relay;
    private final InternetAddress noReply;

    SmimeMailTransport(MailSettings settings, TransportContext context) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = context.clock();
        this.password = settings.passwordEnv().map(name -> password(name, context));
        this.session = Session.getInstance(properties(settings, sslContext(settings, context.configDir())));
        this.relay = settings.host() + ":" + settings.port();
        this.noReply = noReply(settings.from());
    }

    private static InternetAddress noReply(String from) {
        try {
            return new InternetAddress(from, NO_REPLY_NAME, StandardCharsets.UTF_8.name());
        } catch (UnsupportedEncodingException e) {
            throw new GatewayException(ErrorCode.INTERNAL, "this JVM has no UTF-8 (every Java has it)", e);
        }
    }

    private static String password(String variable, TransportContext context) {
        String value = context.env().apply(variable);
        if (value == null || value.isEmpty()) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "transports.mail.password_env names the"
                            + " environment variable " + variable + ", which is not set or empty (expected: the SMTP"
                            + " password in it)");
        }
        return value;
    }

    private static SSLContext sslContext(MailSettings settings, Path configDir) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (settings.trustAnchors().isPresent()) {
                Path file = configDir.resolve(settings.trustAnchors().get());
                List<X509Certificate> anchors = PemFiles.readCertificates(file);
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                for (int i = 0; i < anchors.size(); i++) {
                    store.setCertificateEntry("anchor-" + i, anchors.get(i));
                }
                trust.init(store);
            } else {
                trust.init((KeyStore) null);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "the TLS trust for the mail relay cannot be set"
                            + " up (" + e.getClass().getSimpleName()
                            + "; expected: transports.mail.trust_anchors naming"
                            + " a PEM file of CA certificates, or none for the JDK's trust store)",
                    e);
        }
    }

    private static Properties properties(MailSettings settings, SSLContext tls) {
        Properties properties = new Properties();
        properties.setProperty("mail.transport.protocol", "smtp");
        properties.setProperty("mail.smtp.host", settings.host());
        properties.setProperty("mail.smtp.port", Integer.toString(settings.port()));
        properties.setProperty("mail.smtp.from", settings.from());
        String millis = Long.toString(settings.timeout().toMillis());
        properties.setProperty("mail.smtp.connectiontimeout", millis);
        properties.setProperty("mail.smtp.timeout", millis);
        properties.setProperty("mail.smtp.writetimeout", millis);
        if (settings.security() == MailSettings.Security.STARTTLS) {
            properties.setProperty("mail.smtp.starttls.enable", "true");
            // Without "required", Angus Mail would carry on in clear text when the relay offers no STARTTLS.
            properties.setProperty("mail.smtp.starttls.required", "true");
        } else {
            properties.setProperty("mail.smtp.ssl.enable", "true");
        }
        properties.put("mail.smtp.ssl.socketFactory", tls.getSocketFactory());
        properties.setProperty("mail.smtp.ssl.protocols", TLS_PROTOCOLS);
        properties.setProperty("mail.smtp.ssl.checkserveridentity", "true");
        properties.setProperty(
                "mail.smtp.auth", Boolean.toString(settings.username().isPresent()));
        return properties;
    }

    /**
     * Sends the delivery's S/MIME entity to the partner's {@code address}.
     *
     * @return delivered ({@code SMTP 250}) when the relay accepted the message; permanent for an SMTP 5xx reply
     *         or a delivery that can never be sent; retryable otherwise
     */
    @Override
    public DeliveryOutcome deliver(OutgoingDelivery delivery) {
        String address = delivery.options().get("address");
        if (address == null || !MailAddresses.isPlausible(address)) {
            return DeliveryOutcome.permanent("partner " + delivery.recipient() + " has no valid delivery address"
                    + " (expected: delivery.address, an e-mail address)");
        }
        if (!delivery.mediaType().toLowerCase(Locale.ROOT).startsWith("application/pkcs7-mime")) {
            return DeliveryOutcome.permanent("the mail transport carries S/MIME entities only (got a payload of"
                    + " media type " + delivery.mediaType().split(";")[0] + ")");
        }
        MimeMessage message;
        try {
            message = message(delivery, address);
        } catch (MessagingException e) {
            return DeliveryOutcome.permanent("the S/MIME entity of delivery " + delivery.deliveryId()
                    + " cannot be read as a MIME entity (" + e.getClass().getSimpleName() + ")");
        }
        SMTPTransport smtp = null;
        try {
            smtp = (SMTPTransport) session.getTransport("smtp");
            smtp.connect(settings.host(), settings.port(), settings.username().orElse(null), password.orElse(null));
            smtp.sendMessage(message, message.getAllRecipients());
            return DeliveryOutcome.delivered("SMTP " + smtp.getLastReturnCode());
        } catch (MessagingException e) {
            return SmtpFailures.outcome(e, relay);
        } finally {
            closeQuietly(smtp);
        }
    }

    private MimeMessage message(OutgoingDelivery delivery, String address) throws MessagingException {
        String messageId = messageId(delivery.deliveryId(), delivery.referralId());
        MimeMessage message = new FixedIdMessage(session, new ByteArrayInputStream(delivery.payload()), messageId);
        message.setFrom(new InternetAddress(settings.from(), true));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(address, true));
        message.setReplyTo(new Address[] {replyTo(delivery)});
        message.setSentDate(Date.from(clock.instant()));
        message.setSubject(subject(delivery), "UTF-8");
        message.setHeader("MIME-Version", "1.0");
        message.setHeader("Message-ID", messageId);
        return message;
    }

    /**
     * The partner's {@code reply_to}, who reads the replies to its mail; without one, the gateway's own address
     * under a name that says replies are not read (the message's body says so too), so that the reader knows
     * it before writing one.
     */
    private InternetAddress replyTo(OutgoingDelivery delivery) throws AddressException {
        String contact = delivery.options().get(SmimeMailTransportProvider.REPLY_TO);
        return contact == null ? noReply : new InternetAddress(contact.trim(), true);
    }

    /**
     * {@code [Passerelle] Orientation d'une victime — réf. 7c0e1a2b (urgent)}: type and urgency, no person; a notice
     * starts with what it says.
     */
    static String subject(OutgoingDelivery delivery) {
        return "[Passerelle] "
                + delivery.notice()
                        .map(n -> NoticeWords.title(n.code()) + " : ")
                        .orElse("")
                + FrenchLabels.type(delivery.type()) + " — réf. "
                + delivery.referralId().value().toString().substring(0, 8) + " ("
                + FrenchLabels.urgencyWord(delivery.urgency()) + ")";
    }

    /** The same on every attempt of a delivery, so that duplicates are detectable. */
    static String messageId(long deliveryId, ReferralId referralId) {
        return "<delivery-" + deliveryId + "." + referralId.value() + "@passerelle>";
    }

    private static void closeQuietly(SMTPTransport smtp) {
        if (smtp == null) {
            return;
        }
        try {
            smtp.close();
        } catch (MessagingException ignored) {
            // The outcome is already decided: a failed QUIT after the relay's 250 does not undo the delivery.
        }
    }

    @Override
    public String toString() {
        return "SmimeMailTransport[" + settings + "]";
    }

    /** A message parsed from the S/MIME entity whose Message-ID Jakarta Mail must not replace. */
    private static final class FixedIdMessage extends MimeMessage {
        private final String messageId;

        FixedIdMessage(Session session, InputStream entity, String messageId) throws MessagingException {
            super(session, entity);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
