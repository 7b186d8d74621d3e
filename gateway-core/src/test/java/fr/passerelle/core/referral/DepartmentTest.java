package fr.passerelle.core.referral;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DepartmentTest {
    @ParameterizedTest
    @CsvSource({
        "75, Europe/Paris",
        "2A, Europe/Paris",
        "971, America/Guadeloupe",
        "972, America/Martinique",
        "973, America/Cayenne",
        "974, Indian/Reunion",
        "976, Indian/Mayotte"
    })
    void readsTimesInItsOwnZone(String code, String zone) {
        assertThat(Department.of(code).zone()).isEqualTo(ZoneId.of(zone));
    }
}
