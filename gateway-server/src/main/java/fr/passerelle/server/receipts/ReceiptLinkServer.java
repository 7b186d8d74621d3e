package fr.passerelle.server.receipts;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.store.ReceiptLinks;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The public receipt listener: HTTPS with the gateway's server certificate and no client certificate, serving
 * {@code /v1/receipts/{token}} to the people who open the links of a secure mail. Owns its event loops; the
 * database work runs on the executor the caller gives (and still owns).
 */
public final class ReceiptLinkServer implements AutoCloseable {
    /** Event loop threads: the listener serves a few people, not the partners' systems. */
    static final int IO_THREADS = 2;

    private final EventLoopGroup boss;
    private final EventLoopGroup io;
    private final Channel channel;

    private ReceiptLinkServer(EventLoopGroup boss, EventLoopGroup io, Channel channel) {
        this.boss = boss;
        this.io = io;
        this.channel = channel;
    }

    /**
     * Binds the listener.
     *
     * @param port         0 for a free port (see {@link #port()})
     * @param tls          a context without client authentication, such as {@code ServerTls.forPublic}
     * @param blockingWork runs the database work; a full or stopped executor gets a 503 page
     * @throws GatewayException {@code config_invalid} when the address cannot be bound, naming it
     */
    public static ReceiptLinkServer start(String host, int port, SslContext tls, ReceiptLinks links,
                                          Executor blockingWork) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(links, "links");
        Objects.requireNonNull(blockingWork, "blockingWork");
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup io = new MultiThreadIoEventLoopGroup(IO_THREADS, NioIoHandler.newFactory());
        try {
            Channel channel = new ServerBootstrap()
                    .group(boss, io)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 128)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ReceiptLinkInitializer(tls, links, blockingWork))
                    .bind(host, port).sync().channel();
            return new ReceiptLinkServer(boss, io, channel);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdown(boss, io);
            throw new GatewayException(ErrorCode.UNAVAILABLE, "interrupted while binding the receipt listener on "
                    + host + ":" + port, e);
        } catch (RuntimeException e) {
            shutdown(boss, io);
            throw new GatewayException(ErrorCode.CONFIG_INVALID, "cannot listen for receipt links on " + host + ":"
                    + port + ": " + e.getMessage() + " (check receipt_links.host and receipt_links.port in"
                    + " gateway.yaml)", e);
        }
    }

    /** The bound port. */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Stops accepting, then closes every connection and the event loops. */
    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        shutdown(boss, io);
    }

    private static void shutdown(EventLoopGroup boss, EventLoopGroup io) {
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        io.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
