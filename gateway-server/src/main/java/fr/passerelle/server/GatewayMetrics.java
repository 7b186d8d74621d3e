package fr.passerelle.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's metrics in Prometheus format. Labels hold operations, statuses, types and outcomes only: never a
 * referral id, a partner's payload or anything about a person.
 */
public final class GatewayMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public void request(String operation, int status, long nanos) {
        Timer.builder("passerelle.http.requests")
                .description("HTTP requests by operation and status")
                .tag("operation", operation)
                .tag("status", Integer.toString(status))
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    public void submission(String type, String outcome) {
        Counter.builder("passerelle.submissions")
                .description("Referral submissions by type and outcome")
                .tag("type", type)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    /** One attempt to push a delivery, by transport and outcome (delivered, retryable, permanent). */
    public void delivery(String transport, String outcome) {
        Counter.builder("passerelle.deliveries")
                .description("Attempts to push deliveries, by transport and outcome")
                .tag("transport", transport)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    public String scrape() {
        return registry.scrape();
    }
}
