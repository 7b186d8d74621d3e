package fr.passerelle.server.tls;

import fr.passerelle.core.crypto.Fingerprints;
import fr.passerelle.core.testkit.OpenSsl;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ImmediateExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;

/**
 * A minimal HTTPS server on 127.0.0.1 and a random port, built with {@link ServerTls}: it answers every request
 * with 200 and {@code <peer subject>|<peer fingerprint>|<protocol>|<cipher suite>}, then closes, and records
 * the outcome of every handshake.
 */
final class PeerEchoServer implements AutoCloseable {
    private static final String REQUEST = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final BlockingQueue<SslHandshakeCompletionEvent> handshakes = new LinkedBlockingQueue<>();
    private final Channel channel;

    PeerEchoServer(SslContext sslContext) throws InterruptedException {
        this(sslContext, ImmediateExecutor.INSTANCE);
    }

    /** @param handshakeTasks where the TLS engine's delegated tasks run */
    PeerEchoServer(SslContext sslContext, Executor handshakeTasks) throws InterruptedException {
        channel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(
                                        ServerTls.newHandler(sslContext, ch.alloc(), handshakeTasks),
                                        new HandshakeRecorder(),
                                        new HttpServerCodec(),
                                        new HttpObjectAggregator(8192),
                                        new PeerEcho());
                    }
                })
                .bind("127.0.0.1", 0)
                .sync()
                .channel();
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** The outcome of the next handshake, waiting for it at most 10 seconds. */
    SslHandshakeCompletionEvent nextHandshake() throws InterruptedException {
        SslHandshakeCompletionEvent event = handshakes.poll(10, TimeUnit.SECONDS);
        if (event == null) {
            throw new AssertionError("no handshake ended within 10 s");
        }
        return event;
    }

    /**
     * Runs {@code openssl s_client} against this server from {@code dir}, trusting {@code dir/ca.pem} and checking
     * the server's IP address, with {@code options} (a client certificate, a protocol); sends one HTTP request and
     * returns all that it printed once the server has closed.
     */
    String sClient(Path dir, String... options) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(
                "s_client",
                "-connect",
                "127.0.0.1:" + port(),
                "-CAfile",
                "ca.pem",
                "-verify_ip",
                "127.0.0.1",
                "-ign_eof"));
        args.addAll(List.of(options));
        return OpenSsl.run(dir, REQUEST.getBytes(StandardCharsets.US_ASCII), args.toArray(String[]::new))
                .output();
    }

    void forgetHandshakes() {
        handshakes.clear();
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    private final class HandshakeRecorder extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof SslHandshakeCompletionEvent completion) {
                handshakes.add(completion);
            }
            super.userEventTriggered(ctx, event);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // The handshake event already tells the test; a failed handshake just closes the connection.
            ctx.close();
        }
    }

    private static final class PeerEcho extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            SSLSession session = ctx.pipeline().get(SslHandler.class).engine().getSession();
            String peer = ServerTls.peerCertificate(session)
                    .map(c -> c.getSubjectX500Principal().getName() + "|" + Fingerprints.sha256(c))
                    .orElse("none|none");
            byte[] body = (peer + "|" + session.getProtocol() + "|" + session.getCipherSuite())
                    .getBytes(StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
