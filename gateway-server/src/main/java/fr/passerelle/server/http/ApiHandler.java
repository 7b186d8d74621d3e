package fr.passerelle.server.http;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.Administrator;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.server.metrics.GatewayMetrics;
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
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Decodes one request, identifies the partner by its certificate fingerprint, and hands the work to an endpoint
 * on the bounded worker pool: nothing here blocks the event loop. One request at a time per connection: requests
 * that a client pipelines wait, in order, until the answer before them is written. One instance per connection;
 * its state is touched on the connection's event loop only.
 */
public final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
    /** Pipelined requests a connection may have waiting; past that the client is flooding, and is closed. */
    static final int MAX_WAITING = 8;
    /** How long an oversized upload may go on being discarded after its 413 before the connection closes. */
    public static final int OVERSIZE_DRAIN_SECONDS = 2;

    private final EndpointTable endpoints;
    private final Supplier<Deployment> deployment;
    private final ExecutorService workers;
    private final GatewayMetrics metrics;
    private final PartnerQuotas quotas;
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private boolean busy;
    private boolean closing;

    public ApiHandler(
            EndpointTable endpoints,
            Supplier<Deployment> deployment,
            ExecutorService workers,
            GatewayMetrics metrics,
            PartnerQuotas quotas) {
        this.endpoints = endpoints;
        this.quotas = quotas;
        this.deployment = deployment;
        this.workers = workers;
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (closing) {
            return;
        }
        if (busy) {
            if (waiting.size() >= MAX_WAITING) {
                log.info(
                        "Closing a connection from {} that pipelined more than {} requests",
                        ctx.channel().remoteAddress(),
                        MAX_WAITING);
                closing = true;
                ctx.close();
                return;
            }
            waiting.add(request.retain());
            return;
        }
        start(ctx, request);
    }

    /** Starts one request; called on the event loop when no other request of this connection is running. */
    private void start(ChannelHandlerContext ctx, FullHttpRequest request) {
        busy = true;
        ctx.channel().config().setAutoRead(false);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String path = request.uri().split("\\?", 2)[0];
        if (request.decoderResult().isFailure()) {
            reply(
                    ctx,
                    "invalid",
                    Problems.of(
                            new GatewayException(
                                    ErrorCode.REQUEST_INVALID,
                                    "the request is not valid HTTP/1.1 (request line or headers too long, or malformed)"),
                            path),
                    false);
            return;
        }
        ApiRequest apiRequest;
        EndpointTable.Match match;
        try {
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            path = uri.path();
            match = endpoints.resolve(request.method(), path);
            EndpointTable.Access access = match.entry().access();
            boolean forAdmins = access == EndpointTable.Access.ADMIN
                    || access == EndpointTable.Access.AUDITOR
                    || access == EndpointTable.Access.STATISTICS;
            Optional<PartnerId> partner = forAdmins ? Optional.empty() : identify(ctx, access);
            Optional<Administrator> admin = forAdmins ? Optional.of(administrator(ctx, access)) : Optional.empty();
            apiRequest = new ApiRequest(
                    request.method(),
                    path,
                    uri.parameters(),
                    request.headers().copy(),
                    ByteBufUtil.getBytes(request.content()),
                    partner,
                    match.params(),
                    admin);
        } catch (GatewayException e) {
            ApiResponse refusal = endpoints.refusal(Problems.of(e, path), path);
            if (e.code() == ErrorCode.METHOD_NOT_ALLOWED) {
                // RFC 9110 wants a 405 to name, in Allow, the methods that the path accepts.
                refusal = refusal.withHeader("Allow", String.join(", ", endpoints.methodsAt(path)));
            }
            metrics.request("unmatched", refusal.status().code(), 0);
            write(ctx, refusal, keepAlive);
            return;
        } catch (IllegalArgumentException e) {
            // QueryStringDecoder refuses a malformed percent-escape.
            reply(
                    ctx,
                    "invalid",
                    Problems.of(
                            new GatewayException(
                                    ErrorCode.REQUEST_INVALID,
                                    "the request's path or query is not valid (a malformed percent-escape such as %zz?)"),
                            path),
                    keepAlive);
            return;
        }
        String operation = request.method().name() + " " + match.entry().pattern();
        if (apiRequest.caller().isPresent()) {
            Optional<PartnerQuotas.Refusal> refusal =
                    quotas.take(apiRequest.caller().get(), operation.equals("POST /v1/referrals"));
            if (refusal.isPresent()) {
                // Counted in passerelle_rate_limited_total: a line per refusal would let a flood flood the log too.
                log.debug(
                        "Refused {} from {}: {}", operation, apiRequest.caller().get(), ErrorCode.RATE_LIMITED);
                ApiResponse limited = problemResponse(Problems.of(refusal.get().error(), path));
                metrics.request(operation, limited.status().code(), 0);
                write(
                        ctx,
                        new ApiResponse(
                                limited.status(),
                                limited.mediaType(),
                                limited.body(),
                                Map.of(
                                        "Retry-After",
                                        Long.toString(refusal.get().retryAfterSeconds()))),
                        keepAlive);
                return;
            }
        }
        try {
            workers.execute(() -> run(ctx, match.entry().endpoint(), apiRequest, operation, keepAlive));
        } catch (RejectedExecutionException e) {
            reply(ctx, operation, Problems.incident(ErrorCode.UNAVAILABLE, e, path), false);
        }
    }

    /** The MDC keys of a request's log lines: who called, and the referral its path names. */
    public static final String MDC_PARTNER = "partner";

    public static final String MDC_ADMIN = "admin";
    public static final String MDC_REFERRAL = "referral";

    private static final java.util.regex.Pattern REFERRAL_ID = java.util.regex.Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** Runs on a worker thread. */
    private void run(
            ChannelHandlerContext ctx, Endpoint endpoint, ApiRequest request, String operation, boolean keepAlive) {
        long start = System.nanoTime();
        ApiResponse response;
        Error fatal = null;
        // Identifiers only, for the JSON log lines of this request (logging.format: json).
        request.caller().ifPresent(partner -> MDC.put(MDC_PARTNER, partner.value()));
        request.administrator().ifPresent(admin -> MDC.put(MDC_ADMIN, admin.id()));
        // A path's id is whatever the client typed: logged only when it has the shape of a referral id.
        Optional.ofNullable(request.pathParams().get("id"))
                .filter(id -> REFERRAL_ID.matcher(id).matches())
                .ifPresent(id -> MDC.put(MDC_REFERRAL, id));
        try {
            response = endpoint.handle(request);
        } catch (GatewayException e) {
            if (e.code().origin() == ErrorCode.Origin.CLIENT) {
                log.info(
                        "Refused {} from {}: {}",
                        operation,
                        request.caller().map(PartnerId::value).orElse("-"),
                        e.code().code());
            }
            response = endpoints.refusal(Problems.of(e, request.path()), request.path());
        } catch (RuntimeException e) {
            response = endpoints.refusal(Problems.incident(ErrorCode.INTERNAL, e, request.path()), request.path());
        } catch (Error e) {
            // Answer, so that the connection does not hang, then let the error go on its way.
            response = problemResponse(Problems.incident(ErrorCode.INTERNAL, e, request.path()));
            fatal = e;
        } finally {
            MDC.remove(MDC_PARTNER);
            MDC.remove(MDC_ADMIN);
            MDC.remove(MDC_REFERRAL);
        }
        metrics.request(operation, response.status().code(), System.nanoTime() - start);
        write(ctx, response, keepAlive);
        if (fatal != null) {
            throw fatal;
        }
    }

    private Optional<PartnerId> identify(ChannelHandlerContext ctx, EndpointTable.Access access) {
        String fingerprint = ctx.channel().attr(PeerIdentity.FINGERPRINT).get();
        if (fingerprint == null) {
            throw new GatewayException(
                    ErrorCode.CERTIFICATE_MISSING,
                    "no client certificate was presented (expected: the partner's certificate, over mutual TLS)");
        }
        if (access == EndpointTable.Access.ANY_CLIENT) {
            return Optional.empty();
        }
        Partner partner = deployment
                .get()
                .partnerByFingerprint(fingerprint)
                .orElseThrow(() -> new GatewayException(
                        ErrorCode.PARTNER_UNKNOWN,
                        "no partner with certificate fingerprint " + fingerprint
                                + "; ask the gateway's administrator to pin it in the partner's registry entry"));
        if (!partner.enabled()) {
            throw new GatewayException(
                    ErrorCode.PARTNER_DISABLED,
                    "partner " + partner.id()
                            + " is disabled in the registry; ask the gateway's administrator to enable it");
        }
        if (access == EndpointTable.Access.MONITORING && partner.kind() != PartnerKind.MONITORING) {
            throw new GatewayException(
                    ErrorCode.NOT_PERMITTED,
                    "the gateway's metrics are for monitoring partners;" + " " + partner.id() + " is of kind "
                            + partner.kind().code());
        }
        return Optional.of(partner.id());
    }

    /** The administrator whose certificate the peer presented, if its role allows {@code access}. */
    private Administrator administrator(ChannelHandlerContext ctx, EndpointTable.Access access) {
        String fingerprint = ctx.channel().attr(PeerIdentity.FINGERPRINT).get();
        if (fingerprint == null) {
            throw new GatewayException(
                    ErrorCode.CERTIFICATE_MISSING,
                    "no client certificate was presented (expected: an administrator's certificate, over mutual TLS)");
        }
        Administrator admin = deployment
                .get()
                .administratorByFingerprint(fingerprint)
                .orElseThrow(() -> new GatewayException(
                        ErrorCode.NOT_PERMITTED,
                        "the admin API is for administrators; certificate " + fingerprint
                                + " is not pinned in config/admins/"));
        Administrator.Role needed =
                switch (access) {
                    case ADMIN -> Administrator.Role.ADMIN;
                    case STATISTICS -> Administrator.Role.STATISTICS;
                    default -> Administrator.Role.AUDITOR;
                };
        if (admin.role() == Administrator.Role.STATISTICS && !admin.role().covers(needed)) {
            throw new GatewayException(
                    ErrorCode.NOT_PERMITTED,
                    "administrator " + admin.id() + " has role statistics, which may read the statistics only"
                            + " (GET /admin/v1/stats, the console's /console/statistiques); this operation needs role"
                            + " auditor or admin");
        }
        if (!admin.role().covers(needed)) {
            throw new GatewayException(
                    ErrorCode.NOT_PERMITTED,
                    "administrator " + admin.id() + " has role " + admin.role().code()
                            + ", which may only read (expected: role admin)");
        }
        return admin;
    }

    private void reply(ChannelHandlerContext ctx, String operation, Problems.Problem problem, boolean keepAlive) {
        metrics.request(operation, problem.status().code(), 0);
        write(ctx, problemResponse(problem), keepAlive);
    }

    static ApiResponse problemResponse(Problems.Problem problem) {
        return new ApiResponse(problem.status(), Problems.MEDIA_TYPE, Json.bytes(problem.body()), Map.of());
    }

    /** Writes an answer from any thread, then starts the next waiting request or closes. */
    private void write(ChannelHandlerContext ctx, ApiResponse response, boolean keepAlive) {
        FullHttpResponse http = toHttp(response, keepAlive);
        try {
            ctx.channel().eventLoop().execute(() -> {
                var future = ctx.writeAndFlush(http);
                if (!keepAlive || closing) {
                    closing = true;
                    future.addListener(ChannelFutureListener.CLOSE);
                    releaseWaiting();
                    return;
                }
                busy = false;
                FullHttpRequest next = waiting.poll();
                if (next != null) {
                    try {
                        start(ctx, next);
                    } finally {
                        next.release();
                    }
                } else {
                    ctx.channel().config().setAutoRead(true);
                }
            });
        } catch (RejectedExecutionException e) {
            // The event loop has stopped (shutdown): the connection is gone with it.
            http.release();
        }
    }

    private static FullHttpResponse toHttp(ApiResponse response, boolean keepAlive) {
        FullHttpResponse http = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, response.status(), Unpooled.wrappedBuffer(response.body()));
        http.headers().set(HttpHeaderNames.CONTENT_TYPE, response.mediaType());
        http.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        http.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        http.headers().set("X-Content-Type-Options", "nosniff");
        response.headers().forEach(http.headers()::set);
        if (!keepAlive) {
            http.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return http;
    }

    private void releaseWaiting() {
        for (FullHttpRequest request = waiting.poll(); request != null; request = waiting.poll()) {
            request.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releaseWaiting();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // TLS failures and resets are the peer's business: note them without a stack trace, then close.
        log.debug("Closing connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    /**
     * Answers an oversized body with a problem document instead of a bare 413, then stops serving the connection:
     * it keeps reading for a while (the aggregator discards the rest of the body) so that the client, still
     * uploading, gets this answer instead of a reset, then closes.
     */
    public static void tooLarge(ChannelHandlerContext ctx, int maxBodyBytes, String path) {
        ApiHandler api = ctx.pipeline().get(ApiHandler.class);
        if (api != null) {
            api.closing = true;
        }
        ctx.writeAndFlush(toHttp(problemResponse(Problems.of(tooLargeError(maxBodyBytes), path)), false));
        ctx.executor()
                .schedule(
                        () -> {
                            ctx.close();
                        },
                        OVERSIZE_DRAIN_SECONDS,
                        TimeUnit.SECONDS);
    }

    /** The 413 problem document, for the aggregator's {@code Expect: 100-continue} answer as well. */
    public static FullHttpResponse tooLargeResponse(int maxBodyBytes, String path) {
        return toHttp(problemResponse(Problems.of(tooLargeError(maxBodyBytes), path)), false);
    }

    private static GatewayException tooLargeError(int maxBodyBytes) {
        return new GatewayException(
                ErrorCode.BODY_TOO_LARGE,
                "the request body is larger than " + maxBodyBytes + " bytes (expected: at most " + maxBodyBytes
                        + " bytes; a referral is a few kilobytes)");
    }
}
