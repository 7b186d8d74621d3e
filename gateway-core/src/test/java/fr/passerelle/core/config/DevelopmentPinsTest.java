package fr.passerelle.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.versions.FileSet;
import fr.passerelle.core.partner.PartnerId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevelopmentPinsTest {
    private static final String POLICE_PIN = TestConfig.fingerprint("0f");
    private static final String SIAO_PIN = TestConfig.fingerprint("1e");
    private static final String ADMIN_PIN = TestConfig.fingerprint("2d");
    private static final String OWN_PIN = TestConfig.fingerprint("3c");

    @TempDir
    Path temp;

    Path config;
    Path pki;

    @BeforeEach
    void folders() throws Exception {
        config = Files.createDirectories(temp.resolve("config"));
        pki = temp.resolve("pki");
        Files.createDirectories(pki.resolve("partners"));
        Files.createDirectories(config.resolve("partners"));
        Files.createDirectories(config.resolve("admins"));
        Files.writeString(
                config.resolve("partners/police-75-brp.yaml"),
                "id: police-75-brp\n# the pin\ncertificate:\n  sha256: \"\"\nenabled: true\n");
        Files.writeString(
                config.resolve("partners/siao-75.yaml"), "id: siao-75\ncertificate:\n  sha256: \"" + OWN_PIN + "\"\n");
        Files.writeString(config.resolve("admins/admin.yaml"), "id: admin\ncertificate:\n  sha256: \"\"\n");
        Files.writeString(pki.resolve("partners/police-75-brp.pem"), "police certificate\n");
        Files.writeString(pki.resolve("partners/siao-75.pem"), "siao certificate\n");
        DevelopmentPins.write(
                pki,
                Map.of(PartnerId.of("police-75-brp"), POLICE_PIN.toLowerCase(), PartnerId.of("siao-75"), SIAO_PIN),
                Map.of("admin", ADMIN_PIN));
    }

    @Test
    void pinsTheEntriesThatPinNothingOnTheirOwnLineAndBringTheirCertificates() {
        Map<String, String> overlay = DevelopmentPins.read(pki).overlay(config);

        assertThat(overlay)
                .containsOnlyKeys("partners/police-75-brp.yaml", "partners/police-75-brp.pem", "admins/admin.yaml");
        assertThat(overlay.get("partners/police-75-brp.yaml"))
                .isEqualTo("id: police-75-brp\n# the pin\ncertificate:\n" + "  sha256: \"" + POLICE_PIN.toUpperCase()
                        + "\"\nenabled: true\n");
        assertThat(overlay.get("partners/police-75-brp.pem")).isEqualTo("police certificate\n");
        assertThat(overlay.get("admins/admin.yaml")).contains("sha256: \"" + ADMIN_PIN.toUpperCase() + "\"");
    }

    @Test
    void neverReplacesACertificateThatTheConfigurationHolds() throws Exception {
        Files.writeString(config.resolve("partners/police-75-brp.pem"), "the administrator's own\n");

        Map<String, String> overlay = DevelopmentPins.read(pki).overlay(config);

        assertThat(overlay).containsKey("partners/police-75-brp.yaml").doesNotContainKey("partners/police-75-brp.pem");
    }

    @Test
    void makesAVersionOfTheFolderAsTheGatewayReadsIt() throws Exception {
        DevelopmentPins pins = DevelopmentPins.read(pki);

        FileSet files = FileSet.read(config, pins);

        assertThat(files.text("partners/police-75-brp.yaml").orElseThrow()).contains(POLICE_PIN.toUpperCase());
        assertThat(files.text("partners/police-75-brp.pem")).hasValue("police certificate\n");
        assertThat(files.text("partners/siao-75.yaml"))
                .hasValue(Files.readString(config.resolve("partners/siao-75.yaml")));
        assertThat(FileSet.read(config, pins).digest()).isEqualTo(files.digest());
        assertThat(FileSet.read(config, DevelopmentPins.none())).isEqualTo(FileSet.read(config));
    }

    @Test
    void listsAndReadsTheOverlaidFilesOfAFolder() throws Exception {
        Map<String, String> overlay = DevelopmentPins.read(pki).overlay(config);
        ConfigFiles files = ConfigFiles.folder(config, overlay);
        Problems problems = new Problems();

        assertThat(files.list("partners", "partners", problems))
                .containsExactly("partners/police-75-brp.pem", "partners/police-75-brp.yaml", "partners/siao-75.yaml");
        assertThat(files.exists("partners/police-75-brp.pem")).isTrue();
        assertThat(new String(files.bytes("partners/police-75-brp.pem"))).isEqualTo("police certificate\n");
        assertThat(files.text("partners/police-75-brp.yaml", problems))
                .hasValue(overlay.get("partners/police-75-brp.yaml"));
        assertThat(problems.sorted()).isEmpty();
    }

    @Test
    void hasNoPinsWithoutAFile() throws Exception {
        Files.delete(pki.resolve(DevelopmentPins.FILE));

        assertThat(DevelopmentPins.read(pki).overlay(config)).isEmpty();
    }

    @Test
    void refusesAMalformedPinNamingTheFileAndTheFix() throws Exception {
        Path file = pki.resolve(DevelopmentPins.FILE);
        Files.writeString(file, "partners:\n  police-75-brp: AA:BB\n");

        assertThatThrownBy(() -> DevelopmentPins.read(pki))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessage(
                        file + ": partners.police-75-brp is not a pin (expected: <id>: \"AA:BB:...\", 32 hex pairs);"
                                + " run `gateway pki init --force` to write it again");
    }
}
