package fr.passerelle.server.http;

import fr.passerelle.core.crypto.Fingerprints;
import fr.passerelle.server.tls.ServerTls;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.AttributeKey;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * Reads the client certificate once the TLS handshake completes and keeps its SHA-256 fingerprint on the channel,
 * where {@link ApiHandler} looks the partner up for every request. Then leaves the pipeline.
 */
public final class PeerIdentity extends ChannelInboundHandlerAdapter {
    public static final AttributeKey<String> FINGERPRINT = AttributeKey.valueOf("passerelle.peer.sha256");

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            Optional<X509Certificate> peer =
                    ServerTls.peerCertificate(ssl.engine().getSession());
            peer.ifPresent(cert -> ctx.channel().attr(FINGERPRINT).set(Fingerprints.sha256(cert)));
            ctx.pipeline().remove(this);
        }
        super.userEventTriggered(ctx, evt);
    }
}
