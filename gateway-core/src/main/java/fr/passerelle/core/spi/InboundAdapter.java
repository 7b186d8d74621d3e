package fr.passerelle.core.spi;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

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
     * @throws fr.passerelle.core.GatewayException {@code format_invalid} (or {@code json_malformed} for JSON that
     *         does not parse) or {@code media_type_unsupported}, with a message that says where the input is
     *         wrong (the element or field path, the line when the parser knows it) and what was expected, and
     *         never repeats the input's values: they may be personal data
     */
    ObjectNode read(byte[] body, String mediaType);

    /**
     * Reads a receipt the partner sends for a referral it received ({@code POST /v1/referrals/{id}/receipts}),
     * when the partner answers in its own format, such as a SIAO's placement answer.
     *
     * @return the canonical receipt ({@code status}, and {@code reason} for {@code declined}: see
     *         {@code config/schemas/referral.receipt.schema.json}), or empty when this adapter does not read
     *         receipts of this media type: the gateway then reads the body as a canonical JSON receipt
     * @throws fr.passerelle.core.GatewayException {@code format_invalid} as for {@link #read}
     */
    default Optional<ObjectNode> readReceipt(byte[] body, String mediaType) {
        return Optional.empty();
    }
}
