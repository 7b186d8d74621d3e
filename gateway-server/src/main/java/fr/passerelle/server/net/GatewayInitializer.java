package fr.passerelle.server.net;

import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.server.http.ApiHandler;
import fr.passerelle.server.http.PeerIdentity;
import fr.passerelle.server.metrics.GatewayMetrics;
import fr.passerelle.server.tls.ClientRevocation;
import fr.passerelle.server.tls.ServerTls;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ImmediateExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The pipeline of one partner connection: the caps on open connections (checked before anything else, so that a
 * refused connection costs no TLS engine), mutual TLS whose failed handshakes are counted, peer identity, idle and slow-request guards, HTTP/1.1
 * decoding with size limits, then the API dispatcher.
 */
public final class GatewayInitializer extends ChannelInitializer<SocketChannel> {
    static final int MAX_INITIAL_LINE = 4096;
    static final int MAX_HEADER_SIZE = 16 * 1024;

    private final SslContext tls;
    private final GatewaySettings.Limits limits;
    private final Supplier<ApiHandler> api;
    private final OpenConnections connections;
    private final HandshakeFailures handshakeFailures;
    private final Executor handshakeTasks;

    /** @param clock what the once-a-minute log lines about refused connections and failed handshakes go by */
    public GatewayInitializer(
            SslContext tls,
            GatewaySettings.Limits limits,
            GatewayMetrics metrics,
            Clock clock,
            Supplier<ApiHandler> api) {
        this(tls, ImmediateExecutor.INSTANCE, limits, metrics, clock, api);
    }

    /**
     * @param handshakeTasks where the TLS engine's delegated tasks run: {@link ClientRevocation#handshakeTasks()}
     *                       when it may wait for a responder
     */
    public GatewayInitializer(
            SslContext tls,
            Executor handshakeTasks,
            GatewaySettings.Limits limits,
            GatewayMetrics metrics,
            Clock clock,
            Supplier<ApiHandler> api) {
        this.tls = tls;
        this.handshakeTasks = handshakeTasks;
        this.limits = limits;
        this.api = api;
        this.connections = new OpenConnections(limits.connections(), metrics, clock);
        this.handshakeFailures = new HandshakeFailures(metrics, clock);
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        if (!connections.admit(channel)) {
            channel.close();
            return;
        }
        ChannelPipeline pipeline = channel.pipeline();
        SslHandler ssl = ServerTls.newHandler(tls, channel.alloc(), handshakeTasks);
        ssl.handshakeFuture().addListener(handshake -> {
            if (!handshake.isSuccess()) {
                handshakeFailures.failed(channel, handshake.cause());
            }
        });
        pipeline.addLast("tls", ssl);
        pipeline.addLast("peer", new PeerIdentity());
        addHttp(pipeline, limits, api.get());
    }

    /** What follows TLS and peer identity: idle and slow-request guards, HTTP/1.1 decoding with limits, the API. */
    static void addHttp(ChannelPipeline pipeline, GatewaySettings.Limits limits, ApiHandler api) {
        long idleMillis = limits.idleTimeout().toMillis();
        pipeline.addLast("idle", new IdleStateHandler(0, 0, idleMillis, TimeUnit.MILLISECONDS));
        pipeline.addLast("idle-close", new IdleClose());
        RequestDeadline deadline = new RequestDeadline(idleMillis);
        pipeline.addLast("deadline-start", deadline.start());
        pipeline.addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, 64 * 1024));
        pipeline.addLast("deadline-stop", deadline.stop());
        pipeline.addLast("aggregate", new BoundedAggregator(limits.maxBodyBytes()));
        pipeline.addLast("api", api);
    }

    /** Closes a connection that neither read nor wrote for the idle timeout (half-open or abandoned). */
    static final class IdleClose extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
                return;
            }
            super.userEventTriggered(ctx, evt);
        }
    }

    /**
     * Closes a connection whose request is not complete within the deadline after its first byte: a client that
     * trickles its headers or body byte by byte would otherwise keep the idle timer alive for ever. The deadline
     * starts on the raw bytes, before the HTTP decoder, because the decoder says nothing until the headers are
     * complete; it ends when the decoder has seen the whole request.
     */
    static final class RequestDeadline {
        private final long millis;
        private ScheduledFuture<?> pending;

        RequestDeadline(long millis) {
            this.millis = millis;
        }

        /** Goes before the HTTP decoder. */
        ChannelInboundHandlerAdapter start() {
            return new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                    if (pending == null) {
                        pending = ctx.executor()
                                .schedule(
                                        () -> {
                                            ctx.close();
                                        },
                                        millis,
                                        TimeUnit.MILLISECONDS);
                    }
                    super.channelRead(ctx, msg);
                }

                @Override
                public void channelInactive(ChannelHandlerContext ctx) throws Exception {
                    cancel();
                    super.channelInactive(ctx);
                }
            };
        }

        /** Goes after the HTTP decoder. */
        ChannelInboundHandlerAdapter stop() {
            return new ChannelInboundHandlerAdapter() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                    if (msg instanceof LastHttpContent) {
                        cancel();
                    }
                    super.channelRead(ctx, msg);
                }
            };
        }

        private void cancel() {
            if (pending != null) {
                pending.cancel(false);
                pending = null;
            }
        }
    }

    /** Answers an oversized body with a problem document, then closes. */
    static final class BoundedAggregator extends HttpObjectAggregator {
        private final int maxBodyBytes;

        BoundedAggregator(int maxBodyBytes) {
            super(maxBodyBytes, true);
            this.maxBodyBytes = maxBodyBytes;
        }

        /** With {@code Expect: 100-continue}, an oversized request is refused before its body, with our document. */
        @Override
        protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
            Object response = super.newContinueResponse(start, maxContentLength, pipeline);
            if (response instanceof FullHttpResponse http
                    && http.status().equals(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE)) {
                String path =
                        start instanceof HttpRequest request ? request.uri().split("\\?", 2)[0] : "";
                http.release();
                return ApiHandler.tooLargeResponse(maxBodyBytes, path);
            }
            return response;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            String path =
                    oversized instanceof HttpRequest request ? request.uri().split("\\?", 2)[0] : "";
            ApiHandler.tooLarge(ctx, maxBodyBytes, path);
        }
    }
}
