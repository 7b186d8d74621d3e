package fr.passerelle.core.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Renders the minimised canonical referral that one recipient may see into that recipient's format. Found
 * through {@link java.util.ServiceLoader}; stateless and thread-safe.
 */
public interface OutboundAdapter {

    /** The id that partner entries name in {@code outbound:}. */
    String id();

    /** The media type of what {@link #write} produces, such as {@code application/json}. */
    String mediaType();

    /**
     * @param item the item as the recipient will see it: {@code referralId}, {@code sender} and the minimised
     *             canonical document under {@code referral}
     * @return the rendered bytes
     */
    byte[] write(ObjectNode item);
}
