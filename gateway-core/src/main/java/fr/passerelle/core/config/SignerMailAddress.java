package fr.passerelle.core.config;

import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.crypto.Fingerprints;
import fr.passerelle.core.crypto.PemFiles;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Whether the gateway's signing certificate names the address its mail is sent from. An S/MIME client compares
 * the mail's sender with the rfc822Name of the certificate that signed it and flags a mismatch to the reader; the
 * mail still verifies, so this is a warning, never an error. Stateless.
 */
final class SignerMailAddress {
    private static final int RFC822_NAME = 1;

    private SignerMailAddress() {}

    /**
     * Warns, at gateway.yaml, when the signing certificate names no {@code address}, case aside. A signing
     * certificate that cannot be read is left to the signer, which refuses to start and says why.
     */
    static void check(GatewaySettings settings, String transport, String address, Problems problems) {
        X509Certificate signer;
        try {
            signer = PemFiles.readCertificates(settings.signingCertificate()).get(0);
        } catch (GatewayException e) {
            return;
        }
        List<String> names = mailNames(signer);
        if (names.stream().noneMatch(name -> name.toLowerCase(Locale.ROOT).equals(address.toLowerCase(Locale.ROOT)))) {
            problems.warning(
                    settings.file(),
                    0,
                    "the gateway's signing certificate " + Fingerprints.sha256(signer) + " does not name transports."
                            + transport + ".from " + address + " (its mail addresses: "
                            + (names.isEmpty() ? "none" : String.join(", ", names))
                            + "): mail clients will show the sender as not matching the signature",
                    "have the signing certificate issued with " + address + " as an rfc822Name subject alternative"
                            + " name (gateway pki init does so in development), or send from an address it names");
        }
    }

    private static List<String> mailNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> name : alternatives) {
                    if (name.get(0).equals(RFC822_NAME)) {
                        names.add(name.get(1).toString());
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // An unreadable extension names no address: the warning says "none".
        }
        return names;
    }
}
