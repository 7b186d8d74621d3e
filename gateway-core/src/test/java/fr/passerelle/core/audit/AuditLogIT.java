package fr.passerelle.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuditLogIT {

    @BeforeEach
    void emptyTables() {
        TestDatabase.reset();
    }

    @Test
    void readsBackWhatWasAppendedInLogOrder() throws SQLException {
        ReferralId referral = ReferralId.random();
        try (Connection c = TestDatabase.dataSource().getConnection()) {
            AuditLog.append(
                    c,
                    "police-75-brp",
                    "referral.submitted",
                    Optional.of(referral),
                    Map.of("type", "shelter.request", "department", "2A"));
            AuditLog.append(c, "admin-01", "route.changed", Optional.empty(), Map.of("route", "siao-2a"));
        }

        List<AuditRecord> queued = AuditLog.list(TestDatabase.dataSource(), Optional.empty());
        AuditFixtures.sequence();
        List<AuditRecord> all = AuditLog.list(TestDatabase.dataSource(), Optional.empty());
        List<AuditRecord> aboutReferral = AuditLog.list(TestDatabase.dataSource(), Optional.of(referral));

        assertThat(queued).extracting(AuditRecord::action).containsExactly("referral.submitted", "route.changed");
        assertThat(queued).extracting(AuditRecord::seq).as("not numbered yet").containsExactly(0L, 0L);
        assertThat(all).extracting(AuditRecord::action).containsExactly("referral.submitted", "route.changed");
        assertThat(all.get(0).seq()).isLessThan(all.get(1).seq());
        assertThat(aboutReferral).hasSize(1);
        assertThat(aboutReferral.get(0).actor()).isEqualTo("police-75-brp");
        assertThat(aboutReferral.get(0).referralId()).contains(referral);
        assertThat(aboutReferral.get(0).detail()).isEqualTo(Map.of("type", "shelter.request", "department", "2A"));
        assertThat(AuditLog.count(TestDatabase.dataSource())).isEqualTo(2);
    }

    @Test
    void databaseRefusesToUpdateAnEntry() throws SQLException {
        appendOne();

        assertThatThrownBy(() -> execute("UPDATE audit_entry SET actor = 'someone-else'"))
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).isEqualTo("42501");
                    assertThat(e.getMessage()).contains("audit_entry is append-only: UPDATE refused");
                });
        assertThat(AuditLog.list(TestDatabase.dataSource(), Optional.empty())
                        .get(0)
                        .actor())
                .isEqualTo("police-75-brp");
    }

    @Test
    void databaseRefusesToDeleteEntriesEvenWhenNoneMatch() throws SQLException {
        appendOne();

        assertThatThrownBy(() -> execute("DELETE FROM audit_entry"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getMessage())
                        .contains("audit_entry is append-only: DELETE refused"));
        assertThatThrownBy(() -> execute("DELETE FROM audit_entry WHERE seq < 0"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getMessage())
                        .contains("audit_entry is append-only: DELETE refused"));
        assertThat(AuditLog.count(TestDatabase.dataSource())).isEqualTo(1);
    }

    @Test
    void databaseRefusesToTruncateTheLog() throws SQLException {
        appendOne();

        assertThatThrownBy(() -> execute("TRUNCATE audit_entry"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getMessage())
                        .contains("audit_entry is append-only: TRUNCATE refused"));
        assertThat(AuditLog.count(TestDatabase.dataSource())).isEqualTo(1);
    }

    @Test
    void refusesFreeTextInTheDetailWithoutRepeatingIt() throws SQLException {
        try (Connection c = TestDatabase.dataSource().getConnection()) {

            assertThatThrownBy(() -> AuditLog.append(
                            c,
                            "association-75-amicale",
                            "receipt.recorded",
                            Optional.empty(),
                            Map.of("note", "Jeanne Martin, 12 rue des Lilas")))
                    .isInstanceOfSatisfying(GatewayException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
                        assertThat(e.getMessage())
                                .isEqualTo("audit detail 'note' of action receipt.recorded is"
                                        + " not an identifier or code (expected: letters, digits and . _ : / , @ + = -, no"
                                        + " spaces, at most 2048 characters)");
                    });
        }
        assertThat(AuditLog.count(TestDatabase.dataSource())).isZero();
    }

    private static void appendOne() throws SQLException {
        try (Connection c = TestDatabase.dataSource().getConnection()) {
            AuditLog.append(c, "police-75-brp", "referral.submitted", Optional.empty(), Map.of("type", "x"));
        }
        AuditFixtures.sequence();
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = TestDatabase.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
