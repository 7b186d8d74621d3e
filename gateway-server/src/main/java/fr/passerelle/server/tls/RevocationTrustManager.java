package fr.passerelle.server.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's PKIX trust manager over the client CA, then {@link ClientRevocation} on the chain it accepted: a
 * revoked client certificate fails the handshake as an untrusted one does.
 */
final class RevocationTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager chains;
    private final List<X509Certificate> anchors;
    private final ClientRevocation revocation;

    private RevocationTrustManager(
            X509ExtendedTrustManager chains, List<X509Certificate> anchors, ClientRevocation revocation) {
        this.chains = chains;
        this.anchors = List.copyOf(anchors);
        this.revocation = revocation;
    }

    /** @throws GeneralSecurityException when the JDK's trust manager cannot be made of {@code anchors} */
    static RevocationTrustManager of(List<X509Certificate> anchors, ClientRevocation revocation)
            throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (java.io.IOException e) {
            throw new KeyStoreException("an empty key store cannot be made", e);
        }
        for (int i = 0; i < anchors.size(); i++) {
            store.setCertificateEntry("client-ca-" + i, anchors.get(i));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager chains) {
                return new RevocationTrustManager(chains, anchors, revocation);
            }
        }
        throw new KeyStoreException("the JDK offers no X.509 trust manager");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        chains.checkClientTrusted(chain, authType, engine);
        revocation.verify(chain, anchors);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        chains.checkClientTrusted(chain, authType, socket);
        revocation.verify(chain, anchors);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        chains.checkClientTrusted(chain, authType);
        revocation.verify(chain, anchors);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        chains.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        chains.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        chains.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return chains.getAcceptedIssuers();
    }
}
