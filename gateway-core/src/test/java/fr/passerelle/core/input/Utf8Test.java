package fr.passerelle.core.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Utf8Test {
    private static final String EXPECTED =
            "(expected: UTF-8 without overlong forms, encoded surrogates or code" + " points above U+10FFFF)";

    @ParameterizedTest
    @CsvSource({"412f, A/", "c3a9, é", "e282ac, €", "f09f9880, \uD83D\uDE00", "f48fbfbf, \uDBFF\uDFFF", "efbfbd, \uFFFD"
    })
    void decodesWellFormedUtf8(String hex, String text) {
        assertThat(Utf8.decode(HexFormat.of().parseHex(hex), ErrorCode.JSON_MALFORMED, "the request body"))
                .isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({
        "'41 c0 af', 1, an overlong form",
        "'c1 bf', 0, an overlong form",
        "'e0 80 af', 0, an overlong form",
        "'f0 80 80 af', 0, an overlong form",
        "'41 42 ed a0 80', 2, an encoded surrogate",
        "'ed b0 80', 0, an encoded surrogate",
        "'f4 90 80 80', 0, a code point above U+10FFFF",
        "'f5 80 80 80', 0, a code point above U+10FFFF",
        "'fe ff 00 41', 0, a byte that never occurs in UTF-8",
        "'41 80', 1, a continuation byte with no lead byte",
        "'41 e2 82', 1, a truncated sequence"
    })
    void refusesMalformedUtf8NamingTheOffsetAndTheKind(String hex, int offset, String kind) {
        byte[] bytes = HexFormat.ofDelimiter(" ").parseHex(hex);

        assertThatThrownBy(() -> Utf8.check(bytes, ErrorCode.FORMAT_INVALID, "the police-xml document"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.FORMAT_INVALID);
                    assertThat(e.getMessage())
                            .isEqualTo("the police-xml document is not valid UTF-8 at byte offset " + offset + ": "
                                    + kind + " " + EXPECTED);
                });
    }
}
