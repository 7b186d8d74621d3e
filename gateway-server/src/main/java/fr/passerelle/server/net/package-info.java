/**
 * The listener: {@link fr.passerelle.server.net.GatewayServer} binds a Netty server (NIO), and
 * {@link fr.passerelle.server.net.GatewayInitializer} builds each connection's pipeline: the caps on open
 * connections (total and per address), TLS whose failed handshakes are counted, idle and slow-request guards,
 * HTTP/1.1 decoding with size limits, then the request handler of {@code server.http}. The partner API and the
 * receipt pages each run one.
 */
package fr.passerelle.server.net;
