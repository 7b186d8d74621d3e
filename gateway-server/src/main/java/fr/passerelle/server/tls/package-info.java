/**
 * TLS for the gateway's Netty server: the server context that requires a client certificate, restricted to TLS
 * 1.3 and 1.2 and to the cipher suites of ANSSI's TLS guide, the handler with its handshake timeout, the
 * revocation check of client certificates at the handshake ({@code revocation:} in gateway.yaml), and the peer
 * certificate by which a handler identifies the caller. Key material comes from PEM files read by
 * {@link fr.passerelle.core.crypto.PemFiles}.
 */
package fr.passerelle.server.tls;
