package fr.passerelle.tools.bench;

import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.ApiHandler;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.EndpointTable;
import fr.passerelle.server.http.Json;
import fr.passerelle.server.http.PartnerQuotas;
import fr.passerelle.server.metrics.GatewayMetrics;
import fr.passerelle.server.net.GatewayInitializer;
import fr.passerelle.server.net.GatewayServer;
import fr.passerelle.server.tls.ServerTls;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The transport alone: the gateway's own Netty pipeline (mutual TLS, peer identity, HTTP decoding, dispatch to a
 * worker) in front of an endpoint that does nothing but answer 202.
 */
final class TransportCeiling {
    private TransportCeiling() {}

    static double measure(Deployment deployment, Path pki, String sender, byte[] body, int concurrency, double seconds)
            throws InterruptedException {
        GatewaySettings settings = deployment.settings();
        EndpointTable endpoints = EndpointTable.builder()
                .add(
                        HttpMethod.POST,
                        "/v1/referrals",
                        EndpointTable.Access.PARTNER,
                        request -> ApiResponse.json(HttpResponseStatus.ACCEPTED, Json.MAPPER.createObjectNode()))
                .build();
        int workers = settings.limits().workers();
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(workers, workers, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(workers * 8));
        GatewayMetrics metrics = new GatewayMetrics();
        // The bench measures the transport, not the quotas: each run may go as fast as it can.
        GatewaySettings.Quotas unlimited =
                new GatewaySettings.Quotas(100_000, 1_000_000, 100_000, 1_000_000, 100_000_000);
        PartnerQuotas quotas = new PartnerQuotas(id -> unlimited, metrics);
        // Nor the connection caps: every load client connects from this host.
        GatewaySettings.Limits limits = settings.limits();
        GatewaySettings.Limits uncapped = new GatewaySettings.Limits(
                limits.maxBodyBytes(),
                limits.idleTimeout(),
                limits.workers(),
                limits.quotas(),
                new GatewaySettings.ConnectionCaps(100_000, 100_000));
        GatewayInitializer initializer = new GatewayInitializer(
                ServerTls.forServer(settings.tlsCertificate(), settings.tlsKey(), settings.clientCa()),
                uncapped,
                metrics,
                java.time.Clock.systemUTC(),
                () -> new ApiHandler(endpoints, () -> deployment, pool, metrics, quotas));
        try (GatewayServer server = GatewayServer.start("127.0.0.1", 0, initializer)) {
            URI base = URI.create("https://localhost:" + server.port());
            LoadGenerator load = new LoadGenerator(
                    () -> PartnerClient.forPartner(sender, pki, base), "/v1/referrals", body, "application/json", 202);
            return load.run(concurrency, seconds, 0).perSecond();
        } finally {
            pool.shutdownNow();
        }
    }
}
