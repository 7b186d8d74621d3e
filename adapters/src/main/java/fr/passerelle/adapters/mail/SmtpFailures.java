package fr.passerelle.adapters.mail;

import fr.passerelle.core.spi.DeliveryOutcome;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * Turns what Angus Mail throws into a delivery outcome: an SMTP 5xx reply is permanent, everything else (4xx,
 * network, TLS, authentication) is retryable, since the relay or its configuration may recover. Details name the
 * reply code, the SMTP command and the relay, never an address, the relay's own text (it often quotes the
 * address) or the message.
 */
final class SmtpFailures {
    private static final int MAX_DEPTH = 12;

    private SmtpFailures() {}

    static DeliveryOutcome outcome(MessagingException failure, String relay) {
        List<Throwable> chain = chain(failure);
        for (Throwable cause : chain) {
            int code = -1;
            String command = "";
            if (cause instanceof SMTPAddressFailedException e) {
                code = e.getReturnCode();
                command = e.getCommand();
            } else if (cause instanceof SMTPSenderFailedException e) {
                code = e.getReturnCode();
                command = e.getCommand();
            } else if (cause instanceof SMTPSendFailedException e) {
                code = e.getReturnCode();
                command = e.getCommand();
            }
            if (code >= 0) {
                return reply(code, command, relay);
            }
        }
        for (Throwable cause : chain) {
            if (cause instanceof AuthenticationFailedException) {
                return DeliveryOutcome.retryable("relay " + relay + " refused the gateway's SMTP credentials"
                        + " (check transports.mail username and password_env)");
            }
            if (cause instanceof MessagingException
                    && cause.getMessage() != null
                    && cause.getMessage().startsWith("STARTTLS is required")) {
                return DeliveryOutcome.retryable("relay " + relay + " does not offer STARTTLS, which is required:"
                        + " TLS is required to the relay");
            }
        }
        for (Throwable cause : chain) {
            if (cause instanceof CertPathBuilderException || cause instanceof CertPathValidatorException) {
                return DeliveryOutcome.retryable("TLS with relay " + relay + " failed: its certificate does not"
                        + " chain to the trust anchors (transports.mail.trust_anchors)");
            }
        }
        for (Throwable cause : chain) {
            if (cause instanceof CertificateException) {
                return DeliveryOutcome.retryable("TLS with relay " + relay + " failed: its certificate does not"
                        + " name the host (transports.mail.host must be a name in the certificate)");
            }
        }
        for (Throwable cause : chain) {
            if (cause instanceof SSLException) {
                return DeliveryOutcome.retryable("TLS with relay " + relay + " failed ("
                        + cause.getClass().getSimpleName() + ")");
            }
            if (cause instanceof ConnectException) {
                return DeliveryOutcome.retryable("relay " + relay + " refused the connection");
            }
            if (cause instanceof SocketTimeoutException) {
                return DeliveryOutcome.retryable("relay " + relay + " did not answer in time");
            }
            if (cause instanceof UnknownHostException) {
                return DeliveryOutcome.retryable("relay " + relay + ": host not found");
            }
        }
        for (Throwable cause : chain) {
            if (cause instanceof IOException) {
                return DeliveryOutcome.retryable("network error with relay " + relay + " ("
                        + cause.getClass().getSimpleName() + ")");
            }
        }
        return DeliveryOutcome.retryable(
                "SMTP failure with relay " + relay + " (" + failure.getClass().getSimpleName() + ")");
    }

    /** 5xx: permanent; anything else: retryable. */
    static DeliveryOutcome reply(int code, String command, String relay) {
        String detail = "SMTP " + code + " at " + verb(command) + " from relay " + relay;
        return code >= 500 && code <= 599 ? DeliveryOutcome.permanent(detail) : DeliveryOutcome.retryable(detail);
    }

    /** The SMTP verb of a command line, without its argument (an address): RCPT, MAIL, DATA. */
    static String verb(String command) {
        if (command == null || command.isBlank()) {
            return "DATA";
        }
        String trimmed = command.trim();
        if (trimmed.startsWith(".")) {
            return "end of DATA";
        }
        int end = 0;
        while (end < trimmed.length() && Character.isLetter(trimmed.charAt(end))) {
            end++;
        }
        return end == 0 ? "DATA" : trimmed.substring(0, end).toUpperCase(Locale.ROOT);
    }

    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Throwable current = failure;
        while (current != null && chain.size() < MAX_DEPTH && !chain.contains(current)) {
            chain.add(current);
            Throwable next = current instanceof MessagingException m && m.getNextException() != null
                    ? m.getNextException()
                    : current.getCause();
            current = next;
        }
        return chain;
    }
}
