package fr.passerelle.adapters.xml;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.input.Utf8;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.validation.Schema;
import javax.xml.validation.ValidatorHandler;
import org.xml.sax.Attributes;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Parses a partner's XML document and validates it against the format's XSD in one pass, refusing anything that
 * could make the parser reach out or blow up: no DOCTYPE (so no entity, internal or external, and no DTD),
 * no XInclude, no external schema, JAXP secure processing, and limits on size, depth and element count.
 *
 * <p>Every refusal is a {@code format_invalid} {@link GatewayException} that names the line and column, the
 * element path ({@code /message/demandeHebergement/foyer}) and what was expected, but never the document's text:
 * the parser's own messages, which may quote values, are not passed on. Thread-safe: each call builds its own
 * parser; the compiled {@link Schema} is shared.
 */
final class SafeXmlParser {
    static final int MAX_BYTES = 1024 * 1024;
    static final int MAX_DEPTH = 16;
    static final int MAX_ELEMENTS = 10_000;

    private static final Pattern RULE = Pattern.compile("^(cvc-[A-Za-z0-9.-]+)\\s*:");
    private static final Pattern ELEMENT_SET = Pattern.compile("'\\{([^}']*)\\}'");
    private static final Pattern EXPECTED = Pattern.compile("\"[^\"]*\":([A-Za-z_][A-Za-z0-9_.-]*)");
    /** The XML declaration's encoding pseudo-attribute; the declaration itself is ASCII in every encoding we read. */
    private static final Pattern DECLARED_ENCODING =
            Pattern.compile("\\A<\\?xml\\s[^>]*?\\bencoding\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)')");

    private static final Pattern SAFE_TEXT = Pattern.compile("[\\x21-\\x7e]{1,100}");

    private final String formatId;
    private final String namespace;
    private final String root;
    private final Schema schema;
    private final Function<List<String>, String> expectations;

    /**
     * @param expectations what the value of the element at a path (local names from the root) must look like
     */
    SafeXmlParser(
            String formatId,
            String namespace,
            String root,
            Schema schema,
            Function<List<String>, String> expectations) {
        this.formatId = formatId;
        this.namespace = namespace;
        this.root = root;
        this.schema = schema;
        this.expectations = expectations;
    }

    /** @throws GatewayException {@code format_invalid}, or {@code body_too_large} past {@value #MAX_BYTES} bytes */
    XmlElement parse(byte[] body) {
        if (body.length == 0) {
            throw invalid("the request body is empty (expected: a " + formatId + " document)");
        }
        if (body.length > MAX_BYTES) {
            throw new GatewayException(
                    ErrorCode.BODY_TOO_LARGE,
                    "the " + formatId + " document is " + body.length + " bytes (expected: at most " + MAX_BYTES + ")");
        }
        checkEncoding(body);
        Collector collector = new Collector(newValidator());
        try {
            XMLReader reader = newParser().getXMLReader();
            reader.setContentHandler(collector);
            reader.setErrorHandler(collector);
            reader.setEntityResolver((publicId, systemId) -> {
                throw collector.refusal(invalid("DOCTYPE is not allowed in a " + formatId
                        + " document: external entities are refused and never fetched"));
            });
            InputSource source = new InputSource(new ByteArrayInputStream(body));
            source.setEncoding("UTF-8");
            reader.parse(source);
        } catch (Refusal e) {
            throw e.reason;
        } catch (SAXException e) {
            if (e.getException() instanceof Refusal refusal) {
                throw refusal.reason;
            }
            throw invalid("the " + formatId + " document cannot be parsed (expected: well-formed XML 1.0)");
        } catch (IOException e) {
            throw new GatewayException(ErrorCode.FORMAT_INVALID, "the " + formatId + " document cannot be read", e);
        }
        return collector.document;
    }

    /**
     * UTF-8 only, strictly: a declaration naming another encoding is refused rather than trusted or overridden (a
     * body declared ISO-8859-1 but written in UTF-8, or the reverse, would otherwise be read garbled), and the
     * bytes must be strict UTF-8 whatever the declaration says.
     */
    private void checkEncoding(byte[] body) {
        String head = new String(body, 0, Math.min(body.length, 200), StandardCharsets.ISO_8859_1);
        if (head.startsWith("\u00ef\u00bb\u00bf")) {
            head = head.substring(3);
        }
        Matcher declared = DECLARED_ENCODING.matcher(head);
        if (declared.find()) {
            String encoding = declared.group(1) != null ? declared.group(1) : declared.group(2);
            if (!encoding.equalsIgnoreCase("UTF-8")) {
                throw invalid("the " + formatId + " document declares encoding '" + safe(encoding)
                        + "' (expected: UTF-8, the only encoding the gateway reads; declare encoding=\"UTF-8\" or"
                        + " none)");
            }
        }
        Utf8.check(body, ErrorCode.FORMAT_INVALID, "the " + formatId + " document");
    }

    private static SAXParser newParser() {
        try {
            SAXParserFactory factory = SAXParserFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            factory.setValidating(false);
            factory.setXIncludeAware(false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            SAXParser parser = factory.newSAXParser();
            parser.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            parser.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            return parser;
        } catch (ParserConfigurationException | SAXException e) {
            throw new GatewayException(ErrorCode.INTERNAL, "the JDK's XML parser refuses a security setting", e);
        }
    }

    private ValidatorHandler newValidator() {
        ValidatorHandler validator = schema.newValidatorHandler();
        try {
            validator.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            validator.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        } catch (SAXException e) {
            throw new GatewayException(ErrorCode.INTERNAL, "the JDK's XML validator refuses a security setting", e);
        }
        return validator;
    }

    private static GatewayException invalid(String message) {
        return new GatewayException(ErrorCode.FORMAT_INVALID, message);
    }

    /** Carries a refusal through the parser, which only lets {@link SAXException}s out of handlers. */
    private static final class Refusal extends SAXException {
        private static final long serialVersionUID = 1L;
        private final transient GatewayException reason;

        Refusal(GatewayException reason) {
            super(reason.getMessage());
            this.reason = reason;
        }
    }

    /** Builds the element tree, tracks the path for messages, and feeds every event to the XSD validator. */
    private final class Collector extends DefaultHandler {
        private final ValidatorHandler validator;
        private final Deque<Open> open = new ArrayDeque<>();
        private Locator locator;
        private String starting;
        private int elements;
        private XmlElement document;

        Collector(ValidatorHandler validator) {
            this.validator = validator;
            validator.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {}

                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw refusal(invalid(describe(e)));
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw refusal(invalid(describe(e)));
                }
            });
        }

        Refusal refusal(GatewayException reason) {
            return new Refusal(reason);
        }

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
            validator.setDocumentLocator(locator);
        }

        @Override
        public void startDocument() throws SAXException {
            validator.startDocument();
        }

        @Override
        public void endDocument() throws SAXException {
            validator.endDocument();
        }

        @Override
        public void startPrefixMapping(String prefix, String uri) throws SAXException {
            validator.startPrefixMapping(prefix, uri);
        }

        @Override
        public void endPrefixMapping(String prefix) throws SAXException {
            validator.endPrefixMapping(prefix);
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
            if (open.isEmpty()) {
                checkRoot(uri, localName);
            }
            if (open.size() >= MAX_DEPTH || ++elements > MAX_ELEMENTS) {
                throw refusal(invalid("the " + formatId + " document nests deeper than " + MAX_DEPTH
                        + " levels or holds more than " + MAX_ELEMENTS + " elements"
                        + at(locator.getLineNumber(), locator.getColumnNumber())
                        + " (expected: a referral of the format)"));
            }
            starting = namespace.equals(uri) ? safe(localName) : "{" + safe(uri) + "}" + safe(localName);
            validator.startElement(uri, localName, qName, atts);
            starting = null;
            open.push(new Open(localName, locator.getLineNumber(), locator.getColumnNumber()));
        }

        @Override
        public void endElement(String uri, String localName, String qName) throws SAXException {
            validator.endElement(uri, localName, qName);
            XmlElement done = open.pop().close();
            if (open.isEmpty()) {
                document = done;
            } else {
                open.peek().children.add(done);
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) throws SAXException {
            validator.characters(ch, start, length);
            if (!open.isEmpty()) {
                open.peek().text.append(ch, start, length);
            }
        }

        @Override
        public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
            validator.ignorableWhitespace(ch, start, length);
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            // The parser's message may quote the document; only its DOCTYPE refusal is recognised, by the
            // feature URI that every translation of that message names.
            String message = String.valueOf(e.getMessage());
            if (message.contains("disallow-doctype-decl")) {
                throw refusal(invalid("DOCTYPE is not allowed in a " + formatId + " document"
                        + at(e.getLineNumber(), e.getColumnNumber())
                        + ": DTDs and entities, internal or external, are refused and nothing is resolved"));
            }
            throw refusal(invalid("the " + formatId + " document is not well-formed XML"
                    + at(e.getLineNumber(), e.getColumnNumber()) + " (expected: well-formed XML 1.0)"));
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            fatalError(e);
        }

        private void checkRoot(String uri, String localName) throws Refusal {
            String where = at(locator.getLineNumber(), locator.getColumnNumber());
            if (!namespace.equals(uri)) {
                throw refusal(invalid("the root element '" + safe(localName) + "'" + where + " is in "
                        + (uri.isEmpty() ? "no namespace" : "namespace '" + safe(uri) + "'")
                        + " (expected: namespace " + namespace + ")"));
            }
            if (!SafeXmlParser.this.root.equals(localName)) {
                throw refusal(invalid("the root element is '" + safe(localName) + "'" + where + " (expected: " + root
                        + " in namespace " + namespace + ")"));
            }
        }

        /** A validation error in our words: the rule's key says what kind; the path and position say where. */
        private String describe(SAXParseException e) {
            String message = String.valueOf(e.getMessage());
            Matcher matcher = RULE.matcher(message);
            String rule = matcher.find() ? matcher.group(1) : "unknown";
            String where = at(e.getLineNumber(), e.getColumnNumber());
            String path = path();
            String prefix = "the " + formatId + " document ";
            return switch (rule) {
                case "cvc-complex-type.2.4.a", "cvc-complex-type.2.4.c" -> prefix + "has an unexpected element '"
                        + starting + "' in " + path + where + " (expected: " + expectedNames(message) + ")";
                case "cvc-complex-type.2.4.d" -> prefix + "has an unexpected element '" + starting + "' in " + path
                        + where + " (expected: no further element in " + path + ")";
                case "cvc-complex-type.2.4.b" -> prefix + "lacks a required element in " + path + where + " (expected: "
                        + expectedNames(message) + ")";
                case "cvc-complex-type.2.3" -> prefix + "has text directly in " + path + where
                        + " (expected: child elements only)";
                case "cvc-complex-type.2.2", "cvc-complex-type.2.1" -> prefix + "has child elements in " + path + where
                        + " (expected: text only)";
                case "cvc-complex-type.3.2.2", "cvc-complex-type.4" -> prefix + "has an attribute out of place on "
                        + path + where + " (expected: no attribute but namespace declarations)";
                default -> rule.contains("-valid") || rule.startsWith("cvc-type")
                        ? prefix + "has an invalid value in " + path + where + " (expected: "
                                + expectations.apply(names()) + ")"
                        : prefix + "does not match its XSD in " + path + where + " (XSD rule " + rule + ")";
            };
        }

        private List<String> names() {
            List<String> names = new ArrayList<>();
            for (Iterator<Open> it = open.descendingIterator(); it.hasNext(); ) {
                names.add(it.next().name);
            }
            return names;
        }

        private String path() {
            return names().isEmpty() ? "the document" : "/" + String.join("/", names());
        }
    }

    /** The names in the last quoted set of the message: the elements the XSD allows there (the first set, if
     * there are two, is the offending element). */
    private static String expectedNames(String message) {
        List<String> names = new ArrayList<>();
        Matcher set = ELEMENT_SET.matcher(message);
        String last = "";
        while (set.find()) {
            last = set.group(1);
        }
        Matcher matcher = EXPECTED.matcher(last);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names.isEmpty()
                ? "an element the XSD declares here"
                : (names.size() == 1 ? "" : "one of ") + String.join(", ", names);
    }

    private static String at(int line, int column) {
        return " at line " + line + ", column " + column;
    }

    /** A name or namespace from the input, shown only when it is short printable ASCII. */
    private static String safe(String markup) {
        return SAFE_TEXT.matcher(markup).matches() && markup.indexOf('\'') < 0
                ? markup
                : "(" + markup.length() + " characters)";
    }

    private static final class Open {
        private final String name;
        private final int line;
        private final int column;
        private final StringBuilder text = new StringBuilder();
        private final List<XmlElement> children = new ArrayList<>();

        Open(String name, int line, int column) {
            this.name = name;
            this.line = line;
            this.column = column;
        }

        XmlElement close() {
            return new XmlElement(name, line, column, text.toString(), children);
        }
    }
}
