package fr.passerelle.server.management;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the management paths: {@code GET} only (405 otherwise), a known path only (404 otherwise). Each answer is
 * computed on the probe executor, never on the event loop (readiness asks the database); one request at a time
 * per connection, which stays open when the client asks to keep it.
 */
final class ManagementHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(ManagementHandler.class);

    private final Map<String, Supplier<Answer>> paths;
    private final Executor probes;

    ManagementHandler(Map<String, Supplier<Answer>> paths, Executor probes) {
        this.paths = paths;
        this.probes = probes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        ctx.channel().config().setAutoRead(false);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (request.decoderResult().isFailure()) {
            write(ctx, Answer.text(HttpResponseStatus.BAD_REQUEST, "bad request"), false);
            return;
        }
        Supplier<Answer> path;
        try {
            path = paths.get(new QueryStringDecoder(request.uri()).path());
        } catch (IllegalArgumentException e) {
            // A malformed percent-escape.
            write(ctx, Answer.text(HttpResponseStatus.BAD_REQUEST, "bad request"), false);
            return;
        }
        if (path == null) {
            write(ctx, Answer.text(HttpResponseStatus.NOT_FOUND, "not found"), keepAlive);
        } else if (!request.method().equals(HttpMethod.GET)) {
            write(ctx, Answer.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed"), keepAlive);
        } else {
            try {
                probes.execute(() -> write(ctx, path.get(), keepAlive));
            } catch (RejectedExecutionException e) {
                write(ctx, Answer.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "busy"), false);
            }
        }
    }

    /** Writes an answer from any thread, then reads the connection's next request or closes it. */
    private static void write(ChannelHandlerContext ctx, Answer answer, boolean keepAlive) {
        FullHttpResponse http = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, answer.status(), Unpooled.wrappedBuffer(answer.bytes()));
        http.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.mediaType());
        http.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, http.content().readableBytes());
        http.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        http.headers().set("X-Content-Type-Options", "nosniff");
        if (answer.status().equals(HttpResponseStatus.METHOD_NOT_ALLOWED)) {
            http.headers().set(HttpHeaderNames.ALLOW, "GET");
        }
        if (!keepAlive) {
            http.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        try {
            ctx.channel().eventLoop().execute(() -> {
                ChannelFuture written = ctx.writeAndFlush(http);
                if (keepAlive) {
                    ctx.channel().config().setAutoRead(true);
                } else {
                    written.addListener(ChannelFutureListener.CLOSE);
                }
            });
        } catch (RejectedExecutionException e) {
            // The event loop has stopped (shutdown): the connection is gone with it.
            http.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and timeouts are the client's business: noted without a stack trace, then closed.
        log.debug("Closing management connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
