package fr.passerelle.adapters.xml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.referral.ReferralType;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.URL;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.xml.sax.SAXException;

/**
 * Reads and writes the documents of one XML partner format, driven by its {@link XmlVocabulary} (element names)
 * and by the canonical JSON Schemas (which fields exist, in which order, and which are numbers, booleans or
 * arrays). The XSD checks the structure on input; the canonical model is the same on both sides, so that a
 * document read and written again says the same thing.
 *
 * <p>Immutable and thread-safe; build one per format, once.
 */
public final class XmlCodec {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newDefaultFactory();
    private static final int MAX_DIGITS = 18;

    private final XmlVocabulary vocabulary;
    private final Map<String, String> fields;
    private final Map<String, ReferralType> types;
    private final Map<ReferralType, Shape> shapes;
    private final Shape envelope;
    private final Set<String> accepted;
    private final Set<String> notCanonical;
    private final SafeXmlParser parser;

    /**
     * @throws GatewayException {@code config_invalid} if the format's XSD or a canonical schema is missing or
     *                          does not compile
     */
    public XmlCodec(XmlVocabulary vocabulary) {
        this.vocabulary = vocabulary;
        this.fields = vocabulary.names().entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getValue, Map.Entry::getKey));
        this.types = vocabulary.bodies().entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getValue, Map.Entry::getKey));
        Map<ReferralType, Shape> loaded = new EnumMap<>(ReferralType.class);
        vocabulary.bodies().keySet().forEach(type -> loaded.put(type, Shape.of(type)));
        this.shapes = loaded;
        this.envelope = loaded.values().iterator().next();
        this.notCanonical = Set.of(
                vocabulary.unitElement(),
                XmlVocabulary.GATEWAY_ID,
                XmlVocabulary.GATEWAY_SENDER,
                XmlVocabulary.GATEWAY_SUBMITTED_AT);
        this.accepted = Set.of("", "application/xml", "text/xml", vocabulary.vendorMediaType());
        this.parser = new SafeXmlParser(
                vocabulary.formatId(), vocabulary.namespace(), vocabulary.root(), compile(vocabulary), this::expected);
    }

    private static Schema compile(XmlVocabulary vocabulary) {
        URL xsd = XmlCodec.class.getClassLoader().getResource(vocabulary.schemaResource());
        if (xsd == null) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "XSD " + vocabulary.schemaResource() + " of format " + vocabulary.formatId()
                            + " is not on the class path");
        }
        try {
            SchemaFactory factory = SchemaFactory.newDefaultInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            return factory.newSchema(xsd);
        } catch (SAXException e) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "XSD " + vocabulary.schemaResource() + " of format " + vocabulary.formatId() + " does not compile: "
                            + e.getMessage(),
                    e);
        }
    }

    /** The format's id, such as {@code police-xml}. */
    public String formatId() {
        return vocabulary.formatId();
    }

    /** The media type of what {@link #write} produces: the format's own. */
    public String mediaType() {
        return vocabulary.vendorMediaType();
    }

    /**
     * Reads one partner document into the canonical referral: envelope fields at the top level, content fields
     * under their canonical names, integers and booleans as JSON numbers and booleans, repeated elements as
     * arrays. The partner's unit code and the gateway's own envelope elements are not carried over.
     *
     * @param mediaType empty, {@code application/xml}, {@code text/xml} or the format's own media type
     * @throws GatewayException {@code media_type_unsupported}, {@code body_too_large}, or {@code format_invalid}
     *                          naming the line, column and element path, never the document's text
     */
    public ObjectNode read(byte[] body, String mediaType) {
        if (!accepted.contains(mediaType)) {
            String shown = mediaType.length() > 100 ? mediaType.substring(0, 100) + "..." : mediaType;
            throw new GatewayException(
                    ErrorCode.MEDIA_TYPE_UNSUPPORTED,
                    "media type '" + shown
                            + "' is not read by the " + vocabulary.formatId() + " format (expected: "
                            + vocabulary.vendorMediaType() + ", application/xml or text/xml)");
        }
        XmlElement document = parser.parse(body);
        // The XSD guarantees an envelope then exactly one content element.
        XmlElement head = document.children().get(0);
        XmlElement content = document.children().get(1);
        ObjectNode referral = NODES.objectNode();
        String path = "/" + vocabulary.root() + "/" + XmlVocabulary.ENVELOPE;
        for (XmlElement element : head.children()) {
            if (!notCanonical.contains(element.name())) {
                readField(element, envelope, referral, path);
            }
        }
        ReferralType type = ReferralType.fromCode(referral.get("type").textValue());
        ReferralType bodyType = types.get(content.name());
        if (type != bodyType) {
            throw new GatewayException(
                    ErrorCode.FORMAT_INVALID,
                    "the " + vocabulary.formatId() + " document's "
                            + path + "/" + vocabulary.names().get("type") + " is " + type + " but its content element '"
                            + content.name() + "' at line " + content.line() + ", column " + content.column()
                            + " is for "
                            + bodyType + " (expected: " + vocabulary.bodies().get(type) + ")");
        }
        readObject(content, shapes.get(type), referral, "/" + vocabulary.root() + "/" + content.name());
        return referral;
    }

    private void readObject(XmlElement element, Shape shape, ObjectNode into, String path) {
        for (XmlElement child : element.children()) {
            readField(child, shape, into, path);
        }
    }

    private void readField(XmlElement element, Shape parent, ObjectNode into, String path) {
        String field = fields.get(element.name());
        Shape shape = field == null ? null : parent.properties().get(field);
        if (shape == null) {
            // Only when the XSD and the canonical schema disagree: refuse rather than drop data.
            throw new GatewayException(
                    ErrorCode.FORMAT_INVALID,
                    "the " + vocabulary.formatId() + " document's"
                            + " element '" + element.name() + "' in " + path + " at line " + element.line()
                            + ", column "
                            + element.column() + " has no field in the canonical model (expected: one of "
                            + parent.properties().keySet().stream()
                                    .map(vocabulary.names()::get)
                                    .collect(Collectors.joining(", "))
                            + ")");
        }
        String childPath = path + "/" + element.name();
        if (shape.kind() == Shape.Kind.ARRAY) {
            ArrayNode array = into.has(field) ? (ArrayNode) into.get(field) : into.putArray(field);
            array.add(value(element, shape.items(), childPath));
        } else {
            into.set(field, value(element, shape, childPath));
        }
    }

    private JsonNode value(XmlElement element, Shape shape, String path) {
        String text = element.text();
        return switch (shape.kind()) {
            case OBJECT -> {
                ObjectNode object = NODES.objectNode();
                readObject(element, shape, object, path);
                yield object;
            }
            case INTEGER -> integer(element, text.strip(), path);
            case BOOLEAN -> NODES.booleanNode(
                    text.strip().equals("true") || text.strip().equals("1"));
            case STRING -> NODES.textNode(text);
            case ARRAY -> throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "canonical schema nests an array in" + " an array at " + path
                            + " (expected: arrays of scalars or objects)");
        };
    }

    /** The node Jackson itself would parse: an int when it fits, so that equal documents compare equal. */
    private JsonNode integer(XmlElement element, String text, String path) {
        // The XSD's xs:integer has no bound; parsing a huge one would cost time for nothing.
        if (text.length() > MAX_DIGITS) {
            throw new GatewayException(
                    ErrorCode.FORMAT_INVALID,
                    "the " + vocabulary.formatId() + " document has"
                            + " an integer of " + text.length() + " characters in " + path + " at line "
                            + element.line()
                            + ", column " + element.column() + " (expected: at most " + MAX_DIGITS + " digits)");
        }
        BigInteger value = new BigInteger(text);
        if (value.bitLength() < Integer.SIZE) {
            return NODES.numberNode(value.intValue());
        }
        return value.bitLength() < Long.SIZE ? NODES.numberNode(value.longValue()) : NODES.numberNode(value);
    }

    /** What the element at {@code names} (local names from the root) must hold, for error messages. */
    private String expected(List<String> names) {
        if (names.size() == 3 && names.get(1).equals(XmlVocabulary.ENVELOPE)) {
            String element = names.get(2);
            if (element.equals(XmlVocabulary.GATEWAY_ID)) {
                return "a UUID";
            }
            if (element.equals(XmlVocabulary.GATEWAY_SUBMITTED_AT)) {
                return "a date-time such as 2025-07-11T09:30:00Z";
            }
            if (element.equals(vocabulary.names().get("type"))) {
                return "one of "
                        + vocabulary.bodies().keySet().stream()
                                .map(ReferralType::code)
                                .collect(Collectors.joining(", "));
            }
            Shape shape = property(envelope, element);
            return shape == null ? "non-empty text" : shape.expected();
        }
        ReferralType type = names.size() > 1 ? types.get(names.get(1)) : null;
        Shape shape = type == null ? null : shapes.get(type);
        for (String name : names.subList(Math.min(2, names.size()), names.size())) {
            shape = shape == null ? null : property(shape, name);
            if (shape != null && shape.kind() == Shape.Kind.ARRAY) {
                shape = shape.items();
            }
        }
        return shape == null ? "a value of the type the XSD declares" : shape.expected();
    }

    /**
     * The shape of child element {@code element} of {@code parent}; null for an element the vocabulary does not
     * name (the maps are immutable: looking up null in them throws).
     */
    private Shape property(Shape parent, String element) {
        String field = fields.get(element);
        return field == null ? null : parent.properties().get(field);
    }

    /**
     * Renders an outbound item: the gateway's referral id, the sender and the submission time in the envelope,
     * then whatever fields of the minimised referral are present, in the XSD's order. Absent fields are omitted;
     * a route that withholds a field the XSD requires yields a document that lacks it.
     *
     * @throws GatewayException {@code internal} if the referral's type is not one the format carries, a field is
     *                          not in the canonical schema, or a text holds a character XML 1.0 cannot carry;
     *                          the message names the field, never its value
     */
    public byte[] write(ObjectNode item) {
        JsonNode referral = item.get("referral");
        if (referral == null || !referral.isObject()) {
            throw new GatewayException(
                    ErrorCode.INTERNAL, "the item to render as " + vocabulary.formatId() + " has no referral object");
        }
        String code = referral.path("type").asText(item.path("type").asText());
        ReferralType type = ReferralType.find(code)
                .filter(vocabulary.bodies()::containsKey)
                .orElseThrow(() -> new GatewayException(
                        ErrorCode.INTERNAL,
                        "the " + vocabulary.formatId()
                                + " format does not carry type '" + code + "' (carries: "
                                + vocabulary.bodies().keySet().stream()
                                        .map(ReferralType::code)
                                        .collect(Collectors.joining(", "))
                                + ")"));
        Shape shape = shapes.get(type);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            XMLStreamWriter xml = OUTPUT.createXMLStreamWriter(out, "UTF-8");
            Writer writer = new Writer(xml);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.setDefaultNamespace(vocabulary.namespace());
            writer.open(vocabulary.root());
            xml.writeDefaultNamespace(vocabulary.namespace());
            writer.open(XmlVocabulary.ENVELOPE);
            for (String field : XmlVocabulary.ENVELOPE_FIELDS) {
                if (referral.hasNonNull(field)) {
                    writer.leaf(vocabulary.names().get(field), referral.get(field), "referral." + field);
                }
            }
            writer.leaf(XmlVocabulary.GATEWAY_ID, item.get("referralId"), "referralId");
            writer.leaf(XmlVocabulary.GATEWAY_SENDER, item.get("sender"), "sender");
            writer.leaf(XmlVocabulary.GATEWAY_SUBMITTED_AT, item.get("submittedAt"), "submittedAt");
            writer.close();
            writer.open(vocabulary.bodies().get(type));
            writeObject(writer, (ObjectNode) referral, shape, "referral", Set.copyOf(XmlVocabulary.ENVELOPE_FIELDS));
            writer.close();
            writer.close();
            xml.writeCharacters("\n");
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new GatewayException(
                    ErrorCode.INTERNAL, "cannot render a " + type + " item as " + vocabulary.formatId(), e);
        }
        return out.toByteArray();
    }

    private void writeObject(Writer writer, ObjectNode object, Shape shape, String path, Set<String> skipped)
            throws XMLStreamException {
        object.fieldNames().forEachRemaining(field -> {
            if (!shape.properties().containsKey(field)) {
                throw new GatewayException(
                        ErrorCode.INTERNAL,
                        "cannot render field " + path + "." + field + " as " + vocabulary.formatId()
                                + " (expected: a field of the canonical schema)");
            }
        });
        for (Map.Entry<String, Shape> property : shape.properties().entrySet()) {
            String field = property.getKey();
            JsonNode value = object.get(field);
            if (value == null || value.isNull() || skipped.contains(field)) {
                continue;
            }
            String name = vocabulary.names().get(field);
            Shape fieldShape = property.getValue();
            if (fieldShape.kind() == Shape.Kind.ARRAY) {
                for (JsonNode item : value) {
                    writeValue(writer, name, item, fieldShape.items(), path + "." + field + "[]");
                }
            } else {
                writeValue(writer, name, value, fieldShape, path + "." + field);
            }
        }
    }

    private void writeValue(Writer writer, String name, JsonNode value, Shape shape, String path)
            throws XMLStreamException {
        if (shape.kind() == Shape.Kind.OBJECT) {
            if (!value.isObject()) {
                throw new GatewayException(
                        ErrorCode.INTERNAL,
                        "cannot render field " + path + " as " + vocabulary.formatId() + " (expected: an object)");
            }
            writer.open(name);
            writeObject(writer, (ObjectNode) value, shape, path, Set.of());
            writer.close();
        } else {
            writer.leaf(name, value, path);
        }
    }

    /** Writes indented elements; text is escaped, and a carriage return kept as a character reference. */
    private static final class Writer {
        private final XMLStreamWriter xml;
        private int depth;

        Writer(XMLStreamWriter xml) {
            this.xml = xml;
        }

        void open(String name) throws XMLStreamException {
            indent();
            xml.writeStartElement(name);
            depth++;
        }

        void close() throws XMLStreamException {
            depth--;
            indent();
            xml.writeEndElement();
        }

        void leaf(String name, JsonNode value, String path) throws XMLStreamException {
            if (value == null || value.isNull()) {
                return;
            }
            if (value.isContainerNode()) {
                throw new GatewayException(
                        ErrorCode.INTERNAL, "cannot render field " + path + " (expected: a string, number or boolean)");
            }
            String text = value.asText();
            text.codePoints()
                    .filter(c -> !(c == 0x9
                            || c == 0xA
                            || c == 0xD
                            || c >= 0x20 && c <= 0xD7FF
                            || c >= 0xE000 && c <= 0xFFFD
                            || c >= 0x10000))
                    .findFirst()
                    .ifPresent(c -> {
                        throw new GatewayException(
                                ErrorCode.INTERNAL,
                                "cannot render field " + path + ": it holds"
                                        + " the character U+" + String.format(Locale.ROOT, "%04X", c)
                                        + ", which XML 1.0 cannot carry");
                    });
            indent();
            xml.writeStartElement(name);
            String[] lines = text.split("\r", -1);
            for (int i = 0; i < lines.length; i++) {
                if (i > 0) {
                    xml.writeEntityRef("#xD");
                }
                xml.writeCharacters(lines[i]);
            }
            xml.writeEndElement();
        }

        private void indent() throws XMLStreamException {
            xml.writeCharacters("\n" + "  ".repeat(depth));
        }
    }
}
