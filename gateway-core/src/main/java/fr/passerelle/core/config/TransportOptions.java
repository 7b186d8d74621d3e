package fr.passerelle.core.config;

import fr.passerelle.core.spi.TransportProvider;
import fr.passerelle.core.spi.TransportProvider.OptionProblem;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The options of a transport, as a partner's {@code delivery:} section or gateway.yaml's {@code transports.<id>:}
 * section writes them, and the provider's verdict on them, reported on the lines where they stand.
 */
final class TransportOptions {

    private TransportOptions() {}

    /**
     * The section's keys other than {@code excluded}, each a single value, as text.
     *
     * @return empty when the section is not a mapping or a value is not a single value (reported)
     */
    static Optional<Map<String, String>> read(YamlNode section, Set<String> excluded) {
        if (!section.requireObject("an indented block of keys")) {
            return Optional.empty();
        }
        Map<String, String> options = new LinkedHashMap<>();
        boolean valid = true;
        for (Iterator<String> names = section.value().fieldNames(); names.hasNext(); ) {
            String key = names.next();
            if (excluded.contains(key)) {
                continue;
            }
            Optional<String> text = section.field(key).flatMap(YamlNode::text);
            text.ifPresent(t -> options.put(key, t));
            valid &= text.isPresent() || section.field(key).isEmpty();
        }
        return valid ? Optional.of(options) : Optional.empty();
    }

    /**
     * Reports each problem on the line of its key (or of the section when the key is missing).
     *
     * @return whether there was none
     */
    static boolean report(YamlNode section, List<OptionProblem> problems, TransportProvider provider) {
        for (OptionProblem problem : problems) {
            section.field(problem.key())
                    .orElse(section)
                    .error("transport " + provider.id() + ": " + problem.message(), problem.fix());
        }
        return problems.isEmpty();
    }
}
