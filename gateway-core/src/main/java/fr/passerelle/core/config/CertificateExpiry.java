package fr.passerelle.core.config;

import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.crypto.PemFiles;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which certificates of a deployment expire soon: every partner's, and the gateway's own TLS and signing
 * certificates, so that the log and the health detail warn {@link #WARNING_WINDOW} ahead. The lines name partner
 * ids and dates only, never personal data. Stateless and thread-safe.
 */
public final class CertificateExpiry {
    /** How long before expiry the gateway warns: 30 days. */
    public static final Duration WARNING_WINDOW = PartnerCertificates.EXPIRY_WARNING;

    private CertificateExpiry() {}

    /**
     * One line per certificate that expires within {@code window} of the clock's instant, or has expired: first
     * the partners' in partner id order ("certificate of siao-75 expires on 2026-12-20 (in 22 days)"), then the
     * gateway's TLS certificate ("certificate of the gateway's TLS key expires on ...") and signing certificate
     * ("certificate of the gateway's signing key expires on ..."), read from the settings' paths. An expired one
     * reads "... expired on 2026-01-02 (3 days ago)". A gateway certificate file that cannot be read is skipped:
     * the TLS server and the signer report it. Dates are UTC days.
     *
     * @return the lines, empty when nothing expires within the window
     */
    public static List<String> expiringWithin(Deployment deployment, Duration window, Clock clock) {
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(window, "window");
        Instant now = clock.instant();
        Instant limit = now.plus(window);
        List<String> lines = new ArrayList<>();
        for (Partner partner : deployment.sortedPartners()) {
            partner.certificate()
                    .filter(c -> !c.getNotAfter().toInstant().isAfter(limit))
                    .ifPresent(c -> lines.add(
                            PartnerCertificates.expiryLine(partner.id().value(), c, now)));
        }
        GatewaySettings settings = deployment.settings();
        leaf(settings.tlsCertificate())
                .filter(c -> !c.getNotAfter().toInstant().isAfter(limit))
                .ifPresent(c -> lines.add(PartnerCertificates.expiryLine("the gateway's TLS key", c, now)));
        leaf(settings.signingCertificate())
                .filter(c -> !c.getNotAfter().toInstant().isAfter(limit))
                .ifPresent(c -> lines.add(PartnerCertificates.expiryLine("the gateway's signing key", c, now)));
        return List.copyOf(lines);
    }

    private static Optional<X509Certificate> leaf(Path file) {
        try {
            return Optional.of(PemFiles.readCertificates(file).get(0));
        } catch (GatewayException e) {
            // Reported where the file is used: the TLS server or the signer refuses to start.
            return Optional.empty();
        }
    }
}
