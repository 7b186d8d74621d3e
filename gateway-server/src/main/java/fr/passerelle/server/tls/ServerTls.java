package fr.passerelle.server.tls;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.crypto.KeyLocation;
import fr.passerelle.core.crypto.PemFiles;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The gateway's server-side TLS: mutual TLS with a client certificate required (except on the public receipt
 * listener), TLS 1.3 and 1.2 only, and the cipher suites that ANSSI's TLS guide recommends (AEAD with ephemeral
 * elliptic-curve key exchange). Uses the JDK's TLS implementation, which also signs with a key held in a PKCS#11
 * token; no native library is needed.
 */
public final class ServerTls {
    /** The protocols the server accepts, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** TLS 1.3 suites, in order of preference. */
    public static final List<String> TLS13_CIPHER_SUITES =
            List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256");

    /** TLS 1.2 suites: ECDHE with AES-GCM or ChaCha20-Poly1305, ECDSA then RSA certificates. */
    public static final List<String> TLS12_CIPHER_SUITES = List.of(
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /** Every suite the server accepts: {@link #TLS13_CIPHER_SUITES} then {@link #TLS12_CIPHER_SUITES}. */
    public static final List<String> CIPHER_SUITES = Stream.concat(
                    TLS13_CIPHER_SUITES.stream(), TLS12_CIPHER_SUITES.stream())
            .toList();

    /** How long a client has to complete the handshake before the connection is closed. */
    public static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private ServerTls() {}

    /**
     * The server context: presents the chain of {@code certPem} (leaf first) with the key of {@code keyPem}, and
     * requires a client certificate issued by one of the certificates of {@code clientCaPem}.
     *
     * @throws GatewayException {@code CONFIG_INVALID} if a file cannot be read or the key is not the
     *                          certificate's; {@code PKI_FAILED} if the context cannot be built
     */
    public static SslContext forServer(Path certPem, Path keyPem, Path clientCaPem) {
        return forServer(certPem, new KeyLocation.InFile(keyPem), clientCaPem);
    }

    /**
     * As {@link #forServer(Path, Path, Path)}, with the key where {@code key} says: a PEM file, or a PKCS#11 token
     * that signs the handshake itself.
     */
    public static SslContext forServer(Path certPem, KeyLocation key, Path clientCaPem) {
        CertifiedKey server = key.read(certPem);
        List<X509Certificate> clientCas = PemFiles.readCertificates(clientCaPem);
        return build(server, Optional.of(clientCas), Optional.empty(), "the TLS server context for " + certPem);
    }

    /**
     * As {@link #forServer(Path, Path, Path)}, and a client certificate that chains must also pass
     * {@code revocation} when it is on. Its handlers must run their delegated tasks on
     * {@link ClientRevocation#handshakeTasks()} ({@link #newHandler(SslContext, ByteBufAllocator, Executor)}).
     */
    public static SslContext forServer(Path certPem, Path keyPem, Path clientCaPem, ClientRevocation revocation) {
        return forServer(certPem, new KeyLocation.InFile(keyPem), clientCaPem, revocation);
    }

    /** As {@link #forServer(Path, Path, Path, ClientRevocation)}, with the key where {@code key} says. */
    public static SslContext forServer(Path certPem, KeyLocation key, Path clientCaPem, ClientRevocation revocation) {
        CertifiedKey server = key.read(certPem);
        List<X509Certificate> clientCas = PemFiles.readCertificates(clientCaPem);
        return build(
                server,
                Optional.of(clientCas),
                revocation.enabled() ? Optional.of(revocation) : Optional.empty(),
                "the TLS server context for " + certPem);
    }

    /**
     * The public server context, for the receipt links that people open in a browser: presents the chain of
     * {@code certPem} (leaf first) with the key at {@code key}, with the protocols and cipher suites of
     * {@link #forServer}, and requests no client certificate.
     *
     * @throws GatewayException {@code CONFIG_INVALID} if a file cannot be read or the key is not the
     *                          certificate's; {@code PKI_FAILED} if the context cannot be built
     */
    public static SslContext forPublic(Path certPem, Path keyPem) {
        return forPublic(certPem, new KeyLocation.InFile(keyPem));
    }

    /** As {@link #forPublic(Path, Path)}, with the key where {@code key} says: a PEM file or a PKCS#11 token. */
    public static SslContext forPublic(Path certPem, KeyLocation key) {
        CertifiedKey server = key.read(certPem);
        return build(server, Optional.empty(), Optional.empty(), "the public TLS server context for " + certPem);
    }

    /**
     * @param clientCas  when present, a client certificate issued by one of them is required; else none is asked
     * @param revocation when present, what a client certificate must also pass
     */
    private static SslContext build(
            CertifiedKey server,
            Optional<List<X509Certificate>> clientCas,
            Optional<ClientRevocation> revocation,
            String what) {
        try {
            // A key in a token cannot be copied into the key store that Netty would build: present it as it is.
            SslContextBuilder builder = (server.provider().isPresent()
                            ? SslContextBuilder.forServer(new ServerKeyManager(server))
                            : SslContextBuilder.forServer(server.key(), server.chainArray()))
                    .sslProvider(SslProvider.JDK)
                    .clientAuth(clientCas.isPresent() ? ClientAuth.REQUIRE : ClientAuth.NONE)
                    .protocols(PROTOCOLS)
                    .ciphers(CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE);
            if (clientCas.isPresent() && revocation.isPresent()) {
                builder.trustManager(RevocationTrustManager.of(clientCas.get(), revocation.get()));
                // A resumed session skips the trust manager: let it last no longer than a kept answer.
                builder.sessionTimeout(revocation.get().sessionLifetime().toSeconds());
            } else {
                clientCas.ifPresent(cas -> builder.trustManager(cas.toArray(X509Certificate[]::new)));
            }
            return builder.build();
        } catch (SSLException | GeneralSecurityException e) {
            throw new GatewayException(ErrorCode.PKI_FAILED, what + " cannot be built (" + e.getMessage() + ")", e);
        }
    }

    /**
     * A handler for a new server channel, with the {@link #HANDSHAKE_TIMEOUT}. Put it first in the pipeline.
     */
    public static SslHandler newHandler(SslContext context, ByteBufAllocator allocator) {
        return withTimeout(context.newHandler(allocator));
    }

    /**
     * As {@link #newHandler(SslContext, ByteBufAllocator)}, running the TLS engine's delegated tasks (the check of
     * the client's certificate among them) on {@code delegatedTasks}.
     */
    public static SslHandler newHandler(SslContext context, ByteBufAllocator allocator, Executor delegatedTasks) {
        return withTimeout(context.newHandler(allocator, delegatedTasks));
    }

    private static SslHandler withTimeout(SslHandler handler) {
        handler.setHandshakeTimeout(HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return handler;
    }

    /**
     * The certificate that the peer presented in {@code session}, the leaf of its chain; empty if it presented
     * none or the session is not yet authenticated.
     */
    public static Optional<X509Certificate> peerCertificate(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
                return Optional.of(leaf);
            }
            return Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }
}
