package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import fr.passerelle.core.testkit.PartnerEndpoint;
import fr.passerelle.core.testkit.TestDatabase;
import fr.passerelle.devkit.DevelopmentDeployment;
import fr.passerelle.devkit.PartnerClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
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
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three gateway processes on one PostgreSQL, under a stream of shelter requests spread over the three as a load
 * balancer spreads them: an instance that does not hold the audit sequencer's lock is killed (SIGKILL) in the middle
 * of the stream. Every referral answered 202, by any instance, is in the database once and reaches the SIAO, each
 * under one delivery id, and the audit log verifies from the command line.
 */
class ScaleOutIT {
    static final int INSTANCES = 3;
    static final Duration START = Duration.ofSeconds(60);
    static final Duration DEADLINE = Duration.ofSeconds(40);
    /** Referrals each instance accepts before the first kill, and the survivors after it. */
    static final int BEFORE_KILL = 10;

    static final int AFTER_KILL = 30;

    @TempDir
    Path work;

    private final List<GatewayProcess> processes = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopGateways() {
        processes.forEach(GatewayProcess::close);
    }

    @Test
    void keepsEveryAcceptedReferralWhenAnInstanceIsKilled() throws Exception {
        assumeThat(System.getProperty("os.name"))
                .as("SIGKILL from Process.destroyForcibly()")
                .doesNotStartWith("Windows");
        TestDatabase.Fresh database = TestDatabase.fresh();
        DevelopmentDeployment.Workspace workspace = CrashRecoveryIT.workspace(work, database.env());
        try (PartnerEndpoint siao = CrashRecoveryIT.siao(work, workspace)) {
            Submissions submissions = new Submissions(
                    "scale", Files.readAllBytes(workspace.config().resolve("samples/shelter.request.json")));
            List<GatewayProcess> gateways = startInParallel(workspace);
            try {
                scaleOut(database.dataSource(), workspace, siao, submissions, gateways);
            } finally {
                submissions.abandon();
            }
        }
    }

    private static void scaleOut(
            DataSource database,
            DevelopmentDeployment.Workspace workspace,
            PartnerEndpoint siao,
            Submissions submissions,
            List<GatewayProcess> gateways)
            throws Exception {
        List<PartnerClient> clients = gateways.stream()
                .map(gateway -> CrashRecoveryIT.client(workspace, gateway))
                .toList();
        submissions.startRetryingStream(clients, INSTANCES);
        awaitWhileAlive(gateways, "referrals accepted by each instance", () -> clients.stream()
                .allMatch(client -> submissions.acceptedBy(client) >= BEFORE_KILL));

        Optional<Long> leader = sequencerLeader(database);
        GatewayProcess victim = gateways.stream()
                .filter(gateway -> leader.map(pid -> pid != gateway.pid()).orElse(true))
                .reduce((first, second) -> second)
                .orElseThrow();
        victim.kill();
        List<GatewayProcess> survivors = new ArrayList<>(gateways);
        survivors.remove(victim);
        int atKill = submissions.accepted().size();
        awaitWhileAlive(
                survivors,
                "referrals accepted after an instance was killed",
                () -> submissions.accepted().size() >= atKill + AFTER_KILL);

        submissions.stopStream();
        Map<String, String> accepted = submissions.accepted();
        Set<String> acceptedIds = new HashSet<>(accepted.values());
        awaitWhileAlive(
                survivors,
                "every accepted referral delivered",
                () -> CrashRecoveryIT.delivered(siao).keySet().containsAll(acceptedIds)
                        && CrashRecoveryIT.undelivered(database) == 0);

        Map<String, Long> stored = FailoverIT.referralsOf(database, Submissions.SENDER);
        assertThat(acceptedIds).as("referral ids answered 202").hasSameSizeAs(accepted.keySet());
        assertThat(stored.keySet()).as("referrals in the database").containsExactlyInAnyOrderElementsOf(acceptedIds);
        assertThat(stored.values()).as("rows per referral").containsOnly(1L);
        Map<String, Set<Long>> deliveries = CrashRecoveryIT.delivered(siao);
        assertThat(deliveries.keySet()).as("referrals the SIAO received").isEqualTo(acceptedIds);
        assertThat(deliveries.values()).as("delivery ids of each referral").allSatisfy(ids -> assertThat(ids)
                .hasSize(1));
        assertThat(survivors).as("instances not killed").allMatch(GatewayProcess::isAlive);
        FailoverIT.assertAuditVerifies(workspace);
        System.out.printf(
                Locale.ROOT,
                "ScaleOutIT: %d referrals accepted by %d instances (%s by instance), %d after the kill; %d"
                        + " submissions failed and were sent again with their key%n",
                accepted.size(),
                INSTANCES,
                clients.stream()
                        .map(client -> Integer.toString(submissions.acceptedBy(client)))
                        .collect(Collectors.joining("+")),
                accepted.size() - atKill,
                submissions.failures());
    }

    /** The instances, started at once: each waits for the others' migrations and configuration, as in production. */
    private List<GatewayProcess> startInParallel(DevelopmentDeployment.Workspace workspace) {
        List<CompletableFuture<GatewayProcess>> starting = new ArrayList<>();
        for (int i = 0; i < INSTANCES; i++) {
            Path log = work.resolve("instance-" + i + ".log");
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    GatewayProcess process = GatewayProcess.start(workspace.gatewayYaml(), workspace.env(), log, START);
                    processes.add(process);
                    return process;
                } catch (Exception e) {
                    throw new AssertionError("cannot start " + log.getFileName(), e);
                }
            }));
        }
        return starting.stream().map(CompletableFuture::join).toList();
    }

    /**
     * The pid of the gateway process whose sequencer connection ({@code application_name} {@code
     * passerelle-sequencer-<pid>}) holds the advisory lock; empty while no instance holds it.
     */
    static Optional<Long> sequencerLeader(DataSource database) throws SQLException {
        try (Connection c = database.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a"
                        + " ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted"
                        + " AND a.application_name LIKE 'passerelle-sequencer-%'")) {
            Optional<Long> leader = Optional.empty();
            while (rs.next()) {
                assertThat(leader).as("sessions holding the sequencer's lock").isEmpty();
                leader = Optional.of(Long.parseLong(rs.getString(1).substring("passerelle-sequencer-".length())));
            }
            return leader;
        }
    }

    /** Waits until {@code condition} holds, failing at once, with its output, if one of {@code running} exits. */
    private static void awaitWhileAlive(List<GatewayProcess> running, String what, Callable<Boolean> condition) {
        try {
            await(what)
                    .atMost(DEADLINE)
                    .pollInterval(Duration.ofMillis(50))
                    .failFast("an instance exited", () -> !running.stream().allMatch(GatewayProcess::isAlive))
                    .until(condition);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            String outputs = running.stream()
                    .map(gateway -> "instance " + gateway.pid() + ":\n" + gateway.tail())
                    .collect(Collectors.joining("\n"));
            throw new AssertionError(e.getMessage() + "; output of the instances:\n" + outputs, e);
        }
    }
}
