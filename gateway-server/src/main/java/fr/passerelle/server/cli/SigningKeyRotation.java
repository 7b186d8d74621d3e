package fr.passerelle.server.cli;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.audit.SignerCertificates;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.crypto.Fingerprints;
import fr.passerelle.core.crypto.KeyLocation;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.store.Database;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Optional;

/**
 * {@code gateway keys rotate --signing}: a new signing key and certificate from the deployment's CA, where the
 * settings put them ({@code signing.key}, {@code signing.certificate}), and the change recorded in the audit log.
 * The CA key must be in the PKI folder and a {@link SigningKeyIssuer} on the class path (passerelle-tools.jar, for
 * the development PKI); otherwise the CA is external (the production jar has no issuer), and it says how to
 * install the certificate that CA issues instead. The gateway reads its signing key at start: it signs with the new
 * one once restarted.
 */
final class SigningKeyRotation {
    private SigningKeyRotation() {}

    /**
     * @param issuer what issues from the CA of the PKI folder, when this jar has one
     * @return the exit code: 0 when rotated, {@link GatewayCommand#EXIT_FAILED} when nothing could be issued here
     */
    static int rotate(GatewaySettings settings, Optional<SigningKeyIssuer> issuer, PrintWriter out, Clock clock) {
        CertifiedKey previous = settings.signingKey().read(settings.signingCertificate());
        Path pki = settings.pkiDir();
        if (!(settings.signingKey() instanceof KeyLocation.InFile keyFile)) {
            externalCa(
                    settings,
                    out,
                    "the signing key lives in a PKCS#11 token, where this command writes nothing: make the next key in"
                            + " the token (docs/OPERATIONS.md) and have the CA certify it.");
            return GatewayCommand.EXIT_FAILED;
        }
        if (!Files.isRegularFile(pki.resolve("ca.pem")) || !Files.isRegularFile(pki.resolve("ca-key.pem"))) {
            externalCa(
                    settings,
                    out,
                    "no CA key in " + pki + " (ca-key.pem): the signing certificate comes from an"
                            + " external CA, which issues the next one.");
            return GatewayCommand.EXIT_FAILED;
        }
        if (issuer.isEmpty()) {
            externalCa(
                    settings,
                    out,
                    "this jar issues no certificate (the development PKI's issuer comes with"
                            + " passerelle-tools.jar): have the CA of " + pki + " issue the next one.");
            return GatewayCommand.EXIT_FAILED;
        }
        X509Certificate ca = PemFiles.readCertificates(pki.resolve("ca.pem")).get(0);
        requireIssuedBy(previous.certificate(), ca, pki);
        Optional<Database> database = KeysCommand.databaseIfFree(
                settings,
                out,
                "the gateway records the change (" + SignerCertificates.CHANGED + ") when it signs its first tree"
                        + " head with the new key");
        CertifiedKey next = issuer.get().issue(pki, settings.signingCertificate(), keyFile.file(), clock);
        String from = Fingerprints.sha256(previous.certificate());
        String to = Fingerprints.sha256(next.certificate());
        out.println("keys rotate --signing: new signing key in " + settings.signingKey() + ", certificate " + to
                + " in " + settings.signingCertificate() + " (issued by " + pki.resolve("ca.pem") + ")");
        if (database.isPresent()) {
            try (Database db = database.get()) {
                long position = SignerCertificates.recordRotation(
                        db.dataSource(), "admin", previous.certificate(), next.certificate());
                out.println("  audit entry queued at " + position + " (" + SignerCertificates.ROTATED + "): signer "
                        + from + " -> " + to);
            }
        }
        out.println("  restart the gateway to sign with the new key (until then it signs with " + from + "); audit"
                + " verify checks each tree head with the certificate that signed it");
        out.flush();
        return 0;
    }

    /** Heads signed by {@code signing} verify after the rotation only if it chains to the CA of the new one. */
    private static void requireIssuedBy(X509Certificate signing, X509Certificate ca, Path pki) {
        try {
            signing.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "the signing certificate " + Fingerprints.sha256(signing) + " was not issued by the CA in "
                            + pki.resolve("ca.pem") + " ("
                            + ca.getSubjectX500Principal().getName()
                            + "): the tree heads it signed would no longer chain to the CA of the new one (expected:"
                            + " the CA that issued the current signing certificate; install a certificate from it"
                            + " by hand as for an external CA)",
                    e);
        }
    }

    private static void externalCa(GatewaySettings settings, PrintWriter out, String why) {
        out.println("keys rotate --signing: " + why + " Nothing was changed. To install it:");
        out.println("  1. make a new key and a request for the CA, e.g. openssl req -new -newkey ec -pkeyopt"
                + " ec_paramgen_curve:P-256 -nodes -keyout signing-key.pem -out signing.csr");
        out.println("  2. put the key in " + settings.signingKey() + " and the certificate the CA returns, followed"
                + " by the CA's certificate, in " + settings.signingCertificate());
        out.println("  3. restart the gateway: it keeps the new certificate with the tree heads and records the change"
                + " (" + SignerCertificates.CHANGED + ") in the audit log when it signs its next head");
        out.flush();
    }
}
