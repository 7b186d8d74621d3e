package fr.passerelle.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.config.ConfigProblem.Severity;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigProblemTest {
    @Test
    void printsLikeACompilerSoEditorsCanJumpToTheLine() {
        ConfigProblem problem = new ConfigProblem(Severity.ERROR, Path.of("config/routes.yaml"), 12, "bad", "fix it");

        assertThat(problem).hasToString("config/routes.yaml:12: error: bad (fix: fix it)");
    }

    @Test
    void leavesOutAMissingLineAndAnEmptyFix() {
        ConfigProblem problem = new ConfigProblem(Severity.WARNING, Path.of("partners"), 0, "odd", "");

        assertThat(problem).hasToString("partners: warning: odd");
    }

    @Test
    void splitsErrorsFromWarnings() {
        ConfigProblem error = new ConfigProblem(Severity.ERROR, Path.of("a.yaml"), 1, "e", "");
        ConfigProblem warning = new ConfigProblem(Severity.WARNING, Path.of("a.yaml"), 2, "w", "");

        ConfigReport report = new ConfigReport(List.of(error, warning), Optional.empty());

        assertThat(report.errors()).containsExactly(error);
        assertThat(report.warnings()).containsExactly(warning);
    }
}
