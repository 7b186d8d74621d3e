package fr.passerelle.server.http;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.Deployment;
import fr.passerelle.core.config.Partner;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.server.GatewayMetrics;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes one request, identifies the partner by its certificate fingerprint, and hands the work to an endpoint
 * on the bounded worker pool: nothing here blocks the event loop. One request at a time per connection (reading
 * pauses until the answer is written), so that answers never overtake each other.
 */
public final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);

    private final EndpointTable endpoints;
    private final Supplier<Deployment> deployment;
    private final ExecutorService workers;
    private final GatewayMetrics metrics;

    public ApiHandler(EndpointTable endpoints, Supplier<Deployment> deployment, ExecutorService workers,
                      GatewayMetrics metrics) {
        this.endpoints = endpoints;
        this.deployment = deployment;
        this.workers = workers;
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        if (request.decoderResult().isFailure()) {
            reply(ctx, "invalid", Problems.of(new GatewayException(ErrorCode.REQUEST_INVALID,
                    "the request is not valid HTTP/1.1 (request line or headers too long, or malformed)"), path), false);
            return;
        }
        EndpointTable.Match match;
        Optional<PartnerId> partner;
        try {
            match = endpoints.resolve(request.method(), path);
            partner = identify(ctx, match.entry().partnerOnly());
        } catch (GatewayException e) {
            reply(ctx, "unmatched", Problems.of(e, path), keepAlive);
            return;
        }
        ApiRequest apiRequest = new ApiRequest(request.method(), path, uri.parameters(), request.headers().copy(),
                ByteBufUtil.getBytes(request.content()), partner, match.params());
        String operation = request.method().name() + " " + match.entry().pattern();
        ctx.channel().config().setAutoRead(false);
        try {
            workers.execute(() -> run(ctx, match.entry().endpoint(), apiRequest, operation, keepAlive));
        } catch (RejectedExecutionException e) {
            reply(ctx, operation, Problems.incident(ErrorCode.UNAVAILABLE, e, path), false);
        }
    }

    private void run(ChannelHandlerContext ctx, Endpoint endpoint, ApiRequest request, String operation,
                     boolean keepAlive) {
        long start = System.nanoTime();
        ApiResponse response;
        try {
            response = endpoint.handle(request);
        } catch (GatewayException e) {
            Problems.Problem problem = Problems.of(e, request.path());
            if (e.code().origin() == ErrorCode.Origin.CLIENT) {
                log.info("Refused {} from {}: {}", operation, request.caller().map(PartnerId::value).orElse("-"),
                        e.code().code());
            }
            response = problemResponse(problem);
        } catch (RuntimeException e) {
            response = problemResponse(Problems.incident(ErrorCode.INTERNAL, e, request.path()));
        }
        metrics.request(operation, response.status().code(), System.nanoTime() - start);
        write(ctx, response, keepAlive);
    }

    private Optional<PartnerId> identify(ChannelHandlerContext ctx, boolean partnerOnly) {
        String fingerprint = ctx.channel().attr(PeerIdentity.FINGERPRINT).get();
        if (fingerprint == null) {
            throw new GatewayException(ErrorCode.CERTIFICATE_MISSING,
                    "no client certificate was presented (expected: the partner's certificate, over mutual TLS)");
        }
        var found = deployment.get().partnerByFingerprint(fingerprint);
        if (found.isEmpty()) {
            if (!partnerOnly) {
                return Optional.empty();
            }
            throw new GatewayException(ErrorCode.PARTNER_UNKNOWN, "no partner with certificate fingerprint "
                    + fingerprint + "; ask the gateway's administrator to pin it in the partner's registry entry");
        }
        Partner partner = found.get();
        if (!partner.enabled() && partnerOnly) {
            throw new GatewayException(ErrorCode.PARTNER_DISABLED, "partner " + partner.id()
                    + " is disabled in the registry; ask the gateway's administrator to enable it");
        }
        return Optional.of(partner.id());
    }

    private void reply(ChannelHandlerContext ctx, String operation, Problems.Problem problem, boolean keepAlive) {
        metrics.request(operation, problem.status().code(), 0);
        write(ctx, problemResponse(problem), keepAlive);
    }

    static ApiResponse problemResponse(Problems.Problem problem) {
        return new ApiResponse(problem.status(), Problems.MEDIA_TYPE, Json.bytes(problem.body()), Map.of());
    }

    static void write(ChannelHandlerContext ctx, ApiResponse response, boolean keepAlive) {
        FullHttpResponse http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status(),
                Unpooled.wrappedBuffer(response.body()));
        http.headers().set(HttpHeaderNames.CONTENT_TYPE, response.mediaType());
        http.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        http.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        http.headers().set("X-Content-Type-Options", "nosniff");
        response.headers().forEach(http.headers()::set);
        if (!keepAlive) {
            http.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ctx.channel().eventLoop().execute(() -> {
            var future = ctx.writeAndFlush(http);
            if (keepAlive) {
                ctx.channel().config().setAutoRead(true);
            } else {
                future.addListener(ChannelFutureListener.CLOSE);
            }
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // TLS failures and resets are the peer's business: note them without a stack trace, then close.
        log.debug("Closing connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    /** Answers an oversized body with a problem document instead of a bare 413. */
    public static void tooLarge(ChannelHandlerContext ctx, int maxBodyBytes, String path) {
        Problems.Problem problem = Problems.of(new GatewayException(ErrorCode.BODY_TOO_LARGE,
                "the request body is larger than " + maxBodyBytes + " bytes (expected: at most " + maxBodyBytes
                        + " bytes; a referral is a few kilobytes)"), path);
        // Keep reading (the aggregator discards the rest of the body) so that the client, still uploading, gets
        // this answer instead of a reset; then close.
        write(ctx, problemResponse(problem).withHeader("Connection", "close"), true);
        ctx.executor().schedule(() -> {
            ctx.close();
        }, OVERSIZE_DRAIN_SECONDS, TimeUnit.SECONDS);
    }

    /** How long an oversized upload may go on being discarded after its 413 before the connection closes. */
    static final int OVERSIZE_DRAIN_SECONDS = 2;
}
