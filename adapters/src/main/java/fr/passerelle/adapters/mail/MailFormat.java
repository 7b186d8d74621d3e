package fr.passerelle.adapters.mail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.adapters.words.FrenchLabels;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReceiptStatus;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import fr.passerelle.core.spi.OutboundAdapter;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code mail} format: what an association without an integrated system reads in its mail client. A
 * {@code multipart/mixed} entity with a French message for the association's staff ({@code text/plain},
 * UTF-8, quoted-printable: what the referral is, every field present under a French label, and the receipt
 * links) and the canonical item as an attachment {@code referral.json}, for tools and archives.
 *
 * <p>The item is minimised: any field may be missing but the routing ones, and the message shows only those
 * present. The attachment is the item without its receipt links, so that forwarding or archiving it hands
 * nobody a way to answer for the association. Stateless and thread-safe.
 */
public final class MailFormat implements OutboundAdapter {
    public static final String ID = "mail";
    /** Never found in quoted-printable or base64 bodies: "=_" is not a valid sequence in either. */
    private static final String BOUNDARY = "=_passerelle_referral";

    private static final Set<String> ROUTING = Set.of("schemaVersion", "type", "department", "urgency");
    private static final Set<String> LINK_FIELDS = Set.of("receiptLinks", "receiptLinksExpireAt");
    /**
     * The last paragraph of every message: a reply by mail reaches neither the gateway nor the sender, whether it
     * goes to the gateway's unread address or to the partner's {@code reply_to}.
     */
    static final String REPLIES =
            "\nUne réponse à ce courriel n'est pas traitée par Passerelle et ne parvient pas" + " à l'émetteur.\n";

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MM/yyyy 'à' HH'h'mm");
    private static final ObjectMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String mediaType() {
        return "multipart/mixed";
    }

    /**
     * @return a whole MIME entity, headers included, CRLF line ends, US-ASCII only
     * @throws GatewayException {@code internal} if the item lacks {@code referralId}, {@code sender},
     *                          {@code type} or its {@code referral} document, or if it cannot be encoded
     */
    @Override
    public byte[] write(ObjectNode item) {
        String text = message(item);
        ObjectNode attachment = item.deepCopy();
        attachment.remove(LINK_FIELDS);
        return entity(text, "referral.json", attachment, "referral " + text(item, "referralId"));
    }

    @Override
    public String noticeMediaType() {
        return "multipart/mixed";
    }

    /** A French message saying what the notice means and what to do, and the notice itself as notice.json. */
    @Override
    public byte[] writeNotice(ObjectNode notice) {
        return entity(
                noticeMessage(notice), "notice.json", notice, "a notice about referral " + text(notice, "referralId"));
    }

    /** The message and the JSON attachment as one {@code multipart/mixed} entity: CRLF line ends, US-ASCII only. */
    private static byte[] entity(String text, String attachmentName, ObjectNode attachment, String what) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
            ascii(out, "Content-Type: multipart/mixed; boundary=\"" + BOUNDARY + "\"\r\n\r\n");
            ascii(
                    out,
                    "--" + BOUNDARY + "\r\n"
                            + "Content-Type: text/plain; charset=UTF-8\r\n"
                            + "Content-Transfer-Encoding: quoted-printable\r\n"
                            + "Content-Language: fr\r\n\r\n");
            // Closing the encoder flushes it; closing a ByteArrayOutputStream does nothing.
            try (OutputStream qp = MimeUtility.encode(out, "quoted-printable")) {
                qp.write(text.getBytes(StandardCharsets.UTF_8));
            }
            ascii(
                    out,
                    "\r\n--" + BOUNDARY + "\r\n"
                            + "Content-Type: application/json; name=" + attachmentName + "\r\n"
                            + "Content-Transfer-Encoding: base64\r\n"
                            + "Content-Disposition: attachment; filename=" + attachmentName + "\r\n\r\n");
            out.writeBytes(
                    Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encode(JSON.writeValueAsBytes(attachment)));
            ascii(out, "\r\n--" + BOUNDARY + "--\r\n");
            return out.toByteArray();
        } catch (MessagingException | IOException e) {
            throw new GatewayException(
                    ErrorCode.INTERNAL,
                    "cannot render " + what + " as a mail (" + e.getClass().getSimpleName() + ")",
                    e);
        }
    }

    /** The French message of a notice, LF line ends. */
    static String noticeMessage(ObjectNode notice) {
        String kind = required(notice, "notice");
        ReferralType type = ReferralType.find(required(notice, "type")).orElseThrow(() -> missing("type"));
        String department = notice.path("department").asText("");
        StringBuilder text = new StringBuilder(2048);
        String cause = notice.path("cause").asText("");
        text.append("Passerelle : ").append(NoticeWords.title(kind, cause)).append("\n\n");
        text.append(NoticeWords.meaning(kind, cause)).append("\n\n");
        line(text, "", label("type"), FrenchLabels.type(type));
        urgency(notice).ifPresent(u -> line(text, "", label("urgency"), FrenchLabels.urgencyMeaning(u)));
        line(text, "", label("department"), department);
        line(text, "", "Émetteur (identifiant Passerelle)", required(notice, "sender"));
        line(text, "", "Référence Passerelle", required(notice, "referralId"));
        if (notice.hasNonNull("submittedAt")) {
            line(text, "", "Transmise le", when(notice.get("submittedAt").asText(), department));
        }
        if (notice.hasNonNull("deadline")) {
            line(text, "", "Délai", duration(notice.get("deadline").asText()));
        }
        if (notice.path("reason").isTextual()) {
            line(
                    text,
                    "",
                    "Protection constatée",
                    NoticeWords.reason(notice.get("reason").asText()));
        }
        if (notice.path("justification").isTextual()) {
            line(
                    text,
                    "",
                    "Justification de la levée",
                    NoticeWords.justification(notice.get("justification").asText()));
        }
        if (notice.path("withdrawnAt").isTextual()) {
            line(text, "", label("withdrawnAt"), when(notice.get("withdrawnAt").asText(), department));
        }
        if (notice.path("until").isTextual()) {
            line(text, "", NoticeWords.untilLabel(kind), scalar("until", notice.get("until"), department));
        }
        JsonNode recipients = notice.path("recipients");
        if (recipients.isArray() && !recipients.isEmpty()) {
            text.append("\nDestinataires et état de leur exemplaire\n---------------------------------------\n\n");
            recipients.forEach(r -> line(
                    text,
                    "",
                    r.path("partner").asText(),
                    FrenchLabels.deliveryState(r.path("state").asText())));
        }
        text.append("\nCe message ne contient aucune donnée sur la personne concernée. La notification figure aussi\n"
                + "en pièce jointe (notice.json) pour votre logiciel ou vos archives.\n");
        text.append(REPLIES);
        return text.toString();
    }

    /** The French message, LF line ends (quoted-printable makes them CRLF). */
    static String message(ObjectNode item) {
        String referralId = required(item, "referralId");
        String sender = required(item, "sender");
        ReferralType type = ReferralType.find(required(item, "type")).orElseThrow(() -> missing("type"));
        JsonNode referral = item.path("referral");
        if (!referral.isObject()) {
            throw missing("referral");
        }
        String department = referral.path("department").asText("");
        StringBuilder text = new StringBuilder(4096);
        text.append("Passerelle : ").append(FrenchLabels.type(type)).append("\n\n");
        text.append("Votre association reçoit, par Passerelle, la passerelle sécurisée d'échange entre forces de\n"
                + "l'ordre, associations, SIAO et préfectures, le document décrit ci-dessous.\n\n");
        line(text, "", label("type"), FrenchLabels.type(type));
        urgency(referral).ifPresent(u -> line(text, "", label("urgency"), FrenchLabels.urgencyMeaning(u)));
        line(text, "", label("department"), department);
        line(text, "", "Émetteur (identifiant Passerelle)", sender);
        line(text, "", "Référence Passerelle", referralId);
        if (item.hasNonNull("submittedAt")) {
            line(text, "", "Transmise le", when(item.get("submittedAt").asText(), department));
        }
        DecisionGuidance.of(type, referral).ifPresent(guidance -> text.append("\nCe que cela signifie\n")
                .append("--------------------\n\n")
                .append(guidance)
                .append('\n'));
        text.append("\nContenu\n-------\n\n");
        List<String> shown = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = referral.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!ROUTING.contains(field.getKey())) {
                shown.add(field.getKey());
                render(text, "", field.getKey(), field.getValue(), department);
            }
        }
        if (shown.isEmpty()) {
            text.append("(aucune autre information ne vous est transmise pour ce document)\n");
        }
        links(text, item, department);
        text.append("\nLe document figure aussi en pièce jointe (referral.json), au format de Passerelle, pour\n"
                + "votre logiciel ou vos archives. Ce message est signé par Passerelle et chiffré pour votre\n"
                + "association : ne le transférez pas hors de votre messagerie sécurisée.\n");
        text.append(REPLIES);
        return text.toString();
    }

    private static void links(StringBuilder text, ObjectNode item, String department) {
        JsonNode links = item.path("receiptLinks");
        if (!links.isObject()) {
            return;
        }
        text.append("\nRépondre\n--------\n\n");
        link(text, FrenchLabels.answerAction(ReceiptStatus.RECEIVED), links.path("received"));
        link(text, FrenchLabels.answerAction(ReceiptStatus.ACCEPTED), links.path("accepted"));
        link(text, FrenchLabels.answerAction(ReceiptStatus.DECLINED) + " (avec un motif)", links.path("declined"));
        text.append("Chaque lien ne fonctionne qu'une seule fois");
        if (item.hasNonNull("receiptLinksExpireAt")) {
            text.append(" et expire le ")
                    .append(when(item.get("receiptLinksExpireAt").asText(), department));
        }
        text.append(".\nL'émetteur voit votre réponse dans Passerelle.\n");
    }

    private static void link(StringBuilder text, String label, JsonNode url) {
        if (url.isTextual()) {
            text.append(label).append(" :\n  ").append(url.asText()).append("\n\n");
        }
    }

    private static void render(StringBuilder text, String indent, String name, JsonNode value, String department) {
        String label = label(name);
        if (value.isObject()) {
            text.append(indent).append(label).append(" :\n");
            value.fields().forEachRemaining(f -> render(text, indent + "  ", f.getKey(), f.getValue(), department));
        } else if (value.isArray() && containsObjects(value)) {
            text.append(indent).append(label).append(" :\n");
            for (JsonNode element : value) {
                if (element.isObject()) {
                    StringBuilder nested = new StringBuilder();
                    element.fields()
                            .forEachRemaining(
                                    f -> render(nested, indent + "    ", f.getKey(), f.getValue(), department));
                    // The first line of each element carries the dash, as a list reads on paper.
                    text.append(indent)
                            .append("  - ")
                            .append(nested.isEmpty() ? "\n" : nested.substring(indent.length() + 4));
                } else {
                    text.append(indent)
                            .append("  - ")
                            .append(scalar(name, element, department))
                            .append('\n');
                }
            }
        } else if (value.isArray()) {
            List<String> parts = new ArrayList<>();
            value.forEach(element -> parts.add(scalar(name, element, department)));
            line(text, indent, label, String.join(", ", parts));
        } else {
            line(text, indent, label, scalar(name, value, department));
        }
    }

    /** The French label of a canonical field, or its name when the table has none. */
    private static String label(String field) {
        return FrenchLabels.field(field).orElse(field);
    }

    private static boolean containsObjects(JsonNode array) {
        for (JsonNode element : array) {
            if (element.isContainerNode()) {
                return true;
            }
        }
        return false;
    }

    private static String scalar(String field, JsonNode value, String department) {
        if (field.equals("content")) {
            // An attached file (base64) is unreadable in the text: it travels in the JSON attachment.
            return "fichier dans la pièce jointe JSON de ce courriel ("
                    + value.asText().length() * 3 / 4 + " octets)";
        }
        if (value.isBoolean()) {
            return value.asBoolean() ? "oui" : "non";
        }
        if (value.isNull()) {
            return "(vide)";
        }
        String text = value.asText();
        if (value.isTextual()) {
            if (text.length() == 10 && text.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return day(text);
            }
            if (text.length() > 10 && text.matches("\\d{4}-\\d{2}-\\d{2}T.*")) {
                return when(text, department);
            }
        }
        return FrenchLabels.value(field, text);
    }

    private static void line(StringBuilder text, String indent, String label, String value) {
        text.append(indent).append(label).append(" : ");
        // A multi-line value (notes) keeps its lines, each indented under the label.
        text.append(value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\n" + indent + "  "));
        text.append('\n');
    }

    /** An ISO-8601 duration such as PT30M in French words: 30 min, 2 h, 1 h 30 min, 3 j. */
    static String duration(String iso) {
        try {
            Duration d = Duration.parse(iso);
            List<String> parts = new ArrayList<>();
            if (d.toDays() > 0) {
                parts.add(d.toDays() + " j");
            }
            if (d.toHoursPart() > 0) {
                parts.add(d.toHoursPart() + " h");
            }
            if (d.toMinutesPart() > 0) {
                parts.add(d.toMinutesPart() + " min");
            }
            if (d.toSecondsPart() > 0 || parts.isEmpty()) {
                parts.add(d.toSecondsPart() + " s");
            }
            return String.join(" ", parts);
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    /** A date such as 2025-07-20 as French readers write it, 20/07/2025; anything else as it is. */
    static String day(String date) {
        try {
            return LocalDate.parse(date).format(DAY);
        } catch (DateTimeException e) {
            return date;
        }
    }

    /**
     * A date-time as people in the referral's department read it: an instant (Z) in the department's time zone,
     * an offset date-time at its own offset; the offset is always shown.
     */
    static String when(String dateTime, String department) {
        try {
            OffsetDateTime time = OffsetDateTime.parse(dateTime);
            if (time.getOffset().getTotalSeconds() == 0) {
                time = Instant.parse(dateTime).atZone(zone(department)).toOffsetDateTime();
            }
            String offset = time.getOffset().getId().equals("Z")
                    ? "UTC"
                    : "UTC" + time.getOffset().getId();
            return time.format(TIME) + " (" + offset + ")";
        } catch (DateTimeException e) {
            return dateTime;
        }
    }

    /** The department's zone; a department the model would refuse (never stored) reads in Paris's time. */
    private static ZoneId zone(String department) {
        try {
            return Department.of(department).zone();
        } catch (GatewayException e) {
            return Department.of("75").zone();
        }
    }

    private static Optional<Urgency> urgency(JsonNode referral) {
        for (Urgency urgency : Urgency.values()) {
            if (urgency.code().equals(referral.path("urgency").asText())) {
                return Optional.of(urgency);
            }
        }
        return Optional.empty();
    }

    private static String required(ObjectNode item, String field) {
        JsonNode value = item.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw missing(field);
        }
        return value.asText();
    }

    private static String text(ObjectNode item, String field) {
        return item.path(field).asText("(no id)");
    }

    private static GatewayException missing(String field) {
        return new GatewayException(
                ErrorCode.INTERNAL,
                "the item to render as a mail has no valid '" + field
                        + "' (expected: referralId, sender, a known type and the referral document)");
    }

    private static void ascii(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }
}
