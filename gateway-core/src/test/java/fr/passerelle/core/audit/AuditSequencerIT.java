package fr.passerelle.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.passerelle.core.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two instances' sequencers on one database: one leads, the other takes over when the leader's connection dies. */
class AuditSequencerIT {
    private static final Duration PROMISE = Duration.ofSeconds(1);

    @BeforeEach
    void emptyTables() {
        TestDatabase.reset();
    }

    @Test
    void anotherInstanceTakesOverWhenTheLeadersConnectionDiesAndNumbersWhatWasQueued() throws Exception {
        DataSource other = TestDatabase.independentDataSource();
        List<AuditSequencer.Batch> batches = new CopyOnWriteArrayList<>();
        try (AuditSequencer first = sequencer(TestDatabase.dataSource(), batches);
                AuditSequencer second = sequencer(other, batches)) {
            first.start();
            await().atMost(Duration.ofSeconds(10)).until(first::leading);
            second.start();
            AuditFixtures.queueEntries(4);
            await().atMost(Duration.ofSeconds(10)).until(() -> AuditSequencer.pending(TestDatabase.dataSource()) == 0);
            assertThat(second.leading()).as("one leader at a time").isFalse();

            assertThat(terminateLeader())
                    .as("the leader's backend, as a kill -9 leaves it")
                    .isTrue();
            AuditFixtures.queueEntries(3);

            await().atMost(Duration.ofSeconds(10)).until(second::leading);
            await().atMost(Duration.ofSeconds(10)).until(() -> AuditSequencer.pending(TestDatabase.dataSource()) == 0);
        }

        assertThat(batches).extracting(AuditSequencer.Batch::size).contains(4L, 7L);
        assertThat(AuditVerifier.verify(
                                TestDatabase.dataSource(),
                                AuditFixtures.gatewaySigner().certificate())
                        .summary())
                .startsWith("audit log verified: 7 entries, ");
    }

    @Test
    void givesTheLockBackWhenItStops() throws Exception {
        try (AuditSequencer first = sequencer(TestDatabase.dataSource(), new CopyOnWriteArrayList<>())) {
            first.start();
            await().atMost(Duration.ofSeconds(10)).until(first::leading);
            AuditFixtures.queueEntries(2);
        }

        assertThat(leaders()).as("no session keeps the lock").isZero();
        assertThat(AuditSequencer.pending(TestDatabase.dataSource()))
                .as("the last batch numbered what was queued")
                .isZero();
    }

    private static AuditSequencer sequencer(DataSource ds, List<AuditSequencer.Batch> batches) {
        return new AuditSequencer(ds, AuditFixtures::gatewaySigner, PROMISE, Clock.systemUTC(), batch -> {
            if (batch.entries() > 0) {
                batches.add(batch);
            }
        });
    }

    private static boolean terminateLeader() throws SQLException {
        try (Connection c = TestDatabase.independentDataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_terminate_backend(l.pid) FROM pg_locks l WHERE"
                        + " l.locktype = 'advisory' AND l.granted AND l.objid = ("
                        + AuditSequencer.LOCK + " & 4294967295)::oid")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static long leaders() throws SQLException {
        try (Connection c = TestDatabase.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_locks l WHERE l.locktype = 'advisory' AND"
                        + " l.granted AND l.objid = (" + AuditSequencer.LOCK + " & 4294967295)::oid")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
