package fr.passerelle.core.audit;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.testkit.TestDatabase;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuditChecksIT {
    private final DataSource ds = TestDatabase.dataSource();

    @BeforeEach
    void logOfTenEntries() throws SQLException {
        TestDatabase.reset();
        AuditFixtures.appendEntries(10);
    }

    @Test
    void knowsNoVerificationBeforeTheFirst() {
        assertThat(AuditChecks.latest(ds)).isEmpty();
    }

    @Test
    void recordsAVerificationAsAnEntryWithItsCountsOnly() {
        AuditVerifier.Verdict verdict =
                AuditVerifier.verify(ds, AuditFixtures.gatewaySigner().certificate());

        long seq = AuditChecks.record(ds, "admin:alice", verdict);

        AuditRecord entry = AuditLog.list(ds, Optional.empty()).get(10);
        assertThat(seq).isEqualTo(11);
        assertThat(entry.actor()).isEqualTo("admin:alice");
        assertThat(entry.action()).isEqualTo("audit.verified");
        assertThat(entry.referralId()).isEmpty();
        assertThat(entry.detail()).containsOnlyKeys("entries", "ok", "treeHeads");
        assertThat(entry.detail()).containsEntry("entries", "10").containsEntry("ok", "true");
        assertThat(AuditVerifier.verify(ds, AuditFixtures.gatewaySigner().certificate())
                        .ok())
                .as("the verification's own entry chains like any other")
                .isTrue();
    }

    @Test
    void readsTheLatestVerificationWhateverCameAfterIt() throws SQLException {
        AuditChecks.record(ds, "admin:alice", new AuditVerifier.Verdict(true, 10, 0, Optional.empty()));
        AuditChecks.record(ds, "admin:bob", new AuditVerifier.Verdict(false, 7, 1, Optional.of("entry 8 is missing")));
        AuditFixtures.appendEntries(3);

        AuditChecks.Check last = AuditChecks.latest(ds).orElseThrow();

        assertThat(last.seq()).isEqualTo(12);
        assertThat(last.actor()).isEqualTo("admin:bob");
        assertThat(List.of(last.ok(), last.entries(), (long) last.treeHeads())).containsExactly(false, 7L, 1L);
        assertThat(last.at())
                .isEqualTo(AuditLog.list(ds, Optional.empty()).get(11).at());
    }
}
