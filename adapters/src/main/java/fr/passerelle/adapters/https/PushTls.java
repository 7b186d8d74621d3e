package fr.passerelle.adapters.https;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.crypto.CertifiedKey;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS side of HTTPS push: a context that presents the gateway's client key whatever CAs the partner's server
 * asks for, and trusts the configured anchors alone (PKIX, no JDK trust store); parameters that allow TLS 1.3
 * and 1.2 only and verify the server's host name. A refused server certificate fails the handshake with a
 * {@link ServerCertificateRefused} that says why, for the delivery's detail.
 */
final class PushTls {
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private PushTls() {}

    /**
     * @throws GatewayException {@code CONFIG_INVALID} if there is no trust anchor; {@code PKI_FAILED} if the JVM
     *                          cannot build the context
     */
    static SSLContext context(CertifiedKey clientKey, List<X509Certificate> trustAnchors) {
        if (trustAnchors.isEmpty()) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "transport https has no trust anchors (expected:"
                            + " the CA certificates that partners' server certificates chain to)");
        }
        try {
            KeyStore anchors = KeyStore.getInstance("PKCS12");
            anchors.load(null, null);
            for (int i = 0; i < trustAnchors.size(); i++) {
                anchors.setCertificateEntry("anchor-" + i, trustAnchors.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(anchors);
            X509ExtendedTrustManager pkix = null;
            for (TrustManager each : factory.getTrustManagers()) {
                if (each instanceof X509ExtendedTrustManager extended) {
                    pkix = extended;
                }
            }
            if (pkix == null) {
                throw new GeneralSecurityException("the PKIX trust manager factory made no X509ExtendedTrustManager");
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    new KeyManager[] {new GatewayKeyManager(clientKey)},
                    new TrustManager[] {new AnchoredTrustManager(pkix)},
                    new SecureRandom());
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new GatewayException(
                    ErrorCode.PKI_FAILED,
                    "the TLS client context of transport https cannot be" + " built ("
                            + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
                    e);
        }
    }

    /** TLS 1.3 and 1.2 only; the server certificate must name the host of the URL. */
    static SSLParameters parameters(SSLContext context) {
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setProtocols(PROTOCOLS.clone());
        // Set here, not left to HttpClient, which skips it when jdk.internal.httpclient.disableHostnameVerification
        // is set: that property must not turn the check off for referrals.
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return parameters;
    }

    /** Why the gateway refused a partner's server certificate; {@link #getMessage()} is the delivery's detail. */
    static final class ServerCertificateRefused extends CertificateException {
        private static final long serialVersionUID = 1L;

        ServerCertificateRefused(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    /** Presents the one gateway key; a partner's list of accepted CAs is its business, not a filter here. */
    private static final class GatewayKeyManager extends X509ExtendedKeyManager {
        private static final String ALIAS = "gateway";
        private final PrivateKey key;
        private final X509Certificate[] chain;
        private final String keyType;

        GatewayKeyManager(CertifiedKey clientKey) {
            key = clientKey.key();
            chain = clientKey.chainArray();
            keyType = normalised(key.getAlgorithm());
        }

        private boolean fits(String[] keyTypes) {
            if (keyTypes == null) {
                return false;
            }
            for (String each : keyTypes) {
                if (each != null && normalised(each).equals(keyType)) {
                    return true;
                }
            }
            return false;
        }

        private static String normalised(String algorithm) {
            String upper = algorithm.toUpperCase(Locale.ROOT);
            return upper.equals("ECDSA") ? "EC" : upper;
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return fits(keyTypes) ? ALIAS : null;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return fits(keyTypes) ? ALIAS : null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return fits(new String[] {keyType}) ? new String[] {ALIAS} : null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? chain.clone() : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? key : null;
        }
    }

    /** A check of the JDK's trust manager that may refuse a certificate. */
    private interface SessionCheck {
        void run() throws CertificateException;
    }

    /**
     * The JDK's PKIX checks, run in two steps so that a refusal says whether the chain or the host name failed.
     * Only a client: it never checks client certificates.
     */
    private static final class AnchoredTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager pkix;

        AnchoredTrustManager(X509ExtendedTrustManager pkix) {
            this.pkix = pkix;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(
                    chain,
                    authType,
                    () -> pkix.checkServerTrusted(chain, authType, engine),
                    engine == null ? null : engine.getPeerHost());
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain, authType, () -> pkix.checkServerTrusted(chain, authType, socket), null);
        }

        /** The chain first, then everything the TLS session adds: the host name, algorithm constraints. */
        private void check(X509Certificate[] chain, String authType, SessionCheck session, String host)
                throws CertificateException {
            checkChain(chain, authType);
            try {
                session.run();
            } catch (CertificateException e) {
                throw refusedWithHost(e, host);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            checkChain(chain, authType);
        }

        /** The chain alone, against the anchors: no host name, no TLS algorithm constraints yet. */
        private void checkChain(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                pkix.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                throw new ServerCertificateRefused(
                        outOfDate(e) ? "server certificate expired or not yet valid" : "server certificate not trusted",
                        e);
            }
        }

        private static ServerCertificateRefused refusedWithHost(CertificateException e, String host) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            // The JDK's host name checker words its refusals so; anything else is another constraint.
            if (message.startsWith("No subject alternative") || message.startsWith("No name matching")) {
                return new ServerCertificateRefused(
                        "server certificate does not name host " + (host == null ? "of the url" : host), e);
            }
            return new ServerCertificateRefused(
                    "server certificate refused (" + e.getClass().getSimpleName() + ")", e);
        }

        private static boolean outOfDate(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                    return true;
                }
                if (t instanceof CertPathValidatorException path
                        && (path.getReason() == CertPathValidatorException.BasicReason.EXPIRED
                                || path.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("transport https is a TLS client only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("transport https is a TLS client only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("transport https is a TLS client only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return pkix.getAcceptedIssuers();
        }
    }
}
