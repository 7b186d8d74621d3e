package fr.passerelle.core.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small-group rule of {@link Statistics} over the cells of one breakdown whose total a reader knows or can
 * work out: a count from 1 to {@code minGroup - 1} is hidden (primary suppression), and when exactly one cell is
 * hidden the smallest other non-zero cell is hidden beside it, so that the total minus the visible cells never gives
 * it back (secondary suppression). Zero is shown: it concerns nobody.
 */
final class SmallCells {
    private SmallCells() {}

    /**
     * The cells of {@code values}, in its order, with primary and secondary suppression.
     *
     * @param totalKnown whether the reader knows or can work out the cells' total; when not, secondary suppression
     *                   is not needed
     */
    static <K> Map<K, Statistics.Count> of(Map<K, Long> values, boolean totalKnown, int minGroup) {
        List<K> hidden = new ArrayList<>(values.entrySet().stream()
                .filter(e -> e.getValue() > 0 && e.getValue() < minGroup)
                .map(Map.Entry::getKey)
                .toList());
        if (hidden.size() == 1 && totalKnown) {
            values.entrySet().stream()
                    .filter(e -> e.getValue() > 0 && !hidden.contains(e.getKey()))
                    .min(Comparator.comparingLong(Map.Entry::getValue))
                    .ifPresent(e -> hidden.add(e.getKey()));
        }
        Map<K, Statistics.Count> cells = new LinkedHashMap<>();
        values.forEach((k, n) -> cells.put(
                k, hidden.contains(k) ? Statistics.Count.hidden(minGroup) : new Statistics.Count(n, false, minGroup)));
        return cells;
    }
}
