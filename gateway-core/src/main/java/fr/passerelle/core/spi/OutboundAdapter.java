package fr.passerelle.core.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.referral.Notice;

/**
 * Renders the minimised canonical referral that one recipient may see into that recipient's format. Found
 * through {@link java.util.ServiceLoader}; stateless and thread-safe.
 */
public interface OutboundAdapter {
    /** Writes the JSON notice documents. */
    ObjectMapper NOTICE_JSON = new ObjectMapper();

    /** The id that partner entries name in {@code outbound:}. */
    String id();

    /**
     * The media type of what {@link #write} produces, such as {@code application/json}. A {@code multipart/*}
     * type means that {@link #write} returns a whole MIME entity, its headers included (CRLF line ends): S/MIME
     * mail then carries it as it is; any other type is wrapped in one base64 body part of that type.
     */
    String mediaType();

    /**
     * @param item the item as the recipient will see it: {@code referralId}, {@code sender}, {@code type},
     *             {@code submittedAt} and the minimised canonical document under {@code referral}; for a
     *             recipient whose transport answers by links (secure mail), also {@code receiptLinks}: an object
     *             with the single-use URLs {@code received}, {@code accepted} and {@code declined}, and
     *             {@code receiptLinksExpireAt} (an ISO-8601 instant)
     * @return the rendered bytes
     * @throws fr.passerelle.core.GatewayException {@code internal} if the item cannot be rendered; the message
     *         never repeats the item's values
     */
    byte[] write(ObjectNode item);

    /** The media type of what {@link #writeNotice} produces; by default the JSON notice document's. */
    default String noticeMediaType() {
        return Notice.MEDIA_TYPE;
    }

    /**
     * Renders a notice ({@link Notice}): by default the JSON document itself, which
     * every format's partners read beside their referrals (docs/NOTICES.md); a format for people (mail) adds a
     * message in words.
     *
     * @param notice {@code noticeVersion}, {@code notice}, {@code referralId}, {@code type}, {@code department},
     *               {@code urgency}, {@code sender}, {@code submittedAt}, {@code issuedAt}, optionally
     *               {@code deadline} (ISO-8601 duration) and {@code recipients} (partner and state of each copy);
     *               never personal data
     */
    default byte[] writeNotice(ObjectNode notice) {
        try {
            return NOTICE_JSON.writeValueAsBytes(notice);
        } catch (JsonProcessingException e) {
            throw new GatewayException(ErrorCode.INTERNAL, "cannot serialise a notice", e);
        }
    }
}
