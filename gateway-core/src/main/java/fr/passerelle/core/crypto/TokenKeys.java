package fr.passerelle.core.crypto;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidParameterException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Security;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the gateway's private keys from a PKCS#11 token through the JDK's SunPKCS11 provider. The key never
 * leaves the token: what the gateway holds is a handle, whose {@code getEncoded()} is null, and every signature
 * is made by the token.
 *
 * <p>One provider per token and JVM, configured on first use and registered with {@link Security} after every
 * other provider: the JDK's TLS code finds the signature engine of a key by asking the registered providers, and
 * the token's is the only one that accepts its keys. Being last, it is chosen for nothing else. Thread-safe.
 */
final class TokenKeys {
    private static final String SUN_PKCS11 = "SunPKCS11";
    private static final Map<String, Provider> PROVIDERS = new ConcurrentHashMap<>();

    private TokenKeys() {}

    /**
     * The key labelled {@code object} in {@code token}, with the certificate chain of {@code certificateFile}.
     *
     * @throws GatewayException {@code CONFIG_INVALID} if the module cannot be loaded, the token refuses the PIN,
     *                          holds no such key, or the key is not the certificate's; the PIN is never shown
     */
    static CertifiedKey read(Pkcs11Token token, String object, Path certificateFile) {
        List<X509Certificate> chain = PemFiles.readCertificates(certificateFile);
        Provider provider = provider(token);
        PrivateKey key = privateKey(open(token, provider), token, object);
        X509Certificate leaf = chain.get(0);
        if (!PemFiles.belongsTo(key, leaf.getPublicKey())) {
            throw invalid(
                    token,
                    object,
                    "is not the key of the first certificate of " + certificateFile + " (expected: the key of "
                            + leaf.getSubjectX500Principal().getName() + ", fingerprint "
                            + Fingerprints.sha256(leaf) + ")",
                    null);
        }
        return new CertifiedKey(key, chain, Optional.of(provider));
    }

    private static Provider provider(Pkcs11Token token) {
        if (!Files.isRegularFile(token.library())) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "pkcs11.library " + token.library() + " does not exist (expected: the token's PKCS#11 module,"
                            + " such as /usr/lib/softhsm/libsofthsm2.so)");
        }
        return PROVIDERS.computeIfAbsent(token.providerConfiguration(), configuration -> {
            Provider base = Security.getProvider(SUN_PKCS11);
            if (base == null) {
                throw new GatewayException(
                        ErrorCode.CONFIG_INVALID,
                        "this JVM has no " + SUN_PKCS11 + " provider (expected: a JDK with the module"
                                + " jdk.crypto.cryptoki)");
            }
            try {
                Provider configured = base.configure(configuration);
                Security.addProvider(configured);
                return configured;
            } catch (ProviderException | InvalidParameterException e) {
                throw new GatewayException(
                        ErrorCode.CONFIG_INVALID,
                        "the PKCS#11 module " + token.library() + " has no usable token at " + token.slotName() + " ("
                                + rootCause(e) + "; expected: the slot of an initialised token, as"
                                + " 'softhsm2-util --show-slots' or 'pkcs11-tool -L' lists them)",
                        e);
            }
        });
    }

    private static KeyStore open(Pkcs11Token token, Provider provider) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS11", provider);
            store.load(null, token.pin().toCharArray());
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "the token at " + token.slotName() + " of " + token.library() + " refused to open with the PIN of "
                            + Pkcs11Token.PIN_VARIABLE + " (" + rootCause(e) + "; expected: the token's user PIN)",
                    e);
        }
    }

    private static PrivateKey privateKey(KeyStore store, Pkcs11Token token, String object) {
        try {
            Key key = store.getKey(object, null);
            if (key instanceof PrivateKey found) {
                return found;
            }
            List<String> labels = new ArrayList<>();
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    labels.add(alias);
                }
            }
            Collections.sort(labels);
            throw invalid(
                    token,
                    object,
                    "is not there (private keys with a certificate: "
                            + (labels.isEmpty() ? "none" : String.join(", ", labels))
                            + "; expected: the label of a private key stored with its certificate)",
                    null);
        } catch (GeneralSecurityException e) {
            throw invalid(token, object, "cannot be read (" + rootCause(e) + ")", e);
        }
    }

    /** The innermost cause, which names the PKCS#11 return code, such as {@code CKR_PIN_INCORRECT}. */
    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private static GatewayException invalid(Pkcs11Token token, String object, String what, Exception cause) {
        return new GatewayException(
                ErrorCode.CONFIG_INVALID,
                "the key pkcs11:object=" + object + " of the token at " + token.slotName() + " of " + token.library()
                        + " " + what,
                cause);
    }
}
