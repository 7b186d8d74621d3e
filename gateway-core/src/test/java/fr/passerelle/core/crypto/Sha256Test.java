package fr.passerelle.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Sha256Test {
    // FIPS 180-2, appendix B.1 and B.2, and the digest of the empty message.
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final String TWO_BLOCKS = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
    private static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void hashesTheFipsTestVectorsToLowerCaseHex() {
        assertThat(Sha256.hex(ascii("abc"))).isEqualTo(ABC);
        assertThat(Sha256.hex(ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")))
                .isEqualTo(TWO_BLOCKS);
        assertThat(Sha256.hex(new byte[0])).isEqualTo(EMPTY);
    }

    @Test
    void hashesPartsAsIfTheyWereOneMessage() {
        byte[] digest = Sha256.digest(ascii("a"), new byte[0], ascii("bc"));

        assertThat(HexFormat.of().formatHex(digest)).isEqualTo(ABC);
    }

    @Test
    void hashesNoPartsAsTheEmptyMessage() {
        assertThat(HexFormat.of().formatHex(Sha256.digest())).isEqualTo(EMPTY);
    }

    @Test
    void givesAFreshDigestEachTime() {
        MessageDigest first = Sha256.newDigest();
        first.update(ascii("unrelated"));

        MessageDigest second = Sha256.newDigest();
        second.update(ascii("abc"));

        assertThat(second).isNotSameAs(first);
        assertThat(HexFormat.of().formatHex(second.digest())).isEqualTo(ABC);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
