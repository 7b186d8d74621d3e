package fr.passerelle.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.core.referral.Minority;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the {@link Statistics} count a referral by beyond its type and department, kept in its own columns at
 * submission since the document is sealed: the INSEE code of the commune it is about, and whether the gateway
 * treats the person as a minor. A code and a flag, never a name, an address or an age.
 *
 * @param commune the INSEE commune code (five characters, such as {@code 75056} or {@code 97411}), if the
 *                document names one
 * @param minor   whether the gateway treats the person as a minor ({@link Minority#treatedAsMinor()}); empty when
 *                the document is about no one person
 */
public record StatisticsFacets(Optional<String> commune, Optional<Boolean> minor) {
    /** Nothing known: a referral stored without them (tests, a benchmark). */
    public static final StatisticsFacets NONE = new StatisticsFacets(Optional.empty(), Optional.empty());

    /** An INSEE commune code, as the canonical schemas write it. */
    static final Pattern COMMUNE = Pattern.compile("[0-9][0-9AB][0-9]{3}");

    /** The objects of a canonical document that may name the commune, in the order they are read. */
    private static final List<String> PLACES = List.of("place", "establishment");

    public StatisticsFacets {
        Objects.requireNonNull(commune, "commune");
        Objects.requireNonNull(minor, "minor");
        if (commune.filter(c -> !COMMUNE.matcher(c).matches()).isPresent()) {
            throw new IllegalArgumentException(
                    "commune is not an INSEE commune code (expected: five characters, such as 75056)");
        }
    }

    /**
     * The facets of a canonical document: the commune of {@code place.inseeCode}, else of
     * {@code establishment.inseeCode}; the minority as the gateway judged it at submission.
     */
    public static StatisticsFacets of(JsonNode document, Minority minority) {
        Objects.requireNonNull(document, "document");
        Objects.requireNonNull(minority, "minority");
        Optional<String> commune = PLACES.stream()
                .map(name -> document.path(name).path("inseeCode"))
                .filter(JsonNode::isTextual)
                .map(JsonNode::asText)
                .filter(code -> COMMUNE.matcher(code).matches())
                .findFirst();
        Optional<Boolean> minor =
                minority == Minority.NO_SUBJECT ? Optional.empty() : Optional.of(minority.treatedAsMinor());
        return new StatisticsFacets(commune, minor);
    }
}
