package fr.passerelle.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import fr.passerelle.core.referral.Minority;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatisticsFacetsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void takesTheCommuneOfThePlaceThenOfTheEstablishment() throws Exception {
        JsonNode report = JSON.readTree("{\"place\": {\"commune\": \"Saint-Denis\", \"inseeCode\": \"97411\"}}");
        JsonNode closure = JSON.readTree("{\"establishment\": {\"inseeCode\": \"75111\"}}");

        assertThat(StatisticsFacets.of(report, Minority.ADULT).commune()).contains("97411");
        assertThat(StatisticsFacets.of(closure, Minority.NO_SUBJECT).commune()).contains("75111");
    }

    @Test
    void keepsNoCommuneWhenTheDocumentNamesNoCode() throws Exception {
        JsonNode named = JSON.readTree("{\"place\": {\"commune\": \"Paris\"}, \"subject\": {}}");

        assertThat(StatisticsFacets.of(named, Minority.ADULT).commune()).isEmpty();
    }

    @Test
    void countsAPresumedMinorAsAMinorAndNobodyWhenThereIsNoSubject() {
        JsonNode empty = JSON.createObjectNode();

        assertThat(StatisticsFacets.of(empty, Minority.PRESUMED_MINOR).minor()).contains(true);
        assertThat(StatisticsFacets.of(empty, Minority.ADULT).minor()).contains(false);
        assertThat(StatisticsFacets.of(empty, Minority.NO_SUBJECT).minor()).isEqualTo(Optional.empty());
    }
}
