package fr.passerelle.core.config.model;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.config.model.GatewaySettings.DatabaseSettings;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The database settings are validated once, when they are made: the store opens them without a second look. */
class DatabaseSettingsTest {
    @Test
    void refusesAUrlThatIsNotPostgresWithoutShowingItsPassword() {
        assertThatThrownBy(() -> new DatabaseSettings(
                        Optional.of("jdbc:mysql://db/passerelle?password=s3cret"),
                        Optional.empty(),
                        Optional.empty(),
                        4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("database.url 'jdbc:mysql://db/passerelle?password=<masked>' is not a PostgreSQL JDBC url"
                        + " (expected: jdbc:postgresql://host:port/database)");
    }

    @Test
    void refusesAPoolWithoutConnections() {
        assertThatThrownBy(() -> new DatabaseSettings(Optional.empty(), Optional.empty(), Optional.empty(), 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("database.max_pool_size 0 is out of range (expected: at least 1)");
    }
}
