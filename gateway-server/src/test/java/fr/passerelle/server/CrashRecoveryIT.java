package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import fr.passerelle.core.audit.AuditVerifier;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.testkit.PartnerEndpoint;
import fr.passerelle.core.testkit.TestDatabase;
import fr.passerelle.devkit.DevelopmentDeployment;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.devkit.PartnerHttpsServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway as a process of its own on a PostgreSQL that outlives it: a stream of shelter requests to the SIAO
 * of La Réunion (pushed by HTTPS), a SIGKILL in the middle of the stream with deliveries in flight, a restart on
 * the same database, then a SIGTERM with a delivery in flight. Every accepted referral reaches the SIAO, each
 * delivery id stands for one referral, nothing unaccepted leaves, and the audit log still verifies.
 */
class CrashRecoveryIT {
    static final String SIAO = Submissions.SIAO;
    static final Duration START = Duration.ofSeconds(40);
    static final Duration DEADLINE = Duration.ofSeconds(40);

    @TempDir
    Path work;

    private final List<GatewayProcess> processes = new ArrayList<>();

    private GatewayProcess started(GatewayProcess process) {
        processes.add(process);
        return process;
    }

    @AfterEach
    void stopGateways() {
        processes.forEach(GatewayProcess::close);
    }

    @Test
    void deliversEveryAcceptedReferralOnceAfterAKillAndDrainsOnSigterm() throws Exception {
        assumeThat(System.getProperty("os.name"))
                .as("SIGTERM and SIGKILL from Process.destroy()")
                .doesNotStartWith("Windows");
        TestDatabase.Fresh database = TestDatabase.fresh();
        DevelopmentDeployment.Workspace workspace = workspace(work, database.env());
        // The only instance is killed, then another started: nothing numbers the audit queue in between.
        auditPromise(workspace, FailoverIT.OUTAGE_PROMISE_MS);
        try (PartnerEndpoint siao = siao(work, workspace)) {
            byte[] sample = Files.readAllBytes(workspace.config().resolve("samples/shelter.request.json"));
            Submissions submissions = new Submissions("crash", sample);

            GatewayProcess first = started(
                    GatewayProcess.start(workspace.gatewayYaml(), workspace.env(), work.resolve("first.log"), START));
            submissions.startStream(client(workspace, first), 2);
            first.awaitWhileAlive(
                    "a first few referrals accepted and delivered",
                    DEADLINE,
                    () -> submissions.accepted().size() >= 6 && siao.received().size() >= 3);
            siao.hold();
            first.awaitWhileAlive("a delivery held in flight by the SIAO", DEADLINE, () -> siao.held() >= 1);
            first.kill();
            submissions.stopStream();
            Set<Long> inFlightAtKill = inFlight(database);
            siao.release();

            GatewayProcess second = started(
                    GatewayProcess.start(workspace.gatewayYaml(), workspace.env(), work.resolve("second.log"), START));
            PartnerClient client = client(workspace, second);
            int cut = submissions.retryCut(client);
            Map<String, String> accepted = submissions.accepted();
            Set<String> acceptedIds = new HashSet<>(accepted.values());
            second.awaitWhileAlive(
                    "every accepted referral delivered",
                    DEADLINE,
                    () -> delivered(siao).keySet().containsAll(acceptedIds) && undelivered(database.dataSource()) == 0);

            List<PartnerEndpoint.Received> wire = siao.received();
            Map<String, Set<Long>> deliveries = delivered(siao);
            Map<Long, Set<String>> referralsByDelivery = wire.stream()
                    .collect(Collectors.groupingBy(
                            received -> Long.parseLong(received.deliveryId()),
                            Collectors.mapping(PartnerEndpoint.Received::referralId, Collectors.toSet())));
            assertThat(deliveries.keySet()).as("referrals the SIAO received").isEqualTo(acceptedIds);
            assertThat(deliveries.values()).as("delivery ids of each referral").allSatisfy(ids -> assertThat(ids)
                    .hasSize(1));
            assertThat(referralsByDelivery.values())
                    .as("referrals of each delivery id")
                    .allSatisfy(ids -> assertThat(ids).hasSize(1));
            assertThat(inFlightAtKill)
                    .as("deliveries claimed when the gateway was killed")
                    .isNotEmpty();
            assertThat(referralsByDelivery.keySet())
                    .as("deliveries the SIAO received")
                    .containsAll(inFlightAtKill);
            assertThat(attempts(database, inFlightAtKill))
                    .as("attempts of the deliveries in flight at the kill")
                    .allSatisfy(attempt -> assertThat(attempt).isGreaterThanOrEqualTo(2));
            System.out.printf(
                    Locale.ROOT,
                    "CrashRecoveryIT: %d referrals accepted (%d cut by the kill and sent"
                            + " again), %d deliveries in flight at the kill, %d POSTs on the wire for %d delivery"
                            + " ids%n",
                    accepted.size(),
                    cut,
                    inFlightAtKill.size(),
                    wire.size(),
                    referralsByDelivery.size());

            siao.hold();
            int heldBefore = siao.held();
            String last = submissions.submit(client, "crash-last").orElseThrow();
            second.awaitWhileAlive(
                    "the last referral held in flight by the SIAO", DEADLINE, () -> siao.held() > heldBefore);
            second.terminate();
            Thread.sleep(500);
            siao.release();
            Optional<Integer> exit = second.awaitExit(Duration.ofSeconds(20));

            assertThat(exit)
                    .as("exit code after SIGTERM; output:\n%s", second.tail())
                    .isPresent();
            assertThat(exit.get()).as("exit code after SIGTERM").isIn(0, 143);
            assertThat(second.output()).contains("Passerelle stopped");
            assertThat(undelivered(database.dataSource()))
                    .as("deliveries left undelivered after SIGTERM")
                    .isZero();
            assertThat(delivered(siao)).containsKey(last);
            AuditVerifier.Verdict verdict = AuditVerifier.verify(
                    database.dataSource(),
                    PemFiles.readCertificates(workspace.pkiResult().gatewaySigningCertificate())
                            .get(0));
            assertThat(verdict.ok()).as(verdict.summary()).isTrue();
        }
    }

    /** The development deployment on {@code databaseEnv}, with {@link #shortLeases}. */
    static DevelopmentDeployment.Workspace workspace(Path work, Map<String, String> databaseEnv) {
        return DevelopmentDeployment.prepare(
                work,
                databaseEnv,
                config -> TestGateway.edit(
                        config.resolve("gateway.yaml"), yaml -> TestGateway.auditPromise(shortLeases(yaml))));
    }

    /** Sets the workspace's {@code audit.max_merge_delay_ms}. */
    static void auditPromise(DevelopmentDeployment.Workspace workspace, int millis) {
        TestGateway.edit(
                workspace.gatewayYaml(), yaml -> yaml.replaceAll("(?m)^(  max_merge_delay_ms:) .*$", "$1 " + millis));
    }

    /** The SIAO's HTTPS endpoint, started, and the SIAO's partner file pointed at it. */
    static PartnerEndpoint siao(Path work, DevelopmentDeployment.Workspace workspace) throws IOException {
        PartnerEndpoint siao = PartnerEndpoint.start(
                port -> PartnerHttpsServer.bind(workspace.pki(), work.resolve("endpoint"), "partner-endpoint", port));
        TestGateway.edit(
                workspace.config().resolve("partners/" + SIAO + ".yaml"),
                yaml -> yaml.replace(
                        "url: https://siao-974.example.invalid/passerelle/demandes",
                        "url: " + siao.url("/passerelle/demandes")));
        return siao;
    }

    /** A lease the test can wait for, retries within seconds, and transport timeouts within the lease. */
    static String shortLeases(String yaml) {
        String edited = yaml.replace("  lease_seconds: 360", "  lease_seconds: 5")
                .replace("  first_retry_seconds: 5", "  first_retry_seconds: 1")
                .replace("  max_retry_seconds: 3600", "  max_retry_seconds: 2")
                .replace(
                        "    connect_timeout_seconds: 5\n    request_timeout_seconds: 30",
                        "    connect_timeout_seconds: 1\n    request_timeout_seconds: 3");
        assertThat(edited).contains("lease_seconds: 5", "max_retry_seconds: 2", "request_timeout_seconds: 3");
        return edited;
    }

    static PartnerClient client(DevelopmentDeployment.Workspace workspace, GatewayProcess gateway) {
        return PartnerClient.forPartner(Submissions.SENDER, workspace.pki(), gateway.base());
    }

    /** The delivery ids the SIAO received, by referral id. */
    static Map<String, Set<Long>> delivered(PartnerEndpoint siao) {
        return siao.received().stream()
                .collect(Collectors.groupingBy(
                        PartnerEndpoint.Received::referralId,
                        Collectors.mapping(received -> Long.parseLong(received.deliveryId()), Collectors.toSet())));
    }

    /** Deliveries that a worker had claimed and not finished. */
    private static Set<Long> inFlight(TestDatabase.Fresh database) throws SQLException {
        Set<Long> ids = new HashSet<>();
        try (Connection c = database.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT id FROM delivery WHERE state = 'pending'" + " AND lease_until IS NOT NULL")) {
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    private static List<Integer> attempts(TestDatabase.Fresh database, Set<Long> deliveries) throws SQLException {
        List<Integer> attempts = new ArrayList<>();
        try (Connection c = database.dataSource().getConnection();
                PreparedStatement select = c.prepareStatement("SELECT attempts FROM delivery WHERE id = ANY (?)")) {
            select.setArray(1, c.createArrayOf("bigint", deliveries.toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    attempts.add(rs.getInt(1));
                }
            }
        }
        assertThat(attempts).hasSameSizeAs(deliveries);
        return attempts;
    }

    static long undelivered(DataSource database) {
        try (Connection c = database.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM delivery WHERE state <> 'delivered'")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError("cannot count undelivered deliveries", e);
        }
    }
}
