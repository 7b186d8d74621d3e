package fr.passerelle.adapters.siao;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.adapters.json.StrictJson;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.spi.InboundAdapter;
import fr.passerelle.core.spi.OutboundAdapter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The SIAO's own JSON (format id {@code siao-json}), both ways. The SIAO receives shelter requests
 * ({@code {"version": 1, "envoi": {…}, "demande": {…}}}) and sends difficulty reports
 * ({@code {"version": 1, "signalementDifficulte": {…}}}); the gateway reads and renders both types in both
 * directions, field for field, so that a document read and rendered again is the same document. It also reads
 * the SIAO's placement answers ({@code {"reponse": {"decision": "pas-de-place"}}}) as canonical receipts.
 *
 * <p>Input is parsed strictly and checked against the format's JSON Schemas before translation; every refusal
 * names the JSON path and what was expected, never a value. Stateless and thread-safe.
 */
public final class SiaoJsonAdapter implements InboundAdapter, OutboundAdapter {
    public static final String ID = "siao-json";
    /** What {@link #write} produces; also read by {@link #read}, with {@code application/json}. */
    public static final String MEDIA_TYPE = "application/vnd.passerelle.siao+json";
    /** The media type of a placement answer sent as a receipt. */
    public static final String ANSWER_MEDIA_TYPE = "application/vnd.passerelle.siao-answer+json";

    private static final Set<String> ACCEPTED = Set.of("", "application/json", MEDIA_TYPE);
    private static final Set<String> CANONICAL_RECEIPT = Set.of("", "application/json");
    private static final Map<String, String> LINK_NAMES =
            Map.of("received", "priseEnCompte", "accepted", "orientationProposee", "declined", "refus");
    private static final String EXPECTED_DOCUMENT = "a siao-json document";

    private final SiaoSchemas schemas = SiaoSchemas.load();

    @Override
    public String id() {
        return ID;
    }

    /**
     * Reads a shelter request ({@code demande}) or a difficulty report ({@code signalementDifficulte}); an
     * {@code envoi} envelope, which the gateway writes, is accepted and ignored.
     *
     * @throws GatewayException {@code media_type_unsupported}, {@code json_malformed} (with line and column), or
     *                          {@code format_invalid} naming the JSON path of the first problem, all in details
     */
    @Override
    public ObjectNode read(byte[] body, String mediaType) {
        if (!ACCEPTED.contains(mediaType)) {
            throw new GatewayException(
                    ErrorCode.MEDIA_TYPE_UNSUPPORTED,
                    "media type '" + mediaType + "' is not read by the siao-json format (expected: " + MEDIA_TYPE
                            + " or application/json)");
        }
        ObjectNode document = StrictJson.readObject(body, EXPECTED_DOCUMENT);
        FieldMap map = SiaoTables.forDocument(document).orElseThrow(() -> notAReferral(document));
        schemas.check(SiaoSchemas.Document.withBody(map.body()), document);
        return map.toCanonical(document);
    }

    private static GatewayException notAReferral(JsonNode document) {
        if (document.has(SiaoSchemas.Document.ANSWER.body())) {
            return new GatewayException(
                    ErrorCode.FORMAT_INVALID,
                    "a siao-json reponse is a placement answer, not a"
                            + " referral (expected: POST it to /v1/referrals/{id}/receipts as " + ANSWER_MEDIA_TYPE
                            + ")");
        }
        return new GatewayException(
                ErrorCode.FORMAT_INVALID,
                "the siao-json document holds no body (expected at $" + " one of: "
                        + SiaoTables.ALL.stream().map(FieldMap::body).collect(Collectors.joining(", ")) + ")");
    }

    /**
     * Reads a placement answer sent as {@value #ANSWER_MEDIA_TYPE}: {@code prise-en-compte} → received,
     * {@code orientation-proposee} → accepted, {@code pas-de-place} → declined (no-capacity), {@code refus} →
     * declined with the reason of its {@code motif}, {@code personne-accueillie} → completed.
     *
     * @return the canonical receipt, or empty for {@code application/json} (or no media type): a canonical receipt
     * @throws GatewayException {@code media_type_unsupported}, {@code json_malformed} or {@code format_invalid}
     *                          (an unknown decision lists the accepted ones)
     */
    @Override
    public Optional<ObjectNode> readReceipt(byte[] body, String mediaType) {
        if (CANONICAL_RECEIPT.contains(mediaType)) {
            return Optional.empty();
        }
        if (!ANSWER_MEDIA_TYPE.equals(mediaType)) {
            throw new GatewayException(
                    ErrorCode.MEDIA_TYPE_UNSUPPORTED,
                    "media type '" + mediaType
                            + "' is not a receipt the siao-json format reads (expected: " + ANSWER_MEDIA_TYPE
                            + ", or application/json for a canonical receipt)");
        }
        ObjectNode answer = StrictJson.readObject(body, "a siao-json placement answer");
        schemas.check(SiaoSchemas.Document.ANSWER, answer);
        return Optional.of(PlacementAnswers.toReceipt(answer));
    }

    @Override
    public String mediaType() {
        return MEDIA_TYPE;
    }

    /**
     * Renders a shelter request or a difficulty report: {@code version}, the {@code envoi} envelope (the
     * gateway's referral id, the sender, when it was submitted, and the answer links when there are), then the
     * body with whatever fields the minimised referral holds.
     *
     * @throws GatewayException {@code internal} for another type, an item without its referral id or sender, or a
     *                          field or code the format has no place for
     */
    @Override
    public byte[] write(ObjectNode item) {
        String type = item.path("type").asText();
        FieldMap map = SiaoTables.forType(type)
                .orElseThrow(() -> new GatewayException(
                        ErrorCode.INTERNAL,
                        "the siao-json format does not render "
                                + (type.isEmpty() ? "an item without a type" : "the type " + type)
                                + " (expected one of: "
                                + SiaoTables.ALL.stream().map(FieldMap::type).collect(Collectors.joining(", ")) + ")"));
        JsonNode referral = item.path("referral");
        if (!referral.isObject()) {
            throw new GatewayException(
                    ErrorCode.INTERNAL, "the " + type + " item to render as siao-json has no" + " referral object");
        }
        ObjectNode body = map.toSiao((ObjectNode) referral);
        ObjectNode document = StrictJson.JSON.createObjectNode();
        Optional.ofNullable(body.remove("version")).ifPresent(version -> document.set("version", version));
        document.set("envoi", envelope(item));
        document.setAll(body);
        try {
            return StrictJson.JSON.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new GatewayException(ErrorCode.INTERNAL, "cannot render a " + type + " as siao-json", e);
        }
    }

    private static ObjectNode envelope(ObjectNode item) {
        ObjectNode envoi = StrictJson.JSON.createObjectNode();
        for (String required : List.of("referralId", "sender")) {
            if (!item.path(required).isTextual()) {
                throw new GatewayException(ErrorCode.INTERNAL, "the item to render as siao-json has no " + required);
            }
        }
        envoi.put("identifiant", item.get("referralId").textValue());
        envoi.put("emetteur", item.get("sender").textValue());
        if (item.path("submittedAt").isTextual()) {
            envoi.put("dateEnvoi", item.get("submittedAt").textValue());
        }
        JsonNode links = item.path("receiptLinks");
        if (links.isObject()) {
            ObjectNode liens = envoi.putObject("liensReponse");
            for (Map.Entry<String, JsonNode> link : links.properties()) {
                String name = LINK_NAMES.get(link.getKey());
                if (name == null) {
                    throw new GatewayException(
                            ErrorCode.INTERNAL,
                            "receipt link '" + link.getKey()
                                    + "' has no siao-json name (expected: received, accepted, declined)");
                }
                liens.set(name, link.getValue().deepCopy());
            }
        }
        if (item.path("receiptLinksExpireAt").isTextual()) {
            envoi.put("expirationLiens", item.get("receiptLinksExpireAt").textValue());
        }
        return envoi;
    }
}
