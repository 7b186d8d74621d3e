package fr.passerelle.core.config;

import fr.passerelle.core.config.model.Deployment;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ConfigLoader#check} found: every problem, errors and warnings, in file and line order, and the
 * deployment when there was no error.
 *
 * @param deployment present if and only if {@link #errors()} is empty
 */
public record ConfigReport(List<ConfigProblem> problems, Optional<Deployment> deployment) {
    public ConfigReport {
        problems = List.copyOf(problems);
        Objects.requireNonNull(deployment, "deployment");
        if (deployment.isPresent() && problems.stream().anyMatch(ConfigProblem::isError)) {
            throw new IllegalArgumentException("a report with errors cannot hold a deployment");
        }
    }

    public List<ConfigProblem> errors() {
        return problems.stream().filter(ConfigProblem::isError).toList();
    }

    public List<ConfigProblem> warnings() {
        return problems.stream().filter(p -> !p.isError()).toList();
    }
}
