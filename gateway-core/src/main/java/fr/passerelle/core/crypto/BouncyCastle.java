package fr.passerelle.core.crypto;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The one Bouncy Castle provider instance of the CMS code, handed to each builder through {@code setProvider}
 * and never registered with {@link java.security.Security}: the JVM's other users keep their providers.
 */
final class BouncyCastle {
    static final Provider PROVIDER = new BouncyCastleProvider();

    private BouncyCastle() {}
}
