package fr.passerelle.server.api;

import fr.passerelle.core.config.CertificateExpiry;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.versions.LiveDeployment;
import fr.passerelle.core.exchange.Exchange;
import fr.passerelle.server.http.EndpointTable;
import fr.passerelle.server.http.EndpointTable.Access;
import fr.passerelle.server.metrics.GatewayMetrics;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The partner API's table, {@code /v1/}: submissions, status, receipts, inbox and audit proofs for the partners;
 * tree heads and metrics for monitoring; health for any client with a certificate.
 */
public final class PartnerApi {
    private PartnerApi() {}

    /** Adds the partner, monitoring and health operations to {@code table}. */
    public static void register(
            EndpointTable.Builder table,
            Exchange exchange,
            DataSource dataSource,
            LiveDeployment live,
            GatewayMetrics metrics,
            Clock clock) {
        table.add(HttpMethod.POST, "/v1/referrals", Access.PARTNER, new SubmitEndpoint(exchange, metrics))
                .add(HttpMethod.GET, "/v1/referrals/{id}", Access.PARTNER, new StatusEndpoint(exchange))
                .add(HttpMethod.POST, "/v1/referrals/{id}/receipts", Access.PARTNER, new ReceiptEndpoint(exchange))
                .add(
                        HttpMethod.GET,
                        "/v1/referrals/{id}/audit-proof",
                        Access.PARTNER,
                        new AuditProofEndpoint(exchange, dataSource))
                .add(HttpMethod.GET, "/v1/audit/tree-heads", Access.MONITORING, TreeHeadsEndpoint.list(dataSource))
                .add(
                        HttpMethod.GET,
                        "/v1/audit/consistency",
                        Access.MONITORING,
                        TreeHeadsEndpoint.consistency(dataSource))
                .add(HttpMethod.GET, "/v1/inbox", Access.PARTNER, new InboxEndpoint(exchange))
                .add(HttpMethod.GET, "/v1/inbox/{cursor}", Access.PARTNER, new InboxItemEndpoint(exchange))
                .add(
                        HttpMethod.GET,
                        "/v1/health",
                        Access.ANY_CLIENT,
                        new HealthEndpoint(dataSource, expiringCertificates(live, clock), live))
                .add(HttpMethod.GET, "/metrics", Access.MONITORING, new MetricsEndpoint(metrics));
    }

    /**
     * Certificates that expire within 30 days, read again at most once an hour: health checks come often, and
     * the answer changes by the day.
     */
    static Supplier<List<String>> expiringCertificates(LiveDeployment live, Clock clock) {
        AtomicReference<List<String>> cached = new AtomicReference<>();
        AtomicLong readAt = new AtomicLong();
        AtomicReference<Deployment> readOn = new AtomicReference<>();
        return () -> {
            long now = clock.millis();
            Deployment deployment = live.get();
            if (cached.get() == null || readOn.get() != deployment || now - readAt.get() > TimeUnit.HOURS.toMillis(1)) {
                cached.set(CertificateExpiry.expiringWithin(deployment, CertificateExpiry.WARNING_WINDOW, clock));
                readAt.set(now);
                readOn.set(deployment);
            }
            return cached.get();
        };
    }
}
