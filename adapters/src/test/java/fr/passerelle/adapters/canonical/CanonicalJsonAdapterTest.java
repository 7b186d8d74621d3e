package fr.passerelle.adapters.canonical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.spi.Adapters;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CanonicalJsonAdapterTest {
    private final CanonicalJsonAdapter adapter = new CanonicalJsonAdapter();

    @Test
    void readsAJsonObject() {
        var node = adapter.read(bytes("{\"type\":\"victim.orientation\"}"), "application/json");

        assertThat(node.get("type").asText()).isEqualTo("victim.orientation");
    }

    @Test
    void refusesDuplicateKeysSoThatWhatIsValidatedIsWhatWasMeant() {
        assertThatThrownBy(() -> adapter.read(bytes("{\"type\":\"a\",\"type\":\"b\"}"), "application/json"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.JSON_MALFORMED);
                    assertThat(e.getMessage())
                            .startsWith("the request body is not valid JSON: Duplicate field")
                            .contains("line 1");
                });
    }

    @Test
    void refusesMalformedJsonWithoutEchoingTheInput() {
        assertThatThrownBy(() -> adapter.read(bytes("{\"subject\": {\"givenName\": Secretname}}"), "application/json"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.JSON_MALFORMED);
                    assertThat(e.getMessage()).doesNotContain("Secretname").contains("line 1, column");
                });
    }

    @Test
    void refusesTrailingTokensAndNonObjects() {
        assertThatThrownBy(() -> adapter.read(bytes("{} {}"), "application/json"))
                .hasMessageStartingWith("the request body is not valid JSON");
        assertThatThrownBy(() -> adapter.read(bytes("[1,2]"), "application/json"))
                .hasMessage("the request body is JSON of kind array (expected: a canonical referral as a JSON object)");
        assertThatThrownBy(() -> adapter.read(new byte[0], "application/json"))
                .hasMessage("the request body is empty (expected: a canonical referral as a JSON object)");
    }

    @Test
    void refusesOtherMediaTypes() {
        assertThatThrownBy(() -> adapter.read(bytes("<referral/>"), "application/xml"))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MEDIA_TYPE_UNSUPPORTED))
                .hasMessage(
                        "media type 'application/xml' is not read by the canonical-json format (expected: application/json)");
    }

    @Test
    void isFoundThroughTheServiceLoader() {
        Adapters adapters = Adapters.load();

        assertThat(adapters.inbound("canonical-json")).isInstanceOf(CanonicalJsonAdapter.class);
        assertThat(adapters.outbound("canonical-json").mediaType()).isEqualTo("application/json");
        assertThatThrownBy(() -> adapters.inbound("police-xmll"))
                .hasMessageStartingWith("no inbound adapter 'police-xmll' (available: ")
                .hasMessageContaining("canonical-json");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "c0af, an overlong form",
        "eda080, an encoded surrogate",
        "f4908080, a code point above U+10FFFF"
    })
    void refusesMalformedUtf8ThatJacksonAloneWouldDecode(String hex, String kind) {
        byte[] head = bytes("{\"type\":\"a");
        byte[] bad = java.util.HexFormat.of().parseHex(hex);
        byte[] body = new byte[head.length + bad.length + 2];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(bad, 0, body, head.length, bad.length);
        body[body.length - 2] = '"';
        body[body.length - 1] = '}';

        assertThatThrownBy(() -> adapter.read(body, "application/json"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.JSON_MALFORMED);
                    assertThat(e.getMessage())
                            .isEqualTo("the request body is not valid UTF-8 at byte offset 10: "
                                    + kind
                                    + " (expected: UTF-8 without overlong forms, encoded surrogates or code points"
                                    + " above U+10FFFF)");
                });
    }

    @Test
    void refusesANumberOutOfRangeNamingItsField() {
        assertThatThrownBy(() -> adapter.read(bytes("{\"schemaVersion\":1e999999}"), "application/json"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.JSON_MALFORMED);
                    assertThat(e.getMessage())
                            .isEqualTo("the request body holds a number out of range at"
                                    + " $.schemaVersion (expected: a number within the range of a double)");
                });
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
