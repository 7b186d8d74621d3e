package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.passerelle.core.audit.AuditVerifier;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.testkit.PartnerEndpoint;
import fr.passerelle.core.testkit.TestDatabase;
import fr.passerelle.devkit.DevelopmentDeployment;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.devkit.PartnerHttpsServer;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway instances on one PostgreSQL drain one outbox: each pushes what it claims, and no delivery is
 * claimed twice. The instances differ only in the address they know for the SIAO's endpoint ({@code /a/} or
 * {@code /b/}), so that the endpoint tells which instance delivered.
 */
class TwoInstancesIT {
    static final String SENDER = "association-974-kaz-lespwa";
    static final String SIAO = "siao-974";
    static final int REFERRALS = 40;
    static final Duration DEADLINE = Duration.ofSeconds(40);

    @TempDir
    Path work;

    @Test
    void deliversEachReferralOnceWithBothInstancesTakingPart() throws Exception {
        TestDatabase.Fresh database = TestDatabase.fresh();
        DevelopmentDeployment.Workspace workspace = DevelopmentDeployment.prepare(work, database.env(), config -> {});
        Path configB = work.resolve("config-b");
        copyTree(workspace.config(), configB);
        byte[] sample = Files.readAllBytes(workspace.config().resolve("samples/shelter.request.json"));
        try (PartnerEndpoint siao = PartnerEndpoint.start(
                port -> PartnerHttpsServer.bind(workspace.pki(), work.resolve("endpoint"), "partner-endpoint", port))) {
            pointSiaoAt(workspace.config(), URI.create(siao.url("/a/demandes")));
            pointSiaoAt(configB, URI.create(siao.url("/b/demandes")));
            // On their own files: with configuration versions both would run on the database's one.
            try (Gateway a = Gateway.startOnFiles(workspace.gatewayYaml(), workspace.env());
                    Gateway b = Gateway.startOnFiles(configB.resolve("gateway.yaml"), workspace.env())) {

                Set<String> accepted = submitOverBoth(workspace.pki(), sample, a, b);
                awaitDelivered(siao, database, accepted);

                List<PartnerEndpoint.Received> wire = siao.received();
                Map<Long, Long> posts = wire.stream()
                        .collect(Collectors.groupingBy(
                                received -> Long.parseLong(received.deliveryId()), Collectors.counting()));
                assertThat(posts).as("POSTs per delivery id").hasSize(REFERRALS).allSatisfy((id, count) -> assertThat(
                                count)
                        .as("POSTs of delivery %d", id)
                        .isOne());
                assertThat(wire)
                        .extracting(PartnerEndpoint.Received::referralId)
                        .containsExactlyInAnyOrderElementsOf(accepted);
                Map<String, Long> byInstance = wire.stream()
                        .collect(Collectors.groupingBy(
                                received -> received.path().substring(0, 3), Collectors.counting()));
                assertThat(byInstance).as("deliveries by instance").containsOnlyKeys("/a/", "/b/");
                assertThat(attempts(database)).as("attempts of each delivery").containsOnly(1);
                System.out.printf(
                        "TwoInstancesIT: %d deliveries, %d by instance a, %d by instance b%n",
                        wire.size(), byInstance.get("/a/"), byInstance.get("/b/"));
            }
            AuditVerifier.Verdict verdict = AuditVerifier.verify(
                    database.dataSource(),
                    PemFiles.readCertificates(workspace.pkiResult().gatewaySigningCertificate())
                            .get(0));
            assertThat(verdict.ok()).as(verdict.summary()).isTrue();
        }
    }

    /** Half the referrals to each instance, both at once; the referral ids accepted. */
    private static Set<String> submitOverBoth(Path pki, byte[] sample, Gateway a, Gateway b) throws Exception {
        String template =
                new String(sample, StandardCharsets.UTF_8).replace("\"department\": \"75\"", "\"department\": \"974\"");
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        ExecutorService clients = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Gateway gateway : List.of(a, b)) {
                PartnerClient client =
                        PartnerClient.forPartner(SENDER, pki, URI.create("https://localhost:" + gateway.port()));
                int instance = done.size();
                done.add(clients.submit(() -> {
                    for (int i = 0; i < REFERRALS / 2; i++) {
                        String key = "two-instances-" + instance + "-" + i;
                        PartnerClient.Reply reply = client.post(
                                "/v1/referrals",
                                template.getBytes(StandardCharsets.UTF_8),
                                "application/json",
                                Map.of("Idempotency-Key", key));
                        assertThat(reply.status()).as(reply.text()).isEqualTo(202);
                        accepted.add(
                                Json.MAPPER.readTree(reply.body()).path("id").asText());
                    }
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(accepted).hasSize(REFERRALS);
        return accepted;
    }

    /** Until the SIAO holds every referral and the database no longer lists a delivery as pending. */
    private static void awaitDelivered(PartnerEndpoint siao, TestDatabase.Fresh database, Set<String> accepted) {
        await("every referral delivered")
                .atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> {
                    assertThat(siao.received())
                            .extracting(PartnerEndpoint.Received::referralId)
                            .as("the referrals the SIAO received")
                            .containsAll(accepted);
                    assertThat(attempts(database)).as("the delivery attempts").isNotEmpty();
                    assertThat(pending(database)).as("the deliveries pending").isZero();
                });
    }

    private static void pointSiaoAt(Path config, URI url) {
        TestGateway.edit(
                config.resolve("partners/" + SIAO + ".yaml"),
                yaml -> yaml.replace("url: https://siao-974.example.invalid/passerelle/demandes", "url: " + url));
    }

    private static List<Integer> attempts(TestDatabase.Fresh database) {
        return query(database, "SELECT attempts FROM delivery WHERE state = 'delivered'", rs -> rs.getInt(1));
    }

    private static long pending(TestDatabase.Fresh database) {
        return query(database, "SELECT count(*) FROM delivery WHERE state <> 'delivered'", rs -> rs.getLong(1))
                .get(0);
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static <T> List<T> query(TestDatabase.Fresh database, String sql, Row<T> row) {
        try (Connection c = database.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            List<T> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(row.read(rs));
            }
            return rows;
        } catch (SQLException e) {
            throw new AssertionError("cannot run " + sql, e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            paths.forEach(path -> {
                try {
                    Files.copy(path, to.resolve(from.relativize(path).toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
