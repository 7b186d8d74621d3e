package fr.passerelle.core.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts a canonical referral down to what one recipient may see. Routing metadata ({@code schemaVersion},
 * {@code type}, {@code department}, {@code urgency}) carries no personal data and is always kept; every other
 * field is kept only when a listed dotted path names it:
 * <ul>
 *   <li>a path naming an object keeps the whole object ({@code household});</li>
 *   <li>a path into an object keeps only that leaf and its parents ({@code subject.languages} keeps
 *       {@code {"subject": {"languages": [...]}}});</li>
 *   <li>an array is kept whole when named, and a path into an array keeps nothing.</li>
 * </ul>
 * Fields keep the document's order.
 */
public final class Minimiser {
    static final List<String> ALWAYS_KEPT = List.of("schemaVersion", "type", "department", "urgency");

    private Minimiser() {}

    /**
     * @return a new document holding the metadata and the listed paths, sharing no node with {@code document},
     *         which is never mutated
     */
    public static ObjectNode minimise(ObjectNode document, Collection<String> fields) {
        Selection selection = new Selection();
        ALWAYS_KEPT.forEach(selection::add);
        fields.forEach(selection::add);
        return selection.copy(document);
    }

    /** A tree of the selected names: a leaf means "the whole value". */
    private static final class Selection {
        private final Map<String, Selection> children = new LinkedHashMap<>();
        private boolean whole;

        void add(String path) {
            Selection node = this;
            for (String name : path.split("\\.", -1)) {
                if (node.whole) {
                    return;
                }
                node = node.children.computeIfAbsent(name, n -> new Selection());
            }
            node.whole = true;
            node.children.clear();
        }

        ObjectNode copy(ObjectNode source) {
            ObjectNode target = source.objectNode();
            for (Map.Entry<String, JsonNode> field : source.properties()) {
                Selection selected = children.get(field.getKey());
                if (selected == null) {
                    continue;
                }
                if (selected.whole) {
                    target.set(field.getKey(), field.getValue().deepCopy());
                } else if (field.getValue() instanceof ObjectNode object) {
                    ObjectNode kept = selected.copy(object);
                    if (!kept.isEmpty()) {
                        target.set(field.getKey(), kept);
                    }
                }
            }
            return target;
        }
    }
}
