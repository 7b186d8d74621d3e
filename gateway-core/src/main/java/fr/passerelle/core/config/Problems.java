package fr.passerelle.core.config;

import fr.passerelle.core.config.ConfigProblem.Severity;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects the problems of one configuration check; not thread-safe. */
final class Problems {
    private final List<ConfigProblem> found = new ArrayList<>();

    void error(Path file, int line, String message, String fix) {
        found.add(new ConfigProblem(Severity.ERROR, file, line, message, fix));
    }

    void warning(Path file, int line, String message, String fix) {
        found.add(new ConfigProblem(Severity.WARNING, file, line, message, fix));
    }

    long errorCount() {
        return found.stream().filter(ConfigProblem::isError).count();
    }

    boolean hasErrors() {
        return found.stream().anyMatch(ConfigProblem::isError);
    }

    /** By file, then line; problems on the same line keep the order in which they were found. */
    List<ConfigProblem> sorted() {
        return found.stream()
                .sorted(Comparator.comparing((ConfigProblem p) -> p.file().toString())
                        .thenComparingInt(ConfigProblem::line))
                .toList();
    }
}
