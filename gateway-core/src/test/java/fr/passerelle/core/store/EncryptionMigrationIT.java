package fr.passerelle.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.testkit.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Migration 2 on a version 1 database, in a schema of its own beside the shared test schema. */
class EncryptionMigrationIT {
    private static final String SCHEMA = "v1_leftover";

    @AfterEach
    void dropSchema() throws SQLException {
        execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }

    @Test
    void refusesToMigrateReferralsStoredInClearByVersionOne() throws SQLException {
        flyway("1").migrate();
        execute("INSERT INTO " + SCHEMA + ".referral (id, type, sender, department, urgency, status, request_digest,"
                + " submitted_at, document) VALUES (gen_random_uuid(), 'shelter.request', 'police-75-brp', '75',"
                + " 'urgent', 'routed', '\\x01', now(), '\\x7b7d')");

        assertThatThrownBy(() -> flyway("2").migrate())
                .isInstanceOf(FlywayException.class)
                .hasMessageContaining("the database holds referrals stored in clear by schema version 1; they cannot"
                        + " be encrypted");
    }

    @Test
    void migratesAnEmptyVersionOneDatabase() {
        flyway("1").migrate();

        assertThat(flyway("2").migrate().migrationsExecuted).isEqualTo(1);
    }

    private static Flyway flyway(String target) {
        return Flyway.configure()
                .dataSource(TestDatabase.dataSource())
                .schemas(SCHEMA)
                .locations("classpath:db/migration")
                .target(target)
                .load();
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = TestDatabase.dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
