package fr.passerelle.core.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.partner.PartnerKind;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a recipient of a kind may learn of a referral that its routes let it see. The {@link Minimiser} decides
 * which fields a recipient gets; this view decides what those fields may tell it. A route lists what a partner
 * needs, but some values say more than the partner may know, by inference:
 *
 * <p>A SIAO (115, SI-SIAO) must hold no offence data (CNIL) and nothing that reveals the person is a victim of
 * pimping or trafficking. It needs to know whom to call back, not who refers: the name of a pimping squad, an
 * officer's RIO, a staff reference or an e-mail address naming the unit would tell it what the case is. So, for a
 * {@link PartnerKind#SIAO}:
 * <ul>
 *   <li>{@code referrer} becomes {@code {"unit": "Service prescripteur", "phone": <referrer.phone>}}: the unit's
 *       name, {@code officerRio}, {@code staffReference} and {@code email} are dropped. Without a phone it is
 *       {@code {"unit": "Service prescripteur"}} alone: the SIAO answers through the gateway (receipts and
 *       placement answers reach the sender), and no other channel is offered in the phone's place, since an e-mail
 *       address names the unit;</li>
 *   <li>{@code administrativeStatus} {@code reflection-period} and {@code victim-permit} (CESEDA R.425-2, L.425-1
 *       to L.425-4: granted to victims only) become the neutral {@code residence-procedure} (« démarches de séjour
 *       en cours »);</li>
 *   <li>{@code consent.recordedBy} (a RIO or staff reference) is dropped;</li>
 *   <li>each free-text field ({@link #FREE_TEXT}) is cut to {@value #TEXT_BOUND} characters (code points), on a
 *       word boundary, ending with « … »: the sender writes free text, and the less of it reaches SI-SIAO, the
 *       less it can reveal. The dry run flags these fields on every route to a SIAO.</li>
 * </ul>
 * Every other kind gets the document unchanged. The view is idempotent: applied to its own result it changes
 * nothing. The safety rule {@code no-offence-data-to-siao} refuses the routes to a SIAO that list the dropped
 * fields one by one; listing {@code referrer} or {@code consent} whole stays allowed because this view rewrites
 * them. Stateless and thread-safe.
 */
public final class RecipientView {
    /** The most characters (code points) of one free-text field that a SIAO receives, « … » included. */
    public static final int TEXT_BOUND = 300;
    /** What a SIAO reads as the referrer's unit, whoever refers. */
    public static final String GENERIC_REFERRER = "Service prescripteur";
    /** The neutral administrative status (« démarches de séjour en cours ») a SIAO reads for a victim's status. */
    public static final String NEUTRAL_STATUS = "residence-procedure";
    /** The statuses that only a victim holds, hence tell a SIAO that the person is one. */
    static final Set<String> REVEALING_STATUSES = Set.of("reflection-period", "victim-permit");
    /**
     * The canonical free-text fields, by dotted path: every string of the schemas that is neither a code, a date,
     * a number, a name nor a reference. A SIAO route can carry {@code subject.contact.safeTimes} and
     * {@code socialAssessment.summary} (shelter.request); the others are bounded too should a route ever carry them.
     */
    static final List<String> FREE_TEXT =
            List.of("subject.contact.safeTimes", "socialAssessment.summary", "notes", "narrative", "summary");

    private static final String ELLIPSIS = "…";

    private RecipientView() {}

    /**
     * @param kind      the recipient's kind
     * @param minimised the document its routes let it see (from {@link Minimiser#minimise}), never mutated
     * @return a new document, sharing no node with {@code minimised}: for a SIAO, rewritten as the class comment
     *         says; for any other kind, an unchanged copy
     */
    public static ObjectNode apply(PartnerKind kind, ObjectNode minimised) {
        Objects.requireNonNull(kind, "kind");
        ObjectNode view = Objects.requireNonNull(minimised, "minimised").deepCopy();
        if (kind != PartnerKind.SIAO) {
            return view;
        }
        if (view.get("referrer") instanceof ObjectNode referrer) {
            ObjectNode generic = view.objectNode().put("unit", GENERIC_REFERRER);
            if (referrer.get("phone") != null) {
                generic.set("phone", referrer.get("phone"));
            }
            view.set("referrer", generic);
        }
        JsonNode status = view.get("administrativeStatus");
        if (status != null && status.isTextual() && REVEALING_STATUSES.contains(status.textValue())) {
            view.put("administrativeStatus", NEUTRAL_STATUS);
        }
        if (view.get("consent") instanceof ObjectNode consent) {
            consent.remove("recordedBy");
        }
        for (String path : FREE_TEXT) {
            int dot = path.lastIndexOf('.');
            JsonNode parent =
                    dot < 0 ? view : view.at("/" + path.substring(0, dot).replace('.', '/'));
            String name = path.substring(dot + 1);
            if (parent instanceof ObjectNode object && object.path(name).isTextual()) {
                object.put(name, bound(object.get(name).textValue()));
            }
        }
        return view;
    }

    /** What the view does for {@code kind}, for the dry run; empty when the kind sees the document unchanged. */
    static Optional<String> describe(PartnerKind kind) {
        return kind != PartnerKind.SIAO
                ? Optional.empty()
                : Optional.of(kind.code() + ": referrer read as « "
                        + GENERIC_REFERRER + " » with its phone only (no unit name, officerRio, staffReference, email);"
                        + " administrativeStatus "
                        + String.join(", ", REVEALING_STATUSES.stream().sorted().toList())
                        + " read as " + NEUTRAL_STATUS + "; consent.recordedBy removed; free text cut to " + TEXT_BOUND
                        + " characters");
    }

    /**
     * The free-text fields that routes listing {@code fields} let a recipient of {@code kind} see, and that the
     * view bounds; empty for a kind whose view bounds nothing. A listed object carries its free text
     * ({@code socialAssessment} carries {@code socialAssessment.summary}).
     */
    static List<String> boundedFields(PartnerKind kind, Collection<String> fields) {
        if (kind != PartnerKind.SIAO) {
            return List.of();
        }
        return FREE_TEXT.stream()
                .filter(text -> fields.stream().anyMatch(field -> text.equals(field) || text.startsWith(field + ".")))
                .toList();
    }

    /** {@code text} when short enough, else its longest start that ends a word, with « … »: at most the bound. */
    static String bound(String text) {
        if (text.codePointCount(0, text.length()) <= TEXT_BOUND) {
            return text;
        }
        int end = text.offsetByCodePoints(0, TEXT_BOUND - ELLIPSIS.length());
        int cut = end;
        if (!isSpace(text.charAt(end))) {
            for (int i = end - 1; i > 0; i--) {
                if (isSpace(text.charAt(i))) {
                    cut = i;
                    break;
                }
            }
        }
        String kept = text.substring(0, cut).stripTrailing();
        // A text that is one long word, or only spaces before its first cut, is cut inside the word.
        return (kept.isEmpty() ? text.substring(0, end) : kept) + ELLIPSIS;
    }

    private static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }
}
