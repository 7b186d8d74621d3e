package fr.passerelle.core.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns what a partner submits, in its own format, into a canonical referral document (not yet validated: the
 * gateway checks the schema and the rules afterwards). Found through {@link java.util.ServiceLoader}; one
 * instance serves every request, from many threads at once, so implementations must be stateless.
 */
public interface InboundAdapter {

    /** The id that partner entries name in {@code inbound:}, such as {@code canonical-json}. */
    String id();

    /**
     * Reads one submission.
     *
     * @param body      the request body, never null, possibly empty
     * @param mediaType the request's media type without parameters, lower case, or empty when none was sent
     * @return the canonical document
     * @throws fr.passerelle.core.GatewayException {@code json_malformed} or {@code media_type_unsupported}, with
     *         a message that says where the input is wrong and never repeats personal data
     */
    ObjectNode read(byte[] body, String mediaType);
}
