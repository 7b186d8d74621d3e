package fr.passerelle.server.receipts;

import fr.passerelle.core.receipt.ReceiptLinks;
import fr.passerelle.core.receipt.ReceiptLinks.LinkView;
import fr.passerelle.server.tls.ServerTls;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The pipeline of one connection to the public receipt listener: TLS without client certificate, a read timeout,
 * a deadline for the whole connection (it serves one request), HTTP/1.1 decoding with small limits (forms only),
 * then the receipt link handler.
 */
final class ReceiptLinkInitializer extends ChannelInitializer<SocketChannel> {
    /** Largest request body: the form holds one reason code. */
    static final int MAX_BODY_BYTES = 8 * 1024;

    static final int MAX_INITIAL_LINE = 2048;
    static final int MAX_HEADER_SIZE = 8 * 1024;
    /** A connection that sends nothing for this long is closed. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(20);
    /**
     * A connection is closed this long after it opened, whatever it does: it serves one request, so a client
     * trickling its headers or body byte by byte cannot hold it open.
     */
    static final Duration CONNECTION_DEADLINE = Duration.ofSeconds(60);

    private final SslContext tls;
    private final ReceiptLinks links;
    private final Predicate<LinkView> alive;
    private final AddressLimiter limiter;
    private final MissTally misses;
    private final Executor blockingWork;

    ReceiptLinkInitializer(
            SslContext tls,
            ReceiptLinks links,
            Predicate<LinkView> alive,
            AddressLimiter limiter,
            MissTally misses,
            Executor blockingWork) {
        this.tls = tls;
        this.links = links;
        this.alive = alive;
        this.limiter = limiter;
        this.misses = misses;
        this.blockingWork = blockingWork;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast("deadline", new ConnectionDeadline());
        pipeline.addLast("tls", ServerTls.newHandler(tls, channel.alloc()));
        pipeline.addLast("read-timeout", new ReadTimeoutHandler(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        pipeline.addLast("http", new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, MAX_BODY_BYTES));
        pipeline.addLast("aggregate", new FormAggregator());
        pipeline.addLast("receipts", new ReceiptLinkHandler(links, alive, limiter, misses, blockingWork));
    }

    /** Closes the connection {@link #CONNECTION_DEADLINE} after it became active. */
    static final class ConnectionDeadline extends ChannelInboundHandlerAdapter {
        private ScheduledFuture<?> deadline;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            deadline = ctx.executor()
                    .schedule(
                            () -> {
                                ctx.close();
                            },
                            CONNECTION_DEADLINE.toMillis(),
                            TimeUnit.MILLISECONDS);
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (deadline != null) {
                deadline.cancel(false);
            }
            super.channelInactive(ctx);
        }
    }

    /** Answers an oversized body with a page instead of a bare 413, then closes. */
    static final class FormAggregator extends HttpObjectAggregator {
        FormAggregator() {
            super(MAX_BODY_BYTES, true);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            ctx.writeAndFlush(ReceiptLinkHandler.toHttp(ReceiptPages.tooLarge(MAX_BODY_BYTES)))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }
}
