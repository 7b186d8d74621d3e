package fr.passerelle.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.config.versions.FileSet;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader reports a file set held in memory exactly as the same files on disk. */
class ConfigFilesTest {
    @TempDir
    Path temp;

    private TestConfig config;

    @BeforeEach
    void writeValidConfiguration() {
        config = TestConfig.valid(temp);
    }

    @Test
    void loadsTheSameDeploymentFromMemoryAsFromTheFolder() {
        ConfigReport fromDisk = config.check();
        ConfigReport fromMemory = ConfigLoader.check(
                config.gateway(),
                FileSet.read(config.dir()).source(config.dir()),
                Map.of(),
                ConfigChecks.lenient(),
                TestConfig.CLOCK);

        assertThat(fromMemory.problems()).isEmpty();
        assertThat(fromMemory.deployment().orElseThrow().partners())
                .isEqualTo(fromDisk.deployment().orElseThrow().partners());
        assertThat(fromMemory.deployment().orElseThrow().routes())
                .isEqualTo(fromDisk.deployment().orElseThrow().routes());
    }

    @Test
    void reportsTheSameProblemsWithTheSameFilesLinesAndFixesFromMemory() {
        config.replace("partners/siao-75.yaml", "enabled: true", "enabled: true\ncolour: blue");
        config.write("partners/association-75-amarante.pem", "not a certificate");
        config.replace("routes.yaml", "to: [{kind: siao}]", "to: [{kind: siaoo}]");

        ConfigReport fromDisk = config.check();
        ConfigReport fromMemory = ConfigLoader.check(
                config.gateway(),
                FileSet.read(config.dir()).source(config.dir()),
                Map.of(),
                ConfigChecks.lenient(),
                TestConfig.CLOCK);
        ConfigReport bare = ConfigLoader.check(
                config.gateway(),
                FileSet.read(config.dir()).source(Path.of("")),
                Map.of(),
                ConfigChecks.lenient(),
                TestConfig.CLOCK);

        assertThat(fromDisk.errors()).hasSize(3);
        assertThat(fromMemory.problems()).isEqualTo(fromDisk.problems());
        assertThat(bare.problems())
                .extracting(ConfigProblem::toString)
                .isEqualTo(fromDisk.problems().stream().map(config::shown).toList());
        assertThat(bare.problems().get(2).toString())
                .isEqualTo("routes.yaml:12: error: unknown partner kind 'siaoo'"
                        + " (expected one of: " + fr.passerelle.core.partner.PartnerKind.codes()
                        + ") (fix: did you mean"
                        + " 'siao'?)");
    }
}
