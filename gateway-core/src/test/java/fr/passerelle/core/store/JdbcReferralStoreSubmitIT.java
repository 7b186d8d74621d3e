package fr.passerelle.core.store;

import static fr.passerelle.core.store.Referrals.ASSOCIATION;
import static fr.passerelle.core.store.Referrals.POLICE;
import static fr.passerelle.core.store.Referrals.SIAO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.audit.AuditRecord;
import fr.passerelle.core.keys.PayloadCipher;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.testkit.FakeClock;
import fr.passerelle.core.testkit.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbcReferralStoreSubmitIT {
    private static final Instant NOW = Instant.parse("2025-07-11T09:30:00.123456789Z");

    private final FakeClock clock = new FakeClock(NOW);
    private final JdbcReferralStore store = new JdbcReferralStore(TestDatabase.dataSource(), clock, TestKeys.cipher());
    private ExecutorService threads;

    @BeforeEach
    void emptyTables() {
        TestDatabase.reset();
    }

    @AfterEach
    void stopThreads() {
        if (threads != null) {
            threads.shutdownNow();
        }
    }

    @Test
    void storesTheReferralItsDeliveriesAndTheirAuditTogether() throws SQLException {
        NewReferral referral = Referrals.toSiaoAndAssociation();

        Submission submission = store.submit(referral);

        Instant stored = Instant.parse("2025-07-11T09:30:00.123456Z");
        assertThat(submission)
                .isEqualTo(new Submission(
                        referral.id(),
                        ReferralType.SHELTER_REQUEST,
                        false,
                        stored,
                        "routed",
                        List.of(SIAO, ASSOCIATION),
                        Map.of(SIAO, List.of("route-siao"), ASSOCIATION, List.of("route-association")),
                        1));
        assertThat(store.countReferrals()).isEqualTo(1);
        assertThat(store.document(referral.id()))
                .hasValueSatisfying(document -> assertThat(document).isEqualTo(referral.document()));
        assertThat(deliveryRows(referral.id()))
                .containsExactly(
                        "siao-75 [route-siao] pending application/pkcs7-mime sealed for siao-75",
                        "association-75-amicale [route-association] pending application/pkcs7-mime"
                                + " sealed for association-75-amicale");
        List<AuditRecord> audit = AuditLog.list(TestDatabase.dataSource(), Optional.of(referral.id()));
        assertThat(audit)
                .extracting(AuditRecord::actor, AuditRecord::action, AuditRecord::detail)
                .containsExactly(
                        tuple(
                                "police-75-brp",
                                "referral.submitted",
                                Map.of(
                                        "type",
                                        "shelter.request",
                                        "department",
                                        "75",
                                        "urgency",
                                        "urgent",
                                        "requestSha256",
                                        java.util.HexFormat.of().formatHex(referral.requestDigest()))),
                        tuple(
                                "gateway",
                                "referral.routed",
                                Map.of(
                                        "recipients",
                                        "siao-75,association-75-amicale",
                                        "routes",
                                        "route-siao,route-association")));
    }

    @Test
    void leavesNothingBehindWhenADeliveryCannotBeStored() {
        NewReferral valid = Referrals.toSiaoAndAssociation();
        // PostgreSQL refuses a NUL character in text: the second delivery's insert fails after the referral's.
        NewReferral broken = new NewReferral(
                valid.id(),
                valid.sender(),
                valid.type(),
                valid.department(),
                valid.urgency(),
                valid.idempotencyKey(),
                valid.requestDigest(),
                valid.document(),
                "application/json",
                List.of(
                        valid.deliveries().get(0),
                        new NewDelivery(
                                ASSOCIATION, List.of("route-association"), "application/pkcs7-mime\u0000", new byte[] {1
                                })));

        assertThatThrownBy(() -> store.submit(broken)).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.STORE_FAILED);
            assertThat(e.getMessage()).isEqualTo("cannot store referral " + valid.id() + " (SQLSTATE 22021)");
        });
        assertThat(store.countReferrals()).isZero();
        assertThat(count("delivery")).isZero();
        assertThat(AuditLog.count(TestDatabase.dataSource())).isZero();
    }

    @Test
    void replaysTheSameRequestUnderTheSameKeyWithoutWritingAnything() {
        Submission first = store.submit(Referrals.referral(Optional.of("case-2025-0042"), Referrals.digest(7), SIAO));
        clock.advance(Duration.ofMinutes(5));

        Submission again = store.submit(Referrals.referral(Optional.of("case-2025-0042"), Referrals.digest(7), SIAO));

        assertThat(again)
                .isEqualTo(new Submission(
                        first.id(),
                        ReferralType.SHELTER_REQUEST,
                        true,
                        first.submittedAt(),
                        "routed",
                        List.of(SIAO),
                        first.routeIds(),
                        first.auditPosition()));
        assertThat(first.auditPosition()).isEqualTo(1);
        assertThat(store.countReferrals()).isEqualTo(1);
        assertThat(AuditLog.list(TestDatabase.dataSource(), Optional.empty())).hasSize(2);
    }

    @Test
    void refusesTheSameKeyForADifferentRequest() {
        Submission first = store.submit(Referrals.referral(Optional.of("case-2025-0042"), Referrals.digest(7), SIAO));

        assertThatThrownBy(() ->
                        store.submit(Referrals.referral(Optional.of("case-2025-0042"), Referrals.digest(8), SIAO)))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.IDEMPOTENCY_CONFLICT);
                    assertThat(e.getMessage())
                            .isEqualTo("Idempotency-Key 'case-2025-0042' was already used by"
                                    + " police-75-brp for a different request (referral " + first.id()
                                    + "); use a new key"
                                    + " for a new referral");
                });
        assertThat(store.countReferrals()).isEqualTo(1);
    }

    @Test
    void storesEverySubmissionWithoutKeyAsANewReferral() {
        store.submit(Referrals.referral(Optional.empty(), Referrals.digest(7), SIAO));
        store.submit(Referrals.referral(Optional.empty(), Referrals.digest(7), SIAO));

        assertThat(store.countReferrals()).isEqualTo(2);
    }

    @Test
    void storesOneReferralForConcurrentIdenticalSubmissions() throws Exception {
        threads = Executors.newFixedThreadPool(2);
        for (int round = 0; round < 10; round++) {
            String key = "concurrent-" + round;
            CyclicBarrier start = new CyclicBarrier(2);
            List<Future<Submission>> results = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                results.add(threads.submit(() -> {
                    NewReferral referral = Referrals.referral(Optional.of(key), Referrals.digest(3), SIAO);
                    start.await(1, TimeUnit.MINUTES);
                    return store.submit(referral);
                }));
            }
            Submission a = results.get(0).get(1, TimeUnit.MINUTES);
            Submission b = results.get(1).get(1, TimeUnit.MINUTES);

            assertThat(a.id()).isEqualTo(b.id());
            assertThat(List.of(a.replayed(), b.replayed())).containsExactlyInAnyOrder(true, false);
        }
        assertThat(store.countReferrals()).isEqualTo(10);
        assertThat(AuditLog.list(TestDatabase.dataSource(), Optional.empty())).hasSize(20);
    }

    @Test
    void waitsForAnUncommittedSubmissionWithTheSameKeyAndReplaysIt() throws Exception {
        threads = Executors.newSingleThreadExecutor();
        ReferralId held = ReferralId.random();
        try (Connection other = TestDatabase.dataSource().getConnection()) {
            other.setAutoCommit(false);
            insertReferral(other, held, "held-key", Referrals.digest(5));

            Future<Submission> waiting = threads.submit(
                    () -> store.submit(Referrals.referral(Optional.of("held-key"), Referrals.digest(5), SIAO)));
            awaitOneSessionWaitingOnALock();
            other.commit();

            Submission submission = waiting.get(1, TimeUnit.MINUTES);
            assertThat(submission.id()).isEqualTo(held);
            assertThat(submission.replayed()).isTrue();
        }
        assertThat(store.countReferrals()).isEqualTo(1);
    }

    private static void insertReferral(Connection c, ReferralId id, String key, byte[] digest) throws SQLException {
        PayloadCipher.Encrypted document =
                TestKeys.cipher().encrypt(new byte[] {'{', '}'}, JdbcReferralStore.documentAad(id));
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO referral (id, type, sender, department,"
                        + " urgency, status, idempotency_key, request_digest, submitted_at, document, key_id, wrapped_key,"
                        + " document_media_type)"
                        + " VALUES (?, 'shelter.request', ?, '75', 'urgent', 'routed', ?, ?, ?, ?, ?, ?, 'application/json')")) {
            insert.setObject(1, id.value());
            insert.setString(2, POLICE.value());
            insert.setString(3, JdbcReferralStore.idempotencyDigest(key));
            insert.setBytes(4, digest);
            insert.setObject(5, OffsetDateTime.ofInstant(NOW, ZoneOffset.UTC));
            insert.setBytes(6, document.ciphertext());
            insert.setString(7, document.keyId());
            insert.setBytes(8, document.wrappedKey());
            insert.executeUpdate();
        }
    }

    /** Polls PostgreSQL until one session of this database waits on a lock: a synchronisation, not a timing. */
    private static void awaitOneSessionWaitingOnALock() {
        await("a session waiting on the uncommitted referral")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(JdbcReferralStoreSubmitIT::sessionsWaitingOnALock, sessions -> sessions == 1);
    }

    private static int sessionsWaitingOnALock() throws SQLException {
        try (Connection c = TestDatabase.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        + " AND datname = current_database()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static List<String> deliveryRows(ReferralId id) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = TestDatabase.dataSource().getConnection();
                PreparedStatement select = c.prepareStatement("SELECT recipient, route_ids, state, media_type, payload,"
                        + " key_id, wrapped_key FROM delivery WHERE referral_id = ? ORDER BY id")) {
            select.setObject(1, id.value());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    PartnerId recipient = PartnerId.of(rs.getString(1));
                    byte[] payload = TestKeys.cipher()
                            .decrypt(
                                    rs.getString(6),
                                    rs.getBytes(7),
                                    rs.getBytes(5),
                                    JdbcReferralStore.payloadAad(id, recipient),
                                    "payload");
                    rows.add(recipient + " " + List.of((Object[]) rs.getArray(2).getArray()) + " "
                            + rs.getString(3) + " " + rs.getString(4) + " "
                            + new String(payload, StandardCharsets.UTF_8));
                }
            }
        }
        return rows;
    }

    static long count(String table) {
        try (Connection c = TestDatabase.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new AssertionError("cannot count " + table, e);
        }
    }
}
