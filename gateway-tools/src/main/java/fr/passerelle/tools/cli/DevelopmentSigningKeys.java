package fr.passerelle.tools.cli;

import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.crypto.DevelopmentPki;
import fr.passerelle.server.cli.SigningKeyIssuer;
import java.nio.file.Path;
import java.time.Clock;

/** {@code keys rotate --signing} on the development PKI: a new signing key and certificate from its CA. */
public final class DevelopmentSigningKeys implements SigningKeyIssuer {
    @Override
    public CertifiedKey issue(Path pkiDir, Path certificateFile, Path keyFile, Clock clock) {
        return DevelopmentPki.issueSigning(pkiDir, certificateFile, keyFile, clock);
    }
}
