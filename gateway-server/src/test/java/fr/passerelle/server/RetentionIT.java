package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.audit.AuditVerifier;
import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.store.PurgeLog;
import fr.passerelle.core.store.Purges;
import fr.passerelle.core.testkit.FakeClock;
import fr.passerelle.devkit.DatabaseDump;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Storage limitation on a real gateway (TLS, PostgreSQL) and a clock the test moves: what is stored of a submission,
 * the purge of a referral's content once its retention has run out (rows and ciphertexts checked with SQL, audit
 * still verifying), the dry run that lists exactly what the purge removes, two purgers erasing each referral once,
 * an erasure order, and the replay of the purge log after a restored backup. The tests share one clock that only
 * moves forward; they run in name order, so that the signed submission is verified well within the development
 * certificates' two years.
 */
@TestMethodOrder(MethodOrderer.MethodName.class)
class RetentionIT {
    private static final String POLICE = "police-75-brp";
    private static final String SIAO = "siao-75";
    private static final FakeClock clock = new FakeClock(Instant.now());
    static TestGateway gw;

    @BeforeAll
    static void start() throws IOException {
        gw = TestGateway.withClock(Map.of(), clock, config -> {});
    }

    /**
     * After every purge of this class, the log still verifies from the command line, as an auditor runs it on the
     * stopped gateway's database.
     */
    @AfterAll
    static void stop() throws IOException {
        try {
            gw.gateway.close();
            Map<String, String> env = new java.util.HashMap<>(
                    Map.of("GATEWAY_CONFIG", gw.config.resolve("gateway.yaml").toString()));
            String testDb = System.getenv("GATEWAY_TEST_DB_URL");
            if (testDb != null && !testDb.isBlank()) {
                env.put("GATEWAY_DATABASE_URL", testDb);
                env.put("GATEWAY_DATABASE_USER", System.getenv().getOrDefault("GATEWAY_TEST_DB_USER", ""));
                env.put("GATEWAY_DATABASE_PASSWORD", System.getenv().getOrDefault("GATEWAY_TEST_DB_PASSWORD", ""));
            }
            java.io.StringWriter out = new java.io.StringWriter();
            int exit = fr.passerelle.server.cli.GatewayCommand.execute(
                    env, new java.io.PrintWriter(out, true), new java.io.PrintWriter(out, true), "audit", "verify");
            assertThat(exit).as(out.toString()).isZero();
            assertThat(out.toString()).startsWith("audit log verified: ");
        } finally {
            gw.deleteWork();
        }
    }

    @Test
    void keepsNoFullCopyOfAnUnsignedSubmissionOnlyItsDigestAndTheMinimisedCopies() throws Exception {
        String id = submit(shelter("Keren"));

        assertThat(scalar(
                        "SELECT document IS NULL AND key_id IS NULL AND wrapped_key IS NULL FROM referral"
                                + " WHERE id = ?",
                        id))
                .isEqualTo("t");
        assertThat(scalar("SELECT octet_length(request_digest) FROM referral WHERE id = ?", id))
                .isEqualTo("32");
        assertThat(scalar("SELECT count(*) FROM delivery WHERE referral_id = ? AND payload IS NOT NULL", id))
                .isEqualTo("1");
    }

    @Test
    void keepsASignedOriginalAsTheSendersEvidenceForItsOwnShorterRetention() throws Exception {
        java.nio.file.Path partners = gw.pki.resolve("partners");
        byte[] signed = new fr.passerelle.core.crypto.CmsSealer(
                        PemFiles.readCertifiedKey(
                                partners.resolve(POLICE + ".pem"), partners.resolve(POLICE + "-key.pem")),
                        clock)
                .sign(Json.MAPPER.writeValueAsBytes(shelter("Esther")));
        PartnerClient.Reply reply = gw.client(POLICE)
                .post("/v1/referrals", signed, fr.passerelle.core.crypto.SignedSubmissions.MEDIA_TYPE, Map.of());
        assertThat(reply.status()).as(reply.text()).isEqualTo(202);
        String id = Json.MAPPER.readTree(reply.body()).path("id").asText();
        assertThat(scalar("SELECT document IS NOT NULL FROM referral WHERE id = ?", id))
                .isEqualTo("t");

        clock.advance(Duration.ofDays(91));
        gw.gateway.purges().purgeDue(Integer.MAX_VALUE);

        assertThat(scalar(
                        "SELECT document IS NULL AND wrapped_key IS NULL AND purged_at IS NULL FROM referral"
                                + " WHERE id = ?",
                        id))
                .as("the original erased, the copies not yet due")
                .isEqualTo("t");
        assertThat(scalar("SELECT count(*) FROM delivery WHERE referral_id = ? AND payload IS NOT NULL", id))
                .isEqualTo("1");
        assertThat(gw.auditActions(id)).contains("referral.original-erased");
    }

    @Test
    void erasesAReferralsContentOnceItsRetentionAfterItsEndHasRunOutAndTheAuditStillVerifies() throws Exception {
        String id = submit(shelter("Aminata"));
        JsonNode copy = gw.inbox(SIAO).stream()
                .filter(i -> id.equals(i.path("referralId").asText()))
                .findFirst()
                .orElseThrow();
        receipt(id, "accepted");
        receipt(id, "completed");
        List<String> ciphertexts = ciphertexts(id);
        assertThat(ciphertexts).isNotEmpty();
        CertifiedKey signer = PemFiles.readCertifiedKey(
                gw.pki.resolve("gateway-signing.pem"), gw.pki.resolve("gateway-signing-key.pem"));
        gw.sequencedAudit();

        clock.advance(Duration.ofDays(29));
        assertThat(dueNow()).as("not due before its 30 days").doesNotContain(id);
        clock.advance(Duration.ofDays(2));
        List<Purges.Due> listed = gw.gateway.purges().schedule(clock.instant(), Integer.MAX_VALUE);
        assertThat(listed)
                .filteredOn(d -> d.id().toString().equals(id))
                .singleElement()
                .satisfies(d -> assertThat(d.reason()).isEqualTo("after-end"));
        int erased = gw.gateway.purges().purgeDue(Integer.MAX_VALUE);

        assertThat(erased)
                .isEqualTo(listed.stream().map(Purges.Due::id).distinct().count());
        assertThat(gw.gateway.purges().schedule(clock.instant(), Integer.MAX_VALUE))
                .isEmpty();
        assertThat(scalar(
                        "SELECT count(*) FROM delivery WHERE referral_id = ? AND (payload IS NOT NULL OR"
                                + " wrapped_key IS NOT NULL) AND notice IS NULL",
                        id))
                .isEqualTo("0");
        assertThat(scalar("SELECT purged_at IS NOT NULL AND document IS NULL FROM referral WHERE id = ?", id))
                .isEqualTo("t");
        assertThat(scalar("SELECT status FROM referral WHERE id = ?", id)).isEqualTo("completed");
        assertThat(DatabaseDump.of(gw.gateway.database().dataSource()).containing(ciphertexts))
                .as("no ciphertext of its content anywhere in the database")
                .isEmpty();
        assertThat(gw.inbox(SIAO)).noneMatch(i -> id.equals(i.path("referralId").asText()) && !i.has("notice"));
        assertThat(gw.auditActions(id)).contains("referral.submitted", "referral.purged");
        gw.sequencedAudit();
        AuditVerifier.Verdict verdict =
                AuditVerifier.verify(gw.gateway.database().dataSource(), signer.certificate());
        assertThat(verdict.ok()).as(verdict.summary()).isTrue();
        assertThat(Files.readString(purgeLog().file())).contains(id + " ");
        assertThat(copy.path("cursor").asLong()).isPositive();
    }

    @Test
    void erasesAReferralThatNeverEndedAtMostAfterItsSubmissionAndStopsItsCopies() throws Exception {
        String id = submit(shelter("Precious"));

        clock.advance(Duration.ofDays(366));
        int erased = gw.gateway.purges().purgeDue(Integer.MAX_VALUE);

        assertThat(erased).isPositive();
        assertThat(scalar("SELECT state FROM delivery WHERE referral_id = ? AND notice IS NULL", id))
                .isEqualTo("cancelled");
        assertThat(scalar(
                        "SELECT detail->>'reason' FROM audit_queue WHERE referral_id = ? AND action ="
                                + " 'referral.purged'",
                        id))
                .isEqualTo("at-most");
    }

    @Test
    void twoPurgersEraseEachReferralOnce() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(submit(shelter("Joy" + (char) ('a' + i))));
        }
        clock.advance(Duration.ofDays(366));
        Purges other = new Purges(
                gw.gateway.database().dataSource(),
                clock,
                () -> gw.gateway.deployment().settings().retention(),
                purgeLog());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> runs = pool.invokeAll(List.<Callable<Integer>>of(
                    () -> gw.gateway.purges().purgeDue(Integer.MAX_VALUE), () -> other.purgeDue(Integer.MAX_VALUE)));
            int total = runs.get(0).get() + runs.get(1).get();
            assertThat(total).isGreaterThanOrEqualTo(ids.size());
        } finally {
            pool.shutdownNow();
        }
        for (String id : ids) {
            assertThat(scalar(
                            "SELECT count(*) FROM audit_queue WHERE referral_id = ? AND action = 'referral.purged'",
                            id))
                    .as("purged once: " + id)
                    .isEqualTo("1");
        }
    }

    @Test
    void anErasureOrderErasesAtOnceAndSaysWhenThereIsNothingLeft() throws Exception {
        String id = submit(shelter("Ngozi"));
        PartnerClient admin = gw.adminClient();

        PartnerClient.Reply first = admin.post(
                "/admin/v1/referrals/" + id + "/erase",
                "{\"justification\": \"erasure-request\"}".getBytes(),
                "application/json",
                Map.of());
        PartnerClient.Reply again = admin.post(
                "/admin/v1/referrals/" + id + "/erase",
                "{\"justification\": \"erasure-request\"}".getBytes(),
                "application/json",
                Map.of());
        PartnerClient.Reply unknown = admin.post(
                "/admin/v1/referrals/" + id + "/erase",
                "{\"justification\": \"because\"}".getBytes(),
                "application/json",
                Map.of());

        assertThat(first.status()).as(first.text()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(first.body()).path("erased").asBoolean())
                .isTrue();
        assertThat(Json.MAPPER.readTree(again.body()).path("erased").asBoolean())
                .isFalse();
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.text()).contains("erasure-request");
        assertThat(scalar(
                        "SELECT count(*) FROM delivery WHERE referral_id = ? AND payload IS NOT NULL"
                                + " AND notice IS NULL",
                        id))
                .isEqualTo("0");
        assertThat(scalar(
                        "SELECT detail->>'justification' FROM audit_queue WHERE referral_id = ? AND action ="
                                + " 'referral.erased'",
                        id))
                .isEqualTo("erasure-request");
    }

    @Test
    void theReplayOfThePurgeLogErasesWhatARestoredBackupBroughtBack() throws Exception {
        String id = submit(shelter("Blessing"));
        // What a restored backup looks like: the referral's content is there again, and the log names it.
        PurgeLog log = new PurgeLog(gw.work.resolve("restored-purge.log"));
        log.append(ReferralId.parse(id), clock.instant(), "erasure-order");

        int erased = gw.gateway.purges().replay(log.ids());

        assertThat(erased).isEqualTo(1);
        assertThat(scalar(
                        "SELECT detail->>'reason' FROM audit_queue WHERE referral_id = ? AND action ="
                                + " 'referral.purged'",
                        id))
                .isEqualTo("replayed");
        assertThat(gw.gateway.purges().replay(log.ids())).isZero();
    }

    // -- helpers ------------------------------------------------------------------------------------------------

    private static ObjectNode shelter(String given) throws IOException {
        ObjectNode shelter = (ObjectNode) Json.MAPPER.readTree(gw.sample("shelter.request"));
        ((ObjectNode) shelter.path("subject")).put("givenName", given);
        return shelter;
    }

    private static String submit(ObjectNode document) throws IOException {
        PartnerClient.Reply reply = gw.client(POLICE)
                .post("/v1/referrals", Json.MAPPER.writeValueAsBytes(document), "application/json", Map.of());
        assertThat(reply.status()).as(reply.text()).isEqualTo(202);
        return Json.MAPPER.readTree(reply.body()).path("id").asText();
    }

    private static void receipt(String id, String status) throws IOException {
        PartnerClient.Reply reply = gw.client(SIAO)
                .post(
                        "/v1/referrals/" + id + "/receipts",
                        ("{\"status\": \"" + status + "\"}").getBytes(),
                        "application/json",
                        Map.of());
        assertThat(reply.status()).as(reply.text()).isLessThan(300);
    }

    private static PurgeLog purgeLog() {
        return new PurgeLog(gw.gateway.deployment().settings().purgeLog());
    }

    private static List<String> dueNow() {
        return gw.gateway.purges().schedule(clock.instant(), Integer.MAX_VALUE).stream()
                .map(d -> d.id().toString())
                .toList();
    }

    /** The hex of every ciphertext and wrapped key stored for the referral. */
    private static List<String> ciphertexts(String id) throws SQLException {
        List<String> found = new ArrayList<>();
        try (Connection c = gw.gateway.database().dataSource().getConnection();
                PreparedStatement select = c.prepareStatement(
                        "SELECT payload, wrapped_key FROM delivery WHERE" + " referral_id = ? AND notice IS NULL")) {
            select.setObject(1, UUID.fromString(id));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    found.add(HexFormat.of().formatHex(rs.getBytes(1), 0, 32));
                    found.add(HexFormat.of().formatHex(rs.getBytes(2)));
                }
            }
        }
        return found;
    }

    private static String scalar(String sql, String id) throws SQLException {
        try (Connection c = gw.gateway.database().dataSource().getConnection();
                PreparedStatement select = c.prepareStatement(sql)) {
            select.setObject(1, UUID.fromString(id));
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
