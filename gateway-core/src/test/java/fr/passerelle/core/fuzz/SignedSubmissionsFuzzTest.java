package fr.passerelle.core.fuzz;

import static fr.passerelle.core.testkit.FuzzContract.readOrRefuseAsClientError;

import com.code_intelligence.jazzer.junit.FuzzTest;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.crypto.SignedSubmissions;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.testkit.FuzzContract;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * A signed submission (CMS SignedData in DER, PEM or S/MIME) checked against a pinned certificate. The seeds are
 * signed with fuzz-signer.pem (`openssl cms -sign -nodetach`, its key thrown away), so the fuzzer starts from
 * bodies that verify and reaches past the parser into the signer checks.
 */
class SignedSubmissionsFuzzTest {
    private static final PartnerId PARTNER = PartnerId.of("police-75-brp");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final X509Certificate PINNED = pinned();

    @FuzzTest(maxDuration = FuzzContract.ROUND)
    void verify(byte[] body) {
        readOrRefuseAsClientError(() -> SignedSubmissions.verify(body, PARTNER, PINNED, CLOCK));
    }

    private static X509Certificate pinned() {
        try {
            return PemFiles.readCertificates(Path.of(SignedSubmissionsFuzzTest.class
                            .getResource("fuzz-signer.pem")
                            .toURI()))
                    .get(0);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("fuzz-signer.pem is not a file on the test class path", e);
        }
    }
}
