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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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
import java.util.concurrent.atomic.AtomicReference;
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
 * of the stream, then the one that holds it. Every referral answered 202, by any instance, is in the database once
 * and reaches the SIAO under one delivery id; the survivor takes the sequencing over and covers every entry queued
 * after the leader's death by a signed tree head within twice the promised merge delay; the audit log verifies from
 * the command line.
 */
class ScaleOutIT {
    static final int INSTANCES = 3;
    static final Duration START = Duration.ofSeconds(60);
    static final Duration DEADLINE = Duration.ofSeconds(40);
    /** Referrals each instance accepts before the first kill. */
    static final int BEFORE_KILL = 5;
    /** Referrals the survivors accept after each kill. */
    static final int AFTER_KILL = 20;
    /** {@code audit.max_merge_delay_ms} of the test's gateway.yaml: the tests' promise (see TestGateway). */
    static final Duration PROMISE = Duration.ofMillis(TestGateway.AUDIT_PROMISE_MS);
    /** The column of {@code audit_queue} that holds when the entry was queued. */
    static final String QUEUED_AT = "at";

    @TempDir
    Path work;

    private final List<GatewayProcess> processes = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopGateways() {
        processes.forEach(GatewayProcess::close);
    }

    @Test
    void keepsEveryReferralAndTheMergeDelayWhenAnInstanceThenTheSequencerLeaderAreKilled() throws Exception {
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
        GatewayProcess leader = awaitLeader(database, gateways);

        GatewayProcess follower = gateways.stream()
                .filter(gateway -> gateway != leader)
                .findFirst()
                .orElseThrow();
        follower.kill();
        List<GatewayProcess> survivors = new ArrayList<>(gateways);
        survivors.remove(follower);
        int atKill = submissions.accepted().size();
        awaitWhileAlive(
                survivors,
                "referrals accepted after an instance was killed",
                () -> submissions.accepted().size() >= atKill + AFTER_KILL);

        leader.kill();
        // The instances run on this machine: its clock stamps their queued entries.
        Instant leaderKilled = Instant.now();
        survivors.remove(leader);
        awaitLeader(database, survivors);
        int atLeaderKill = submissions.accepted().size();
        awaitWhileAlive(
                survivors,
                "referrals accepted after the sequencer's leader was killed",
                () -> submissions.accepted().size() >= atLeaderKill + AFTER_KILL);

        submissions.stopStream();
        Map<String, String> accepted = submissions.accepted();
        assertDeliveredOnce(database, siao, survivors, accepted);
        awaitWhileAlive(
                survivors, "every queued audit entry numbered under a signed head", () -> unsigned(database) == 0);
        MergeDelay delay = mergeDelaySince(database, leaderKilled);
        assertThat(delay.entries())
                .as("audit entries queued after the leader was killed")
                .isPositive();
        assertThat(delay.longest())
                .as("longest merge delay of the %d entries queued after the leader was killed", delay.entries())
                .isLessThanOrEqualTo(PROMISE.multipliedBy(2));
        assertThat(survivors).as("instances not killed").allMatch(GatewayProcess::isAlive);
        FailoverIT.assertAuditVerifies(workspace);
        System.out.printf(
                Locale.ROOT,
                "ScaleOutIT: %d referrals accepted by %d instances (%s by instance), %d after the first kill (%d"
                        + " after the leader's); %d submissions failed and were sent again with their key; longest"
                        + " merge delay after the takeover %d ms over %d entries%n",
                accepted.size(),
                INSTANCES,
                clients.stream()
                        .map(client -> Integer.toString(submissions.acceptedBy(client)))
                        .collect(Collectors.joining("+")),
                accepted.size() - atKill,
                accepted.size() - atLeaderKill,
                submissions.failures(),
                delay.longest().toMillis(),
                delay.entries());
    }

    /** Every referral answered 202 is in the database once and reached the SIAO under one delivery id. */
    private static void assertDeliveredOnce(
            DataSource database, PartnerEndpoint siao, List<GatewayProcess> survivors, Map<String, String> accepted)
            throws SQLException {
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

    /** The instance of {@code candidates} that holds the sequencer's lock, once one does. */
    private static GatewayProcess awaitLeader(DataSource database, List<GatewayProcess> candidates) {
        AtomicReference<GatewayProcess> leader = new AtomicReference<>();
        awaitWhileAlive(candidates, "one of the instances " + pids(candidates) + " leading the audit sequencer", () -> {
            Optional<Long> pid = sequencerLeader(database);
            candidates.stream()
                    .filter(gateway -> pid.equals(Optional.of(gateway.pid())))
                    .findFirst()
                    .ifPresent(leader::set);
            return leader.get() != null;
        });
        return leader.get();
    }

    private static List<Long> pids(List<GatewayProcess> gateways) {
        return gateways.stream().map(GatewayProcess::pid).toList();
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

    /** Queued audit entries not yet in the log, or in it but under no signed tree head yet. */
    private static long unsigned(DataSource database) throws SQLException {
        try (Connection c = database.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM audit_queue q WHERE NOT EXISTS (SELECT 1 FROM"
                        + " audit_entry e JOIN audit_tree_head h ON h.size >= e.seq WHERE e.queue_id = q.id)")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * @param entries the audit entries queued after {@code since}
     * @param longest the longest of their merge delays: from the entry's queueing to the first signed tree head that
     *                covers it
     */
    private record MergeDelay(long entries, Duration longest) {}

    private static MergeDelay mergeDelaySince(DataSource database, Instant since) throws SQLException {
        try (Connection c = database.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT count(*), coalesce(max(extract(epoch FROM"
                        + " (SELECT min(h.signed_at) FROM audit_tree_head h WHERE h.size >= e.seq) - q." + QUEUED_AT
                        + ")) * 1000, 0)::bigint FROM audit_queue q JOIN audit_entry e ON e.queue_id = q.id"
                        + " WHERE q." + QUEUED_AT + " > ?")) {
            select.setObject(1, since.atOffset(ZoneOffset.UTC));
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return new MergeDelay(rs.getLong(1), Duration.ofMillis(rs.getLong(2)));
            }
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
