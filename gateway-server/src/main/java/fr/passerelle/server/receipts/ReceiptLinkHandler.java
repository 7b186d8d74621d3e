package fr.passerelle.server.receipts;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.receipt.ReceiptLinks;
import fr.passerelle.core.receipt.ReceiptLinks.LinkView;
import fr.passerelle.core.receipt.ReceiptLinks.Redeemed;
import fr.passerelle.core.receipt.ReceiptLinks.Result;
import fr.passerelle.core.referral.DeclineReason;
import fr.passerelle.core.referral.ReceiptStatus;
import fr.passerelle.server.receipts.ReceiptForm.Read;
import fr.passerelle.server.receipts.ReceiptForm.Refused;
import fr.passerelle.server.receipts.ReceiptPages.Page;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/receipts/{token}} shows what the link records, without using it (mail scanners and link
 * previewers fetch URLs); {@code POST} with the page's form uses it. The database work runs on the blocking
 * executor, never on the event loop. One request per connection: each answer closes it, and anything the client
 * sent after its first request is ignored. Logs name the referral and the outcome, never the token or the URL.
 *
 * <p>Each request first takes from its address's bucket ({@link AddressLimiter}: 429 with {@code Retry-After} when
 * empty). A link that {@link LinkLiveness} finds dead gets the same page whatever the reason. Unknown and dead links
 * and refused requests are counted ({@link MissTally}), not logged one by one.
 */
final class ReceiptLinkHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(ReceiptLinkHandler.class);

    /** The HSTS header of every answer: browsers that opened one link over HTTPS never try HTTP for a year. */
    static final String HSTS = "max-age=31536000";

    private final ReceiptLinks links;
    private final Predicate<LinkView> alive;
    private final AddressLimiter limiter;
    private final MissTally misses;
    private final Executor blockingWork;
    private boolean answered;

    ReceiptLinkHandler(
            ReceiptLinks links,
            Predicate<LinkView> alive,
            AddressLimiter limiter,
            MissTally misses,
            Executor blockingWork) {
        this.links = links;
        this.alive = alive;
        this.limiter = limiter;
        this.misses = misses;
        this.blockingWork = blockingWork;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (answered) {
            return;
        }
        answered = true;
        ctx.channel().config().setAutoRead(false);
        OptionalLong retryAfter = ctx.channel().remoteAddress() instanceof InetSocketAddress remote
                ? limiter.take(remote.getAddress())
                : OptionalLong.empty();
        if (retryAfter.isPresent()) {
            misses.limited();
            FullHttpResponse response = toHttp(ReceiptPages.tooMany(retryAfter.getAsLong()));
            response.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfter.getAsLong());
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (request.decoderResult().isFailure()) {
            write(ctx, ReceiptPages.badRequest("La demande n'est pas une requête HTTP valide."));
            return;
        }
        Optional<String> token = token(request.uri());
        if (token.isEmpty()) {
            write(ctx, ReceiptPages.notFound());
            return;
        }
        if (request.method().equals(HttpMethod.GET)) {
            run(ctx, () -> show(token.get()));
        } else if (request.method().equals(HttpMethod.POST)) {
            Optional<String> contentType = Optional.ofNullable(request.headers().get(HttpHeaderNames.CONTENT_TYPE));
            byte[] bytes = new byte[request.content().readableBytes()];
            request.content().getBytes(request.content().readerIndex(), bytes);
            // A few KiB at most (the aggregator's limit): read here, but used only if the link turns out usable.
            ReceiptForm.Result form = ReceiptForm.read(contentType, bytes);
            if (form instanceof Refused refused && refused.problem() == ReceiptForm.Problem.NOT_UTF8) {
                write(ctx, refused.page());
                return;
            }
            run(ctx, () -> submit(token.get(), form));
        } else {
            FullHttpResponse response = toHttp(ReceiptPages.methodNotAllowed());
            response.headers().set(HttpHeaderNames.ALLOW, "GET, POST");
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The token of {@code /v1/receipts/{token}}; empty for any other path. */
    private static Optional<String> token(String uri) {
        String path;
        try {
            path = new QueryStringDecoder(uri).path();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!path.startsWith(ReceiptLinks.PATH)) {
            return Optional.empty();
        }
        String token = path.substring(ReceiptLinks.PATH.length());
        return token.isEmpty() || token.contains("/") ? Optional.empty() : Optional.of(token);
    }

    /** Runs on the blocking executor. */
    private Page show(String token) {
        Optional<LinkView> found = links.look(token);
        if (found.isEmpty()) {
            misses.unknown();
            return ReceiptPages.notFound();
        }
        LinkView link = found.get();
        if (!alive.test(link)) {
            misses.dead();
            return ReceiptPages.dead();
        }
        Page page;
        String outcome;
        if (link.used()) {
            page = ReceiptPages.alreadyUsed(link);
            outcome = "already used";
        } else if (link.expired()) {
            page = ReceiptPages.expired(link);
            outcome = "expired";
        } else if (!allowed(link)) {
            page = ReceiptPages.notAllowed(link);
            outcome = "not allowed from '" + link.copy() + "'";
        } else {
            page = ReceiptPages.form(link);
            outcome = "shown";
        }
        log.info(
                "Receipt link '{}' for referral {} to {}: page {}",
                link.status(),
                link.referralId(),
                link.recipient(),
                outcome);
        return page;
    }

    /** Runs on the blocking executor. */
    private Page submit(String token, ReceiptForm.Result form) {
        Optional<LinkView> found = links.look(token);
        if (found.isEmpty()) {
            misses.unknown();
            return ReceiptPages.notFound();
        }
        LinkView link = found.get();
        if (!alive.test(link)) {
            misses.dead();
            return ReceiptPages.dead();
        }
        Optional<DeclineReason> reason = Optional.empty();
        // A used or expired link gets its own page whatever the form says: redeem tells which.
        if (link.usable()) {
            if (form instanceof Refused refused) {
                log.info(
                        "Receipt link '{}' for referral {} to {}: refused form ({})",
                        link.status(),
                        link.referralId(),
                        link.recipient(),
                        refused.problem().note());
                return refused.page(link);
            }
            reason = ((Read) form).reason();
            if (link.status() == ReceiptStatus.DECLINED && reason.isEmpty()) {
                log.info(
                        "Receipt link 'declined' for referral {} to {}: refused, no reason",
                        link.referralId(),
                        link.recipient());
                return ReceiptPages.form(link, Optional.of("Choisissez un motif de refus dans la liste."));
            }
            if (link.status() != ReceiptStatus.DECLINED && reason.isPresent()) {
                log.info(
                        "Receipt link '{}' for referral {} to {}: refused, a reason given",
                        link.status(),
                        link.referralId(),
                        link.recipient());
                return ReceiptPages.badRequest("Ce lien n'accepte pas de motif : seul un refus en prend un.");
            }
        }
        Redeemed redeemed;
        try {
            // Checked again under the link's lock: a partner disabled or a referral cancelled since the look-up.
            redeemed = links.redeem(token, reason, alive);
        } catch (GatewayException e) {
            if (e.code() == ErrorCode.NOT_FOUND) {
                misses.unknown();
                return ReceiptPages.notFound();
            }
            if (e.code() == ErrorCode.RECEIPT_INVALID) {
                LinkView now = links.look(token).orElse(link);
                log.info(
                        "Receipt link '{}' for referral {} to {}: refused, the copy is '{}'",
                        link.status(),
                        link.referralId(),
                        link.recipient(),
                        now.copy());
                return ReceiptPages.notAllowed(now);
            }
            throw e;
        }
        LinkView used = redeemed.link();
        if (redeemed.result() == Result.DEAD) {
            misses.dead();
            return ReceiptPages.dead();
        }
        log.info(
                "Receipt link '{}' for referral {} to {}: {}",
                used.status(),
                used.referralId(),
                used.recipient(),
                redeemed.result().name().toLowerCase(Locale.ROOT).replace('_', ' '));
        return switch (redeemed.result()) {
            case RECORDED -> ReceiptPages.recorded(used, reason);
            case ALREADY_USED -> ReceiptPages.alreadyUsed(used);
            case EXPIRED -> ReceiptPages.expired(used);
            case DEAD -> ReceiptPages.dead();
        };
    }

    private static boolean allowed(LinkView link) {
        return link.copy() == link.status().resultingState()
                || link.status().allowedFrom().contains(link.copy());
    }

    private void run(ChannelHandlerContext ctx, Supplier<Page> work) {
        try {
            blockingWork.execute(() -> write(ctx, pageOf(work)));
        } catch (RejectedExecutionException e) {
            log.warn("Receipt link request refused: the blocking executor is full or stopped");
            write(ctx, ReceiptPages.unavailable());
        }
    }

    private static Page pageOf(Supplier<Page> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            String incident = UUID.randomUUID().toString();
            log.error("Receipt link request failed, incident {}", incident, e);
            return ReceiptPages.failed(incident);
        }
    }

    /** Writes a page from any thread, then closes the connection. */
    private static void write(ChannelHandlerContext ctx, Page page) {
        ctx.writeAndFlush(toHttp(page)).addListener(ChannelFutureListener.CLOSE);
    }

    static FullHttpResponse toHttp(Page page) {
        byte[] body = page.html().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse http =
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, page.status(), Unpooled.wrappedBuffer(body));
        http.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
        http.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        http.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        http.headers().set("Strict-Transport-Security", HSTS);
        http.headers().set("Referrer-Policy", "no-referrer");
        http.headers().set("X-Content-Type-Options", "nosniff");
        http.headers().set("X-Frame-Options", "DENY");
        http.headers().set("Content-Security-Policy", ReceiptPages.CONTENT_SECURITY_POLICY);
        http.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return http;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // TLS failures, resets and read timeouts are the peer's business: note the kind only, then close.
        log.debug(
                "Closing a receipt link connection from {}: {}",
                ctx.channel().remoteAddress(),
                cause.getClass().getSimpleName());
        ctx.close();
    }
}
