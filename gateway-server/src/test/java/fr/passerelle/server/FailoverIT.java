package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import fr.passerelle.core.testkit.PartnerEndpoint;
import fr.passerelle.devkit.DevelopmentDeployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway as a process of its own on a primary and its synchronous streaming standby, through a multi-host url
 * with {@code targetServerType=primary}: under a stream of shelter requests the primary is killed (SIGKILL) and the
 * standby promoted. The same gateway process takes submissions again by itself, every referral it answered 202 for,
 * before and after, is on the new primary once, every one reaches the SIAO, and the audit log verifies from the
 * command line.
 */
class FailoverIT {
    static final Duration START = Duration.ofSeconds(40);
    static final Duration DEADLINE = Duration.ofSeconds(40);
    /** The audit promise of a test that stops every sequencer for seconds: longer than that outage. */
    static final int OUTAGE_PROMISE_MS = 60_000;
    /** The url's timeouts that docs/DATABASE.md asks an operator for. */
    static final String TIMEOUTS = "&connectTimeout=3&loginTimeout=10&socketTimeout=40&tcpKeepAlive=true";

    @TempDir
    Path work;

    @Test
    void keepsEveryAcceptedReferralAndRecoversByItselfWhenTheStandbyIsPromoted() throws Exception {
        assumeThat(ReplicatedPostgres.unavailable())
                .as("a primary and a standby need the embedded PostgreSQL's programs")
                .isEmpty();
        try (ReplicatedPostgres postgres = ReplicatedPostgres.start(work.resolve("postgres"))) {
            DevelopmentDeployment.Workspace workspace = CrashRecoveryIT.workspace(work, postgres.env(TIMEOUTS));
            // No head can be signed while the primary is down and the standby not yet promoted (seconds): a promise
            // kept across a database failover must be longer than the failover, as docs/AUDIT.md tells operators.
            CrashRecoveryIT.auditPromise(workspace, OUTAGE_PROMISE_MS);
            try (PartnerEndpoint siao = CrashRecoveryIT.siao(work, workspace)) {
                Submissions submissions = new Submissions(
                        "failover", Files.readAllBytes(workspace.config().resolve("samples/shelter.request.json")));
                GatewayProcess gateway = GatewayProcess.start(
                        workspace.gatewayYaml(), workspace.env(), work.resolve("gateway.log"), START);
                try {
                    failOver(postgres, workspace, siao, submissions, gateway);
                } finally {
                    submissions.abandon();
                    gateway.close();
                }
            }
        }
    }

    private static void failOver(
            ReplicatedPostgres postgres,
            DevelopmentDeployment.Workspace workspace,
            PartnerEndpoint siao,
            Submissions submissions,
            GatewayProcess gateway)
            throws Exception {
        long pid = gateway.pid();

        submissions.startRetryingStream(CrashRecoveryIT.client(workspace, gateway), 2);
        gateway.awaitWhileAlive(
                "referrals accepted on the first primary",
                DEADLINE,
                () -> submissions.accepted().size() >= 10);
        int beforeKill = submissions.accepted().size();
        postgres.killPrimary();
        gateway.awaitWhileAlive(
                "a submission failed while no primary is there", DEADLINE, () -> submissions.failures() > 0);
        postgres.promoteStandby();
        int atPromotion = submissions.accepted().size();
        gateway.awaitWhileAlive(
                "referrals accepted on the promoted standby",
                DEADLINE,
                () -> submissions.accepted().size() >= atPromotion + 10);
        submissions.stopStream();
        Map<String, String> accepted = submissions.accepted();
        Set<String> acceptedIds = new HashSet<>(accepted.values());
        DataSource newPrimary = postgres.standbyDatabase();
        gateway.awaitWhileAlive(
                "every accepted referral delivered from the new primary",
                DEADLINE,
                () -> CrashRecoveryIT.delivered(siao).keySet().containsAll(acceptedIds)
                        && CrashRecoveryIT.undelivered(newPrimary) == 0);

        Map<String, Long> stored = referralsOf(newPrimary, Submissions.SENDER);
        assertThat(acceptedIds).as("referral ids answered 202").hasSameSizeAs(accepted.keySet());
        assertThat(stored.keySet()).as("referrals on the new primary").containsExactlyInAnyOrderElementsOf(acceptedIds);
        assertThat(stored.values()).as("rows per referral").containsOnly(1L);
        assertThat(gateway.isAlive()).as("the gateway process").isTrue();
        assertThat(gateway.pid()).isEqualTo(pid);
        assertThat(Pattern.compile("Passerelle is listening")
                        .matcher(gateway.output())
                        .results()
                        .count())
                .as("times the gateway started listening")
                .isOne();
        assertAuditVerifies(workspace);
        System.out.printf(
                Locale.ROOT,
                "FailoverIT: %d referrals accepted (%d before the kill, %d after the promotion), %d"
                        + " submissions failed and were sent again with their key%n",
                accepted.size(),
                beforeKill,
                accepted.size() - atPromotion,
                submissions.failures());
    }

    /**
     * {@code gateway audit verify}, as an operator types it, passes on the workspace's database, and on its export
     * offline with the same verdict.
     */
    static void assertAuditVerifies(DevelopmentDeployment.Workspace workspace) {
        Map<String, String> env = new HashMap<>(workspace.env());
        env.put("GATEWAY_CONFIG", workspace.gatewayYaml().toString());
        CliRun verify = CliRun.run(env, "audit", "verify");
        assertThat(verify.code()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).startsWith("audit log verified: ");
        // The same log offline, as an auditor holding the export and the gateway's certificate (with its CA).
        java.nio.file.Path export = workspace.config().resolveSibling("audit-export.jsonl");
        CliRun exported = CliRun.run(env, "audit", "export", "--out", export.toString());
        assertThat(exported.code()).as(exported.out() + exported.err()).isZero();
        CliRun offline = CliRun.run(
                env,
                "audit",
                "verify",
                "--file",
                export.toString(),
                "--cert",
                workspace.pki().resolve("gateway-signing.pem").toString());
        assertThat(offline.code()).as(offline.out() + offline.err()).isZero();
        assertThat(offline.out().lines().findFirst())
                .contains(verify.out().lines().findFirst().orElseThrow());
    }

    /** The sender's referrals, by id, with the number of rows of each; checks that idempotency keys are unique too. */
    static Map<String, Long> referralsOf(DataSource database, String sender) throws SQLException {
        Map<String, Long> rows = new HashMap<>();
        try (Connection c = database.getConnection();
                PreparedStatement select = c.prepareStatement("SELECT id::text, count(*) OVER (PARTITION BY"
                        + " idempotency_key) FROM referral WHERE sender = ?")) {
            select.setString(1, sender);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.merge(rs.getString(1), rs.getLong(2), Long::sum);
                }
            }
        }
        return rows;
    }
}
