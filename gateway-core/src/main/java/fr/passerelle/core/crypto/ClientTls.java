package fr.passerelle.core.crypto;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * JDK {@link SSLContext}s for Java clients of the gateway (the demo's and the tests' partners, the
 * {@link java.net.http.HttpClient}): contexts that present a client certificate from PEM files and trust only
 * the given CA, not the JDK's default trust store. They are JDK {@code TLSv1.3} contexts: they offer TLS 1.3, and
 * TLS 1.2 to a server that lacks 1.3 (older versions are disabled by the JDK). Each call builds a new context;
 * contexts are thread-safe. Hostname verification is the client's business: {@code HttpClient} does it.
 */
public final class ClientTls {
    private static final String PROTOCOL = "TLSv1.3";

    private ClientTls() {}

    /**
     * A context that presents the certificate chain of {@code certPem} with the key of {@code keyPem} and trusts
     * the certificates of {@code caPem} alone.
     *
     * @throws GatewayException {@code CONFIG_INVALID} if a file cannot be read or the key is not the
     *                          certificate's; {@code PKI_FAILED} if the JVM cannot build the context
     */
    public static SSLContext sslContext(Path certPem, Path keyPem, Path caPem) {
        CertifiedKey client = PemFiles.readCertifiedKey(certPem, keyPem);
        List<X509Certificate> trusted = PemFiles.readCertificates(caPem);
        try {
            // The key store lives in memory only; its password protects nothing and is thrown away.
            char[] password = new char[0];
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", client.key(), password, client.chainArray());
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("PKIX");
            keyManagers.init(keys, password);
            return context(keyManagers.getKeyManagers(), trusted);
        } catch (GeneralSecurityException | IOException e) {
            throw cannotBuild(certPem, e);
        }
    }

    /**
     * A context without a client certificate that trusts the certificates of {@code caPem} alone.
     *
     * @throws GatewayException {@code CONFIG_INVALID} if the file cannot be read; {@code PKI_FAILED} if the JVM
     *                          cannot build the context
     */
    public static SSLContext trustOnly(Path caPem) {
        List<X509Certificate> trusted = PemFiles.readCertificates(caPem);
        try {
            return context(null, trusted);
        } catch (GeneralSecurityException | IOException e) {
            throw cannotBuild(caPem, e);
        }
    }

    private static SSLContext context(KeyManager[] keyManagers, List<X509Certificate> trusted)
            throws GeneralSecurityException, IOException {
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        for (int i = 0; i < trusted.size(); i++) {
            anchors.setCertificateEntry("ca-" + i, trusted.get(i));
        }
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance("PKIX");
        trustManagers.init(anchors);
        SSLContext context = SSLContext.getInstance(PROTOCOL);
        context.init(keyManagers, trustManagers.getTrustManagers(), new SecureRandom());
        return context;
    }

    private static GatewayException cannotBuild(Path file, Exception e) {
        return new GatewayException(
                ErrorCode.PKI_FAILED,
                "the TLS client context for " + file + " cannot be built ("
                        + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
                e);
    }
}
