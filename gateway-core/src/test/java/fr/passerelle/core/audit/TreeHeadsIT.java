package fr.passerelle.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.testkit.FakeClock;
import fr.passerelle.core.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
    private static final Duration HOUR = Duration.ofHours(1);
    private final CertifiedKey signer = AuditFixtures.gatewaySigner();
    private final DataSource ds = TestDatabase.dataSource();

    @BeforeEach
    void emptyTables() {
        TestDatabase.reset();
    }

    @Test
    void signsOnceEnoughEntriesWereAppendedSinceTheLatestHead() throws SQLException {
        AuditFixtures.appendEntries(3);
        assertThat(TreeHeads.signIfDue(ds, signer, 5, HOUR, Clock.systemUTC())).isEmpty();

        AuditFixtures.appendEntries(2);
        Optional<SignedTreeHead> signed = TreeHeads.signIfDue(ds, signer, 5, HOUR, Clock.systemUTC());

        assertThat(signed).isPresent();
        assertThat(signed.get().head().size()).isEqualTo(5);
        assertThat(TreeHeadSigner.verify(signed.get(), signer.certificate())).isTrue();
        assertThat(TreeHeads.latest(ds)).contains(signed.get());
        assertThat(TreeHeads.signIfDue(ds, signer, 1, HOUR, Clock.systemUTC())).isEmpty();
    }

    @Test
    void signsWhenTheOldestUncoveredEntryIsOlderThanThePeriod() throws SQLException {
        AuditFixtures.appendEntries(2);
        FakeClock clock = new FakeClock(Instant.now());
        assertThat(TreeHeads.signIfDue(ds, signer, 100, HOUR, clock)).isEmpty();

        clock.advance(HOUR.plusSeconds(1));
        Optional<SignedTreeHead> signed = TreeHeads.signIfDue(ds, signer, 100, HOUR, clock);

        assertThat(signed.map(h -> h.head().size())).contains(2L);
        assertThat(signed.get().head().signedAt())
                .isEqualTo(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    }

    @Test
    void twoInstancesSigningAtOnceCreateOneHeadPerSize() throws Exception {
        DataSource other = secondInstance();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        int rounds = 10;
        for (int round = 0; round < rounds; round++) {
            AuditFixtures.appendEntries(3);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Optional<SignedTreeHead>>> results = new ArrayList<>();
            for (DataSource instance : List.of(ds, other)) {
                results.add(pool.submit(() -> {
                    start.await();
                    return TreeHeads.signIfDue(instance, signer, 1, HOUR, Clock.systemUTC());
                }));
            }
            start.countDown();

            int signed = 0;
            for (Future<Optional<SignedTreeHead>> result : results) {
                signed += result.get(30, TimeUnit.SECONDS).isPresent() ? 1 : 0;
            }
            assertThat(signed).as("heads signed in round " + round).isEqualTo(1);
        }
        pool.shutdown();

        assertThat(TreeHeads.all(ds))
                .extracting(h -> h.head().size())
                .containsExactly(3L, 6L, 9L, 12L, 15L, 18L, 21L, 24L, 27L, 30L);
        assertThat(AuditVerifier.verify(ds, signer.certificate()).summary())
                .isEqualTo("audit log verified: 30 entries, 10 signed tree heads");
    }

    @Test
    void signsWithAKeptRootTheSameHeadsAsFromEveryEntry() throws SQLException {
        LogRoot kept = new LogRoot();
        List<byte[]> roots = new java.util.ArrayList<>();
        for (int round = 1; round <= 4; round++) {
            AuditFixtures.appendEntries(round * 3);
            roots.add(TreeHeads.signIfDue(ds, signer, 1, HOUR, Clock.systemUTC(), kept)
                    .orElseThrow()
                    .head()
                    .rootHash());
        }

        try (java.sql.Connection c = ds.getConnection()) {
            assertThat(roots.get(3)).isEqualTo(MerkleTree.root(AuditEntries.leafHashes(c, 30)));
        }
        assertThat(TreeHeads.all(ds)).extracting(h -> h.head().size()).containsExactly(3L, 9L, 18L, 30L);
        assertThat(AuditVerifier.verify(ds, signer.certificate()).summary())
                .isEqualTo("audit log verified: 30 entries, 4 signed tree heads");
    }

    @Test
    void provesInclusionAndConsistencyAgainstSignedHeads() throws SQLException {
        AuditFixtures.appendEntries(7);
        SignedTreeHead first =
                TreeHeads.signIfDue(ds, signer, 1, HOUR, Clock.systemUTC()).orElseThrow();
        AuditFixtures.appendEntries(6);
        SignedTreeHead second =
                TreeHeads.signIfDue(ds, signer, 1, HOUR, Clock.systemUTC()).orElseThrow();

        for (long seq = 1; seq <= 13; seq++) {
            assertThat(AuditProofs.inclusion(ds, seq, second).verifies(second.head()))
                    .as("entry " + seq)
                    .isTrue();
        }
        List<AuditProofs.InclusionProof> referral =
                AuditProofs.forReferral(ds, new ReferralId(new UUID(0x1234L, 1)), second);
        List<byte[]> consistency = AuditProofs.consistency(ds, 7, 13);

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
        SignedTreeHead head =
                TreeHeads.signIfDue(ds, signer, 1, HOUR, Clock.systemUTC()).orElseThrow();

        assertThatThrownBy(() -> AuditProofs.inclusion(ds, 5, head))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.REQUEST_INVALID);
                    assertThat(e.getMessage())
                            .isEqualTo("seq 5 is out of range (expected: 1-4, the size of the" + " tree head)");
                });
    }

    @Test
    void databaseRefusesToChangeAHeadOrTurnTheCounterBack() throws SQLException {
        AuditFixtures.appendEntries(2);
        TreeHeads.signIfDue(ds, signer, 1, HOUR, Clock.systemUTC()).orElseThrow();

        assertRefused("UPDATE audit_tree_head SET size = 1", "audit_tree_head is append-only: UPDATE refused");
        assertRefused("DELETE FROM audit_tree_head", "audit_tree_head is append-only: DELETE refused");
        assertRefused("UPDATE audit_counter SET last_seq = 1", "audit_counter only counts up by one: 2 to 1 refused");
        assertRefused("DELETE FROM audit_counter", "audit_counter is append-only: DELETE refused");
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
