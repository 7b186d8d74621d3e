package fr.passerelle.core.input;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonValuesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void findsANumberThatOverflowedToInfinityByItsPath() throws Exception {
        var node = JSON.readTree("{\"a\":1.5,\"b\":[0,{\"c\":-1e999999}],\"d\":1e999999}");

        assertThat(JsonValues.firstNonFiniteNumber(node)).contains("$.b[1].c");
    }

    @Test
    void acceptsFiniteNumbersIncludingBigIntegersAndUnderflows() throws Exception {
        var node = JSON.readTree("{\"a\":1e-999999,\"b\":123456789012345678901234567890,\"c\":1.7976931348623157e308}");

        assertThat(JsonValues.firstNonFiniteNumber(node)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "\\u0000",
                "\\u0001",
                "\\u001f",
                "\\ufffe",
                "\\uffff",
                "\\ud800",
                "\\udc00",
                "a\\ud800b",
                "\\udc00\\ud800"
            })
    void findsTextXmlCannotCarryByItsPathNeverItsValue(String escaped) throws Exception {
        var node = JSON.readTree("{\"subject\":{\"names\":[\"ok\",\"Secret" + escaped + "\"]}}");

        assertThat(JsonValues.firstNonXmlText(node)).contains("$.subject.names[1]");
    }

    @Test
    void findsAPropertyNameXmlCannotCarryWithoutShowingIt() throws Exception {
        var node = JSON.readTree("{\"subject\":{\"bad\\u0001name\":\"x\"}}");

        assertThat(JsonValues.firstNonXmlText(node)).contains("$.subject.? (its name)");
    }

    @Test
    void acceptsTabsNewlinesAccentsAndPairedSurrogates() throws Exception {
        var node = JSON.readTree("{\"a\":\"l1\\tl2\\r\\nJosé \\ud83d\\ude00 \\ufffd \\ue000\"}");

        assertThat(JsonValues.firstNonXmlText(node)).isEmpty();
    }
}
