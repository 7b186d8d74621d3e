package fr.passerelle.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.GatewayException;
import fr.passerelle.core.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuditAppendIT {

    @BeforeEach
    void emptyTables() {
        TestDatabase.reset();
        AuditFixtures.gatewaySigner(); // before any entry: making its PKI takes longer than the promise
    }

    @Test
    void numbersEntriesWithoutGapsUnderConcurrentAppendersAndARollback() throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<?>> done = new ArrayList<>();
        for (int appender = 0; appender < 2; appender++) {
            String actor = "gateway-" + appender;
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 50; i++) {
                    try (Connection c = TestDatabase.dataSource().getConnection()) {
                        c.setAutoCommit(false);
                        AuditLog.append(c, actor, "referral.routed", Optional.empty(), Map.of("n", "" + i));
                        c.commit();
                    }
                }
                return null;
            }));
        }
        done.add(pool.submit(() -> {
            start.await();
            for (int i = 0; i < 10; i++) {
                try (Connection c = TestDatabase.dataSource().getConnection()) {
                    c.setAutoCommit(false);
                    AuditLog.append(c, "gateway-rolled-back", "referral.routed", Optional.empty(), Map.of());
                    c.rollback();
                }
            }
            return null;
        }));
        start.countDown();
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        AuditFixtures.sequence();

        assertThat(seqs())
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, 100).boxed().toList());
        assertThat(AuditVerifier.verify(
                                TestDatabase.dataSource(),
                                AuditFixtures.gatewaySigner().certificate())
                        .summary())
                .isEqualTo("audit log verified: 100 entries, 1 signed tree head");
    }

    @Test
    void numbersAnEntryWhoseTransactionCommitsAfterALaterOneWasNumbered() throws SQLException {
        // One sequencer throughout: it must look again at the transaction that was still running at its last batch.
        try (AuditSequencer sequencer = new AuditSequencer(
                        TestDatabase.dataSource(),
                        AuditFixtures::gatewaySigner,
                        Duration.ofSeconds(1),
                        Clock.systemUTC(),
                        batch -> {});
                Connection slow = TestDatabase.dataSource().getConnection()) {
            slow.setAutoCommit(false);
            long early = AuditLog.append(slow, "gateway", "referral.routed", Optional.empty(), Map.of("n", "early"));
            AuditFixtures.queueEntries(2);
            assertThat(sequencer.sequenceNow(Duration.ofSeconds(30))).isEqualTo(2);
            slow.commit();
            assertThat(early).isEqualTo(1);
            AuditFixtures.queueEntries(1);

            assertThat(sequencer.sequenceNow(Duration.ofSeconds(30))).isEqualTo(4);
        }

        assertThat(AuditLog.list(TestDatabase.dataSource(), Optional.empty()))
                .extracting(r -> r.seq() + "@" + r.queued().orElseThrow().position())
                .containsExactly("3@1", "1@2", "2@3", "4@4");
        assertThat(AuditVerifier.verify(
                                TestDatabase.dataSource(),
                                AuditFixtures.gatewaySigner().certificate())
                        .summary())
                .isEqualTo("audit log verified: 4 entries, 2 signed tree heads");
    }

    @Test
    void appendsSeveralEntriesInOneCallAsConsecutiveChainedEntriesThatVerify() throws SQLException {
        AuditFixtures.appendEntries(2);
        List<Long> positions;
        try (Connection c = TestDatabase.dataSource().getConnection()) {
            c.setAutoCommit(false);
            positions = AuditLog.appendAll(
                    c,
                    List.of(
                            new AuditLog.Entry("siao-75", "delivery.pulled", Optional.empty(), Map.of("cursor", "1")),
                            new AuditLog.Entry("siao-75", "delivery.pulled", Optional.empty(), Map.of("cursor", "2")),
                            new AuditLog.Entry("gateway", "referral.routed", Optional.empty(), Map.of())));
            c.commit();
        }
        long next;
        try (Connection c = TestDatabase.dataSource().getConnection()) {
            next = AuditLog.append(c, "gateway", "referral.routed", Optional.empty(), Map.of());
        }

        assertThat(positions).containsExactly(3L, 4L, 5L);
        assertThat(next).isEqualTo(6);
        assertThat(AuditLog.list(TestDatabase.dataSource(), Optional.empty()).stream()
                        .map(r -> r.seq() + " " + r.actor())
                        .toList())
                .as("queued, not numbered yet")
                .endsWith("0 siao-75", "0 siao-75", "0 gateway", "0 gateway");
        AuditFixtures.sequence();
        assertThat(AuditLog.list(TestDatabase.dataSource(), Optional.empty()).stream()
                        .map(r -> r.seq() + " " + r.actor() + " " + r.action() + " " + r.detail())
                        .toList())
                .endsWith(
                        "3 siao-75 delivery.pulled {cursor=1}", "4 siao-75 delivery.pulled {cursor=2}",
                        "5 gateway referral.routed {}", "6 gateway referral.routed {}");
        assertThat(AuditVerifier.verify(
                                TestDatabase.dataSource(),
                                AuditFixtures.gatewaySigner().certificate())
                        .summary())
                .isEqualTo("audit log verified: 6 entries, 2 signed tree heads");
    }

    @Test
    void appendsNothingOfABatchWithOneRefusedEntry() throws SQLException {
        try (Connection c = TestDatabase.dataSource().getConnection()) {
            assertThatThrownBy(() -> AuditLog.appendAll(
                            c,
                            List.of(
                                    new AuditLog.Entry("gateway", "referral.routed", Optional.empty(), Map.of()),
                                    new AuditLog.Entry(
                                            "gateway", "referral.routed", Optional.empty(), Map.of("note", "a b")))))
                    .isInstanceOf(GatewayException.class)
                    .hasMessage("audit detail 'note' of action referral.routed is not an identifier or code"
                            + " (expected: letters, digits and . _ : / , @ + = -, no spaces, at most 2048 characters)");
        }

        assertThat(seqs()).isEmpty();
    }

    @Test
    void numbersNoEntryOfARolledBackTransaction() throws SQLException {
        AuditFixtures.appendEntries(2);
        try (Connection c = TestDatabase.dataSource().getConnection()) {
            c.setAutoCommit(false);
            assertThat(AuditLog.append(c, "gateway", "referral.routed", Optional.empty(), Map.of()))
                    .isEqualTo(3);
            c.rollback();
        }

        long next;
        try (Connection c = TestDatabase.dataSource().getConnection()) {
            next = AuditLog.append(c, "gateway", "referral.routed", Optional.empty(), Map.of());
        }
        AuditFixtures.sequence();

        assertThat(next).as("the queue skips the rolled-back position").isEqualTo(4);
        assertThat(seqs()).as("the log does not").containsExactly(1L, 2L, 3L);
    }

    @Test
    void storesTheLeafHashOfTheEntryAndChainsItToThePrevious() throws SQLException {
        AuditFixtures.appendEntries(2);

        List<AuditRecord> records = AuditLog.list(TestDatabase.dataSource(), Optional.empty());
        List<byte[][]> hashes = new ArrayList<>();
        try (Connection c = TestDatabase.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("SELECT leaf_hash, chain_hash FROM audit_entry ORDER BY seq");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                hashes.add(new byte[][] {rs.getBytes(1), rs.getBytes(2)});
            }
        }

        byte[] leaf1 = AuditEncoding.leafHash(records.get(0));
        byte[] leaf2 = AuditEncoding.leafHash(records.get(1));
        assertThat(hashes.get(0)[0]).isEqualTo(leaf1);
        assertThat(hashes.get(0)[1]).isEqualTo(AuditEncoding.chainHash(new byte[32], leaf1));
        assertThat(hashes.get(1)[0]).isEqualTo(leaf2);
        assertThat(hashes.get(1)[1]).isEqualTo(AuditEncoding.chainHash(hashes.get(0)[1], leaf2));
    }

    private static List<Long> seqs() throws SQLException {
        List<Long> seqs = new ArrayList<>();
        try (Connection c = TestDatabase.dataSource().getConnection();
                PreparedStatement s = c.prepareStatement("SELECT seq FROM audit_entry ORDER BY seq");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                seqs.add(rs.getLong(1));
            }
        }
        return seqs;
    }
}
