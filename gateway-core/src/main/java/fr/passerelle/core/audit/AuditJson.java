package fr.passerelle.core.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.crypto.Fingerprints;
import fr.passerelle.core.referral.ReferralId;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The JSON forms of the audit log's export, one object per line (docs/AUDIT.md): an entry,
 * {@code {"kind":"entry","version":1,"seq":…,"at":…,"actor":…,"action":…,"referralId":…,"detail":{…},
 * "leafHash":hex,"chainHash":hex}}, and a signed tree head, {@code {"kind":"treeHead","size":…,"rootHash":hex,
 * "signedAt":…,"signature":base64,"signerFingerprint":…}}, and a certificate that signed heads,
 * {@code {"kind":"signerCertificate","fingerprint":…,"certificate":base64 DER}}. A witness keeps a tree head in the
 * same form.
 * Stateless and thread-safe.
 */
public final class AuditJson {
    static final String ENTRY = "entry";
    static final String TREE_HEAD = "treeHead";
    static final String SIGNER_CERTIFICATE = "signerCertificate";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFactory FACTORY = JSON.getFactory();
    private static final HexFormat HEX = HexFormat.of();

    private AuditJson() {}

    /** One signed tree head as a line of JSON, without the line end. */
    public static String treeHead(SignedTreeHead signed) {
        ObjectNode node = JSON.createObjectNode();
        node.put("kind", TREE_HEAD);
        node.put("size", signed.head().size());
        node.put("rootHash", HEX.formatHex(signed.head().rootHash()));
        node.put("signedAt", signed.head().signedAt().toString());
        node.put("signature", Base64.getEncoder().encodeToString(signed.signature()));
        node.put("signerFingerprint", signed.signerFingerprint());
        return node.toString();
    }

    /**
     * Reads a signed tree head written by {@link #treeHead}.
     *
     * @throws GatewayException {@code request_invalid} naming the first missing or malformed field
     */
    public static SignedTreeHead parseTreeHead(String json) {
        JsonNode node = parse(json, "tree head");
        if (!TREE_HEAD.equals(node.path("kind").asText())) {
            throw invalid("a tree head has kind '" + TREE_HEAD + "'");
        }
        try {
            return new SignedTreeHead(
                    new TreeHead(number(node, "size"), hex(node, "rootHash"), Instant.parse(text(node, "signedAt"))),
                    Base64.getDecoder().decode(text(node, "signature")),
                    text(node, "signerFingerprint"));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "tree head is malformed: " + e.getMessage() + " (expected: a line that audit export wrote)",
                    e);
        }
    }

    static String signerCertificate(X509Certificate certificate) {
        ObjectNode node = JSON.createObjectNode();
        node.put("kind", SIGNER_CERTIFICATE);
        node.put("fingerprint", Fingerprints.sha256(certificate));
        node.put("certificate", Base64.getEncoder().encodeToString(SignerCertificates.encoded(certificate)));
        return node.toString();
    }

    /**
     * Reads a certificate written by {@link #signerCertificate}.
     *
     * @throws GatewayException {@code request_invalid} when a field is missing, the bytes are not a certificate,
     *                          or its fingerprint is not the one the line names
     */
    static X509Certificate parseSignerCertificate(String json) {
        JsonNode node = parse(json, "signer certificate");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(text(node, "certificate"));
        } catch (IllegalArgumentException e) {
            throw invalid("'certificate' is base64");
        }
        X509Certificate certificate = SignerCertificates.parse(der)
                .orElseThrow(() -> invalid("'certificate' is an X.509 certificate, DER in base64"));
        if (!Fingerprints.sha256(certificate).equalsIgnoreCase(text(node, "fingerprint"))) {
            throw invalid("'fingerprint' is the SHA-256 fingerprint of 'certificate'");
        }
        return certificate;
    }

    static String entry(StoredEntry stored) {
        AuditRecord r = stored.record();
        ObjectNode node = JSON.createObjectNode();
        node.put("kind", ENTRY);
        node.put("version", r.queued().isPresent() ? AuditEncoding.QUEUED : AuditEncoding.NUMBERED);
        node.put("seq", r.seq());
        node.put("at", AuditEncoding.time(r.at()));
        r.queued().ifPresent(queued -> {
            node.put("position", queued.position());
            node.put("maxMergeDelayMs", queued.maxMergeDelay().toMillis());
        });
        node.put("actor", r.actor());
        node.put("action", r.action());
        node.put("referralId", r.referralId().map(ReferralId::toString).orElse(""));
        ObjectNode detail = node.putObject("detail");
        r.detail().forEach(detail::put);
        node.put("leafHash", HEX.formatHex(stored.leafHash()));
        node.put("chainHash", HEX.formatHex(stored.chainHash()));
        return node.toString();
    }

    static StoredEntry parseEntry(JsonNode node) {
        long version = number(node, "version");
        if (version != AuditEncoding.NUMBERED && version != AuditEncoding.QUEUED) {
            throw invalid("entry " + node.path("seq").asText() + " has encoding version " + version + " (expected: "
                    + AuditEncoding.NUMBERED + " or " + AuditEncoding.QUEUED + ")");
        }
        JsonNode detailNode = node.get("detail");
        if (detailNode == null || !detailNode.isObject()) {
            throw invalid("an entry's detail is an object");
        }
        Map<String, String> detail = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = detailNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getValue().isTextual()) {
                throw invalid("detail values are strings");
            }
            detail.put(field.getKey(), field.getValue().asText());
        }
        String referral = text(node, "referralId");
        try {
            Optional<AuditRecord.Queued> queued = version == AuditEncoding.QUEUED
                    ? Optional.of(new AuditRecord.Queued(
                            number(node, "position"), Duration.ofMillis(number(node, "maxMergeDelayMs"))))
                    : Optional.empty();
            AuditRecord record = new AuditRecord(
                    number(node, "seq"),
                    Instant.parse(text(node, "at")),
                    text(node, "actor"),
                    text(node, "action"),
                    referral.isEmpty() ? Optional.empty() : Optional.of(ReferralId.parse(referral)),
                    detail,
                    queued);
            return new StoredEntry(record, hex(node, "leafHash"), hex(node, "chainHash"));
        } catch (DateTimeParseException | IllegalArgumentException | GatewayException e) {
            throw new GatewayException(ErrorCode.REQUEST_INVALID, "entry is malformed: " + e.getMessage(), e);
        }
    }

    static JsonNode parse(String json, String what) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node == null || !node.isObject()) {
                throw invalid("a " + what + " is a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID, what + " is not JSON (expected: one JSON object" + " per line)", e);
        }
    }

    /** The "kind" of a line, read cheaply when it is the first field (as export writes it), else fully. */
    static String kind(String line) {
        try (JsonParser parser = FACTORY.createParser(line)) {
            if (parser.nextToken() == JsonToken.START_OBJECT
                    && parser.nextToken() == JsonToken.FIELD_NAME
                    && "kind".equals(parser.currentName())
                    && parser.nextToken() == JsonToken.VALUE_STRING) {
                return parser.getText();
            }
        } catch (IOException e) {
            return "";
        }
        try {
            return JSON.readTree(line).path("kind").asText("");
        } catch (JsonProcessingException e) {
            return "";
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw invalid("'" + field + "' is a string");
        }
        return value.asText();
    }

    private static long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.canConvertToExactIntegral() || !value.canConvertToLong()) {
            throw invalid("'" + field + "' is an integer");
        }
        return value.asLong();
    }

    private static byte[] hex(JsonNode node, String field) {
        try {
            return HEX.parseHex(text(node, field));
        } catch (IllegalArgumentException e) {
            throw invalid("'" + field + "' is lowercase hex");
        }
    }

    private static GatewayException invalid(String expected) {
        return new GatewayException(ErrorCode.REQUEST_INVALID, "audit JSON is malformed (expected: " + expected + ")");
    }
}
