package fr.passerelle.server.net;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Binds a listener (the partner API's, the receipt links', the management one) and owns its event loops. */
public final class GatewayServer implements AutoCloseable {
    private final EventLoopGroup boss;
    private final EventLoopGroup io;
    private final Channel channel;

    private GatewayServer(EventLoopGroup boss, EventLoopGroup io, Channel channel) {
        this.boss = boss;
        this.io = io;
        this.channel = channel;
    }

    /**
     * @throws GatewayException {@code config_invalid} when the address cannot be bound, naming it
     */
    public static GatewayServer start(String host, int port, GatewayInitializer initializer) {
        return bind(
                "", host, port, 0, 1024, initializer, "server.host and server.port in gateway.yaml, or GATEWAY_PORT");
    }

    /**
     * Binds one listener.
     *
     * @param what      what listens, for messages ("" for the partner API, "for receipt links " ...)
     * @param ioThreads event loop threads, 0 for Netty's default (twice the cores)
     * @param settings  the settings that choose the address, for the message of a failed bind
     * @throws GatewayException {@code config_invalid} when the address cannot be bound, naming it and the settings
     */
    public static GatewayServer bind(
            String what,
            String host,
            int port,
            int ioThreads,
            int backlog,
            ChannelInitializer<SocketChannel> initializer,
            String settings) {
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup io = new MultiThreadIoEventLoopGroup(ioThreads, NioIoHandler.newFactory());
        try {
            Channel channel = new ServerBootstrap()
                    .group(boss, io)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, backlog)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(initializer)
                    .bind(host, port)
                    .sync()
                    .channel();
            return new GatewayServer(boss, io, channel);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdown(boss, io);
            throw new GatewayException(
                    ErrorCode.UNAVAILABLE, "interrupted while binding " + what + host + ":" + port, e);
        } catch (Exception e) {
            // Exception, not RuntimeException: sync() rethrows the bind's java.net.BindException undeclared.
            shutdown(boss, io);
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "cannot listen " + what + "on " + host + ":" + port + ": " + e.getMessage() + " (check " + settings
                            + ")",
                    e);
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** The event loops: the one that accepts, then those that serve the connections. */
    public List<EventExecutor> eventLoops() {
        List<EventExecutor> loops = new ArrayList<>();
        boss.forEach(loops::add);
        io.forEach(loops::add);
        return List.copyOf(loops);
    }

    /** Stops accepting new connections; the open ones go on. */
    public void stopAccepting() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Stops accepting, then closes every connection and the event loops (after a short quiet period). */
    @Override
    public void close() {
        stopAccepting();
        shutdown(boss, io);
    }

    private static void shutdown(EventLoopGroup boss, EventLoopGroup io) {
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        io.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
