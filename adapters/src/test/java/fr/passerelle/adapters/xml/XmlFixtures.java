package fr.passerelle.adapters.xml;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.adapters.police.PoliceXmlAdapter;
import fr.passerelle.adapters.prefecture.PrefectureXmlAdapter;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.spi.InboundAdapter;
import fr.passerelle.core.spi.OutboundAdapter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** Samples, items and comparisons shared by the XML format tests. */
final class XmlFixtures {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path CONFIG = Path.of("../config");

    /** One XML format under test: its adapter, vocabulary and the types it carries. */
    record Format(String id, XmlVocabulary vocabulary, InboundAdapter inbound, OutboundAdapter outbound) {
        static final Format POLICE = of(new PoliceXmlAdapter(), PoliceXmlAdapter.VOCABULARY);
        static final Format PREFECTURE = of(new PrefectureXmlAdapter(), PrefectureXmlAdapter.VOCABULARY);

        private static <A extends InboundAdapter & OutboundAdapter> Format of(A adapter, XmlVocabulary vocabulary) {
            return new Format(vocabulary.formatId(), vocabulary, adapter, adapter);
        }

        Set<ReferralType> types() {
            return vocabulary.bodies().keySet();
        }

        Path xsd() {
            return CONFIG.resolve("schemas/formats/" + id + "/" + id + ".xsd");
        }

        Path sample(ReferralType type) {
            return CONFIG.resolve("samples/" + id + "/" + type.code() + ".xml");
        }

        @Override
        public String toString() {
            return id;
        }
    }

    private XmlFixtures() {}

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode canonicalSample(ReferralType type) {
        try {
            return (ObjectNode) JSON.readTree(
                    CONFIG.resolve("samples/" + type.code() + ".json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The item the gateway hands an outbound adapter. */
    static ObjectNode item(ObjectNode referral) {
        ObjectNode item = JSON.createObjectNode();
        item.put("referralId", "7c0e2f4a-1b2c-4d5e-8f90-a1b2c3d4e5f6");
        item.put("sender", "police-75-brp");
        item.put("type", referral.get("type").asText());
        item.put("submittedAt", "2026-11-28T10:15:30Z");
        item.set("referral", referral);
        return item;
    }

    /** Fails unless {@code xml} is valid against the format's XSD as shipped in config/schemas/formats. */
    static void assertValid(Format format, byte[] xml) throws Exception {
        SchemaFactory factory = SchemaFactory.newDefaultInstance();
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.newSchema(format.xsd().toFile())
                .newValidator()
                .validate(new StreamSource(new ByteArrayInputStream(xml)));
    }

    /**
     * Fails unless both documents say the same thing: the same elements and texts, whitespace between elements
     * aside, and the envelope's non-canonical elements (the partner's unit code, the gateway's id, sender and
     * submission time) aside.
     */
    static void assertEquivalent(Format format, byte[] expected, byte[] actual) throws Exception {
        Document left = comparable(format, expected);
        Document right = comparable(format, actual);
        assertThat(right.isEqualNode(left))
                .as("equivalent documents:\n%s\n%s", new String(expected), new String(actual))
                .isTrue();
    }

    private static Document comparable(Format format, byte[] xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        document.setXmlStandalone(true);
        strip(
                document.getDocumentElement(),
                Set.of(format.vocabulary().unitElement(), "identifiantPasserelle", "emetteur", "dateDepot"));
        document.normalizeDocument();
        return document;
    }

    private static void strip(Element element, Set<String> dropped) {
        List<Node> removed = new ArrayList<>();
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child.getNodeType() == Node.TEXT_NODE
                            && element.getElementsByTagNameNS("*", "*").getLength() > 0
                    || child.getNodeType() == Node.ELEMENT_NODE && dropped.contains(child.getLocalName())) {
                removed.add(child);
            } else if (child.getNodeType() == Node.ELEMENT_NODE) {
                strip((Element) child, dropped);
            }
        }
        removed.forEach(element::removeChild);
    }

    /** Dotted paths of every field present, array items adding no segment, as ReferralValidator.fieldPaths. */
    static Set<String> paths(JsonNode node) {
        Set<String> paths = new TreeSet<>();
        collect(node, "", paths);
        return paths;
    }

    private static void collect(JsonNode node, String prefix, Set<String> paths) {
        if (node.isArray()) {
            node.forEach(item -> collect(item, prefix, paths));
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
                paths.add(path);
                collect(field.getValue(), path, paths);
            }
        }
    }

    /**
     * A canonical document of {@code type} holding every field its schema declares, each with a value its schema
     * accepts (two items in arrays that allow them), free text with characters XML must escape.
     */
    static ObjectNode everyField(ReferralType type) {
        return (ObjectNode) fill(Shape.of(type));
    }

    private static JsonNode fill(Shape shape) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        JsonNode schema = shape.schema();
        if (schema.has("const")) {
            return schema.get("const");
        }
        return switch (shape.kind()) {
            case OBJECT -> {
                ObjectNode object = nodes.objectNode();
                shape.properties().forEach((name, field) -> object.set(name, fill(field)));
                yield object;
            }
            case ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                JsonNode enumeration = shape.items().schema().get("enum");
                if (enumeration != null) {
                    enumeration.forEach(value -> {
                        if (array.size() < 2) {
                            array.add(value);
                        }
                    });
                } else if (shape.items().kind() == Shape.Kind.OBJECT) {
                    array.add(fill(shape.items()));
                    array.add(fill(shape.items()));
                } else {
                    array.add(fill(shape.items()));
                }
                yield array;
            }
            case INTEGER -> nodes.numberNode(
                    schema.path("maximum").asInt(schema.path("minimum").asInt(0) + 7));
            case BOOLEAN -> nodes.booleanNode(true);
            case STRING -> nodes.textNode(text(schema));
        };
    }

    private static String text(JsonNode schema) {
        if (schema.has("enum")) {
            return schema.get("enum").get(schema.get("enum").size() - 1).asText();
        }
        return switch (schema.path("format").asText(schema.path("pattern").asText(""))) {
            case "date" -> "2025-07-01";
            case "date-time" -> "2025-07-01T10:00:00+02:00";
            case "email" -> "exemple@example.invalid";
            case "uuid" -> "00000000-0000-4000-8000-000000000001";
            case "^\\+?[0-9 ]{6,20}$" -> "+33 1 00 00 00 00";
            case "^[0-9]{7}$" -> "0000000";
            case "^[a-z]{2,3}(-[A-Z]{2})?$" -> "pt-BR";
            case "^[A-Z]{2}$" -> "XX";
            case "^[A-Za-z0-9][A-Za-z0-9._-]{0,79}\\.pdf$" -> "exemple.pdf";
            case "^[A-Za-z0-9+/]+={0,2}$" -> "JVBERi0xLjQK";
            case "^[0-9]{7,13}$" -> "0000000";
            case "^[0-9][0-9AB][0-9]{3}$" -> "2A004";
            case "^[0-9]{14}$" -> "99900001000010";
            case "^[A-Za-z0-9._/-]+$" -> "EX-2025/0001";
            case "^(0[1-9]|1[0-9]|2[AB]|2[1-9]|[3-8][0-9]|9[0-5]|97[1-4]|976)$" -> "2A";
            case "" -> "Exemple & <fictif>\r\n\tl'autre ligne ";
            default -> throw new IllegalStateException("no sample value for pattern " + schema.get("pattern"));
        };
    }
}
