package fr.passerelle.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TreeHeadsIT {
    private final CertifiedKey signer = AuditFixtures.gatewaySigner();
    private final DataSource ds = TestDatabase.dataSource();

    @BeforeEach
    void emptyTables() {
        TestDatabase.reset();
    }

    @Test
    void numbersTheQueueInArrivalOrderAndSignsOneHeadPerBatch() throws SQLException {
        AuditFixtures.queueEntries(3);
        assertThat(TreeHeads.latest(ds)).isEmpty();
        assertThat(AuditSequencer.pending(ds)).isEqualTo(3);

        assertThat(AuditFixtures.sequence()).isEqualTo(3);
        AuditFixtures.queueEntries(2);
        assertThat(AuditFixtures.sequence()).isEqualTo(5);
        assertThat(AuditFixtures.sequence()).as("nothing queued: no new head").isEqualTo(5);

        assertThat(TreeHeads.all(ds)).extracting(h -> h.head().size()).containsExactly(3L, 5L);
        assertThat(TreeHeadSigner.verify(TreeHeads.latest(ds).orElseThrow(), signer.certificate()))
                .isTrue();
        assertThat(AuditSequencer.pending(ds)).isZero();
        assertThat(AuditLog.list(ds, Optional.empty()))
                .extracting(r -> r.seq() + "@" + r.queued().orElseThrow().position())
                .containsExactly("1@1", "2@2", "3@3", "4@4", "5@5");
    }

    @Test
    void twoSequencersAtOnceNumberEachEntryOnceWithOneHeadPerSize() throws Exception {
        DataSource other = secondInstance();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        for (int round = 0; round < 10; round++) {
            AuditFixtures.queueEntries(3);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Long>> results = new ArrayList<>();
            for (DataSource instance : List.of(ds, other)) {
                results.add(pool.submit(() -> {
                    start.await();
                    return AuditSequencer.sequenceNow(instance, signer, Duration.ofSeconds(30));
                }));
            }
            start.countDown();
            for (Future<Long> result : results) {
                assertThat(result.get(30, TimeUnit.SECONDS))
                        .as("round " + round)
                        .isEqualTo(3L * (round + 1));
            }
        }
        pool.shutdown();

        assertThat(TreeHeads.all(ds))
                .extracting(h -> h.head().size())
                .containsExactly(3L, 6L, 9L, 12L, 15L, 18L, 21L, 24L, 27L, 30L);
        assertThat(AuditVerifier.verify(ds, signer.certificate()).summary())
                .isEqualTo("audit log verified: 30 entries, 10 signed tree heads");
    }

    @Test
    void provesInclusionAndConsistencyAgainstSignedHeads() throws SQLException {
        AuditFixtures.appendEntries(7);
        SignedTreeHead first = TreeHeads.latest(ds).orElseThrow();
        AuditFixtures.appendEntries(6);
        SignedTreeHead second = TreeHeads.latest(ds).orElseThrow();

        for (long seq = 1; seq <= 13; seq++) {
            assertThat(AuditProofs.inclusion(ds, seq, second).verifies(second.head()))
                    .as("entry " + seq)
                    .isTrue();
        }
        List<AuditProofs.InclusionProof> referral =
                AuditProofs.forReferral(ds, new ReferralId(new UUID(0x1234L, 1)), second);
        List<byte[]> consistency = AuditProofs.consistency(ds, 7, 13);

        assertThat(first.head().size()).isEqualTo(7);
        assertThat(referral).extracting(AuditProofs.InclusionProof::seq).containsExactly(5L, 6L, 7L, 12L, 13L);
        assertThat(referral).allMatch(p -> p.verifies(second.head()));
        assertThat(AuditProofs.inclusion(ds, 3, first).verifies(second.head())).isFalse();
        assertThat(MerkleTree.verifyConsistency(
                        7, 13, first.head().rootHash(), second.head().rootHash(), consistency))
                .isTrue();
    }

    @Test
    void refusesAnInclusionProofOutsideTheHead() throws SQLException {
        AuditFixtures.appendEntries(4);
        SignedTreeHead head = TreeHeads.latest(ds).orElseThrow();

        assertThatThrownBy(() -> AuditProofs.inclusion(ds, 5, head))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.REQUEST_INVALID);
                    assertThat(e.getMessage())
                            .isEqualTo("seq 5 is out of range (expected: 1-4, the size of the" + " tree head)");
                });
    }

    @Test
    void databaseRefusesToChangeAHeadOrTheQueue() throws SQLException {
        AuditFixtures.appendEntries(2);

        assertRefused("UPDATE audit_tree_head SET size = 1", "audit_tree_head is append-only: UPDATE refused");
        assertRefused("DELETE FROM audit_tree_head", "audit_tree_head is append-only: DELETE refused");
        assertRefused("UPDATE audit_queue SET actor = 'x'", "audit_queue is append-only: UPDATE refused");
        assertRefused("DELETE FROM audit_queue", "audit_queue is append-only: DELETE refused");
        assertRefused("TRUNCATE audit_queue", "audit_queue is append-only: TRUNCATE refused");
        assertThat(TreeHeads.all(ds)).hasSize(1);
    }

    private void assertRefused(String sql, String message) {
        assertThatThrownBy(() -> {
                    try (Connection c = ds.getConnection();
                            java.sql.Statement s = c.createStatement()) {
                        s.execute(sql);
                    }
                })
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("42501");
                    assertThat(e.getMessage()).contains(message);
                });
    }

    private static DataSource secondInstance() throws SQLException {
        return TestDatabase.independentDataSource();
    }
}
