package fr.passerelle.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PinFingerprintTest {
    private static final Path SHIPPED =
            Path.of(System.getProperty("user.dir")).resolveSibling("config").resolve("partners/police-75-brp.yaml");
    private static final String FINGERPRINT = TestConfig.fingerprint("0f");

    @TempDir
    Path temp;

    private static final String PINNED = "\"" + FINGERPRINT.toUpperCase() + "\"";

    private Path copy(String text) throws Exception {
        Path file = temp.resolve("police-75-brp.yaml");
        Files.writeString(file, text);
        return file;
    }

    /** The file's text after pinning. */
    private String pinned(String text) throws Exception {
        Path file = copy(text);
        ConfigLoader.pinFingerprint(file, FINGERPRINT);
        return Files.readString(file);
    }

    @Test
    void rewritesOnlyTheFingerprintAndKeepsCommentsAndLayout() throws Exception {
        String original = Files.readString(SHIPPED);

        String result = pinned(original);

        assertThat(result).isEqualTo(original.replace("  sha256: \"\"\n", "  sha256: " + PINNED + "\n"));
    }

    @Test
    void replacesAPinnedFingerprintAndKeepsTheCommentOnItsLine() throws Exception {
        String result = pinned("id: police-75-brp\ncertificate:\n  sha256: AA:BB   # old one\nenabled: true\n");

        assertThat(result)
                .isEqualTo("id: police-75-brp\ncertificate:\n  sha256: " + PINNED + "   # old one\nenabled: true\n");
    }

    @Test
    void fillsAnEmptyValue() throws Exception {
        String result = pinned("id: police-75-brp\ncertificate:\n  sha256:\nenabled: true\n");

        assertThat(result).isEqualTo("id: police-75-brp\ncertificate:\n  sha256: " + PINNED + "\nenabled: true\n");
    }

    @Test
    void rewritesAFlowMappingAndKeepsWindowsLineEndings() throws Exception {
        String result = pinned("id: police-75-brp\r\nname: Brigade de répression du proxénétisme\r\n"
                + "certificate: {sha256: ''}\r\n");

        assertThat(result)
                .isEqualTo("id: police-75-brp\r\nname: Brigade de répression du"
                        + " proxénétisme\r\ncertificate: {sha256: " + PINNED + "}\r\n");
    }

    @Test
    void appendsACertificateSectionWhenThereIsNone() throws Exception {
        String result = pinned("id: police-75-brp\nenabled: true");

        assertThat(result).isEqualTo("id: police-75-brp\nenabled: true\ncertificate:\n  sha256: " + PINNED + "\n");
    }

    @Test
    void ignoresASha256KeyOutsideTheCertificateSection() throws Exception {
        String result = pinned("notes: {sha256: keep}\ncertificate:\n  sha256: \"\"\n");

        assertThat(result).isEqualTo("notes: {sha256: keep}\ncertificate:\n  sha256: " + PINNED + "\n");
    }

    @Test
    void refusesAMalformedFingerprintAndLeavesTheFileAlone() throws Exception {
        String original = "id: police-75-brp\ncertificate:\n  sha256: \"\"\n";
        Path file = copy(original);

        assertThatThrownBy(() -> ConfigLoader.pinFingerprint(file, "AA:BB"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage())
                            .isEqualTo("cannot pin a malformed fingerprint in " + file
                                    + " (expected: 32 hex pairs separated by colons)");
                });
        assertThat(Files.readString(file)).isEqualTo(original);
    }

    @Test
    void thePinnedFileChecksAndAuthenticatesThePartner() throws Exception {
        TestConfig config = TestConfig.valid(temp);
        config.replace("partners/siao-75.yaml", TestConfig.FP_SIAO, "");

        ConfigLoader.pinFingerprint(config.file("partners/siao-75.yaml"), TestConfig.FP_SIAO.toLowerCase());

        ConfigReport report = config.check();
        assertThat(report.problems()).isEmpty();
        assertThat(report.deployment()
                        .orElseThrow()
                        .partnerByFingerprint(TestConfig.FP_SIAO)
                        .orElseThrow()
                        .id()
                        .value())
                .isEqualTo("siao-75");
    }
}
