package fr.passerelle.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintsTest {
    @TempDir
    Path dir;

    @Test
    void printsTheSha256OfTheDerEncodingAsUpperCaseHexPairsJoinedByColons() throws Exception {
        PkiResult pki = DevelopmentPki.init(dir, List.of(), List.of(), Clock.systemUTC(), false);
        X509Certificate ca = PemFiles.readCertificates(pki.caCertificate()).get(0);

        String fingerprint = Fingerprints.sha256(ca);

        byte[] digest = MessageDigest.getInstance("SHA-256").digest(ca.getEncoded());
        assertThat(fingerprint).hasSize(95).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(HexFormat.ofDelimiter(":").parseHex(fingerprint)).isEqualTo(digest);
    }
}
