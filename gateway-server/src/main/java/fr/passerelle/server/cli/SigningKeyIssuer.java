package fr.passerelle.server.cli;

import fr.passerelle.core.GatewayException;
import fr.passerelle.core.crypto.CertifiedKey;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Issues the gateway's next signing key and certificate from a CA whose key lies in the PKI folder, for
 * {@code gateway keys rotate --signing}. Found with {@link java.util.ServiceLoader}: {@code passerelle-tools.jar}
 * provides one for the development PKI; the production jar has none, and its signing certificate comes from an
 * external CA. List it in {@code META-INF/services/fr.passerelle.server.cli.SigningKeyIssuer}.
 */
public interface SigningKeyIssuer {
    /**
     * Issues a new key and certificate from the CA in {@code pkiDir} ({@code ca.pem}, {@code ca-key.pem}), writes
     * the key to {@code keyFile}, then the chain, leaf then CA, to {@code certificateFile}.
     *
     * @return the new key and its chain
     * @throws GatewayException {@code pki_failed} when the CA cannot be read or the files written
     */
    CertifiedKey issue(Path pkiDir, Path certificateFile, Path keyFile, Clock clock);
}
