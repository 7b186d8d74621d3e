package fr.passerelle.adapters.siao;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.referral.ReferralValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The repository's {@code config/} files the tests read (surefire runs in {@code adapters/}). */
final class SiaoFiles {
    static final Path CONFIG = Path.of("..", "config");
    static final Path SAMPLES = CONFIG.resolve("samples");
    static final Path SIAO_SAMPLES = SAMPLES.resolve("siao-json");
    static final ObjectMapper JSON = new ObjectMapper();
    static final ReferralValidator VALIDATOR = ReferralValidator.fromDirectory(CONFIG.resolve("schemas"));

    private SiaoFiles() {}

    /** A fresh, mutable copy of {@code config/samples/siao-json/<name>}. */
    static ObjectNode siaoSample(String name) {
        return read(SIAO_SAMPLES.resolve(name));
    }

    /** A fresh, mutable copy of the canonical {@code config/samples/<name>}. */
    static ObjectNode canonicalSample(String name) {
        return read(SAMPLES.resolve(name));
    }

    static ObjectNode read(Path file) {
        try {
            return (ObjectNode) JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode parse(byte[] bytes) {
        try {
            return (ObjectNode) JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(JsonNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The item the gateway hands an outbound adapter, around a canonical document. */
    static ObjectNode item(ObjectNode referral) {
        ObjectNode item = JSON.createObjectNode();
        item.put("referralId", "00000000-0000-4000-8000-000000000001");
        item.put("sender", "police-75-brp");
        item.put("type", referral.get("type").textValue());
        item.put("submittedAt", "2025-07-14T10:15:30Z");
        item.set("referral", referral);
        return item;
    }

    /** Every dotted path of a document's object fields, array items adding no segment. */
    static Set<String> paths(JsonNode node) {
        Set<String> paths = new TreeSet<>();
        collect(node, "", paths);
        return paths;
    }

    private static void collect(JsonNode node, String prefix, Set<String> paths) {
        if (node.isArray()) {
            node.forEach(element -> collect(element, prefix, paths));
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            paths.add(path);
            collect(field.getValue(), path, paths);
        }
    }
}
