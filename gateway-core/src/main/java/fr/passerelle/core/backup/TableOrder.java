package fr.passerelle.core.backup;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The order in which tables can be filled one after the other without breaking a foreign key: every table after
 * the tables it references. A table that references itself is filled by one statement, whose checks run at its end.
 */
final class TableOrder {
    private TableOrder() {}

    /**
     * @param tables     every table to fill
     * @param references each foreign key as {@code table -> referenced tables}; tables outside {@code tables} are
     *                   ignored
     * @return {@code tables}, parents first, in name order where the keys leave a choice (the same input gives the same
     *         order)
     * @throws GatewayException {@code store_failed} naming the tables when their foreign keys form a cycle
     */
    static List<String> parentsFirst(Set<String> tables, Map<String, Set<String>> references) {
        Map<String, Set<String>> waitingFor = new TreeMap<>();
        for (String table : tables) {
            Set<String> parents = new TreeSet<>(references.getOrDefault(table, Set.of()));
            parents.remove(table);
            parents.retainAll(tables);
            waitingFor.put(table, parents);
        }
        List<String> order = new ArrayList<>();
        while (!waitingFor.isEmpty()) {
            String next = waitingFor.entrySet().stream()
                    .filter(e -> e.getValue().isEmpty())
                    .map(Map.Entry::getKey)
                    .findFirst()
                    .orElseThrow(() -> new GatewayException(
                            ErrorCode.STORE_FAILED,
                            "the foreign keys of tables " + waitingFor.keySet()
                                    + " form a cycle; expected: an order in which each table comes after those it"
                                    + " references"));
            order.add(next);
            waitingFor.remove(next);
            waitingFor.values().forEach(parents -> parents.remove(next));
        }
        return List.copyOf(order);
    }
}
