package fr.passerelle.server.metrics;

import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.concurrent.EventExecutor;

/**
 * The process's own figures, for the operator's Prometheus on the management listener: the JVM (memory, garbage
 * collection, threads, classes), the processor, uptime and file descriptors, the database connection pool and
 * Netty (buffer memory, tasks waiting on each event loop). Kept apart from {@link GatewayMetrics}, whose figures
 * the domain's monitoring partners also read: what runs the gateway is the operator's business only. No JVM
 * version, host name, URL or path is among them.
 *
 * <p>Thread-safe. {@link #close()} stops listening to the garbage collector.
 */
public final class ProcessMetrics implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public ProcessMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider allocator) {
            new NettyAllocatorMetrics(allocator).bindTo(registry);
        }
    }

    /** What the database pool reports to ({@code hikaricp_connections...}, tagged with the pool's name). */
    public MetricsTrackerFactory connectionPool() {
        return new MicrometerMetricsTrackerFactory(registry);
    }

    /**
     * Shows the tasks waiting on each of a listener's event loops ({@code netty_eventexecutor_tasks_pending}).
     * Starts the loops' threads that have not started yet; call it from outside those loops.
     *
     * @param listener {@code api}, {@code receipt-links}...
     */
    public void watchEventLoops(String listener, Iterable<EventExecutor> loops) {
        new NettyEventExecutorMetrics(loops, Tags.of("listener", listener)).bindTo(registry);
    }

    /** The figures in Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
