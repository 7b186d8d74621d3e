package fr.passerelle.adapters.xml;

import fr.passerelle.core.referral.ReferralType;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What tells one XML partner format from another: its namespace, its root element, the element that carries the
 * partner's own unit or service code in the envelope, the content element of each message type, and the French
 * element name of each canonical field. {@link XmlCodec} does the rest.
 *
 * <p>A document of the format reads:
 * <pre>{@code
 * <root xmlns="namespace">
 *   <entete>
 *     <versionModele/> <typeMessage/> <numeroProcedure/>?  <codeUnite/>? <departement/> <urgence/>
 *     <identifiantPasserelle/>? <emetteur/>? <dateDepot/>?   (written by the gateway, ignored when read)
 *   </entete>
 *   <demandeHebergement> ... every other canonical field, in the order of the JSON Schema ... </demandeHebergement>
 * </root>
 * }</pre>
 *
 * @param formatId       the adapter id, such as {@code police-xml}; the XSD is the class-path resource
 *                       {@code formats/<formatId>/<formatId>.xsd}
 * @param namespace      the namespace of every element
 * @param root           the root element's local name
 * @param unitElement    the envelope element carrying the sender's own unit or service code: checked by the XSD,
 *                       not carried into the canonical referral (the gateway knows the sender by its certificate)
 * @param vendorMediaType the format's own media type, accepted on input beside {@code application/xml} and
 *                       {@code text/xml}, and the media type of what the gateway writes
 * @param bodies         the content element of each message type the format carries
 * @param names          canonical field name to element name; must name every field of those types, including
 *                       the envelope's {@code schemaVersion}, {@code type}, {@code senderReference},
 *                       {@code department} and {@code urgency}; no two fields may share a name
 */
public record XmlVocabulary(
        String formatId,
        String namespace,
        String root,
        String unitElement,
        String vendorMediaType,
        Map<ReferralType, String> bodies,
        Map<String, String> names) {
    /** The envelope element, and those the gateway adds to what it writes. */
    static final String ENVELOPE = "entete";

    static final String GATEWAY_ID = "identifiantPasserelle";
    static final String GATEWAY_SENDER = "emetteur";
    static final String GATEWAY_SUBMITTED_AT = "dateDepot";
    /** The canonical fields the envelope carries, in the order the XSD declares them. */
    static final List<String> ENVELOPE_FIELDS =
            List.of("schemaVersion", "type", "senderReference", "department", "urgency");

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");

    public XmlVocabulary {
        Objects.requireNonNull(formatId, "formatId");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(vendorMediaType, "vendorMediaType");
        checkName("root", root);
        checkName("unitElement", unitElement);
        if (bodies.isEmpty() || bodies.containsKey(ReferralType.REFERRAL_RECEIPT)) {
            throw new IllegalArgumentException(
                    "bodies of " + formatId + " (expected: at least one referral type, receipts excepted)");
        }
        bodies = Collections.unmodifiableMap(new EnumMap<>(bodies));
        names = Map.copyOf(names);
        for (String field : ENVELOPE_FIELDS) {
            if (!names.containsKey(field)) {
                throw new IllegalArgumentException("names of " + formatId + " lack the envelope field " + field);
            }
        }
        Map<String, String> owners = new HashMap<>();
        for (String reserved : Set.of(ENVELOPE, GATEWAY_ID, GATEWAY_SENDER, GATEWAY_SUBMITTED_AT, unitElement)) {
            owners.put(reserved, "the envelope");
        }
        bodies.forEach((type, element) -> claim(owners, element, "type " + type));
        names.forEach((field, element) -> claim(owners, element, "field " + field));
    }

    private static void checkName(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    what + " '" + name + "' (expected: an XML name of at most 64 characters)");
        }
    }

    private static void claim(Map<String, String> owners, String element, String owner) {
        checkName(owner, element);
        String previous = owners.putIfAbsent(element, owner);
        if (previous != null) {
            throw new IllegalArgumentException("element name '" + element + "' is given to both " + previous + " and "
                    + owner + " (expected: one element name per field)");
        }
    }

    /** The class-path resource of the format's XSD. */
    public String schemaResource() {
        return "formats/" + formatId + "/" + formatId + ".xsd";
    }
}
