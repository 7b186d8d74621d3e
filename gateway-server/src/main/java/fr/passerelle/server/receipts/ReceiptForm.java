package fr.passerelle.server.receipts;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.input.Utf8;
import fr.passerelle.core.receipt.ReceiptLinks.LinkView;
import fr.passerelle.core.referral.DeclineReason;
import fr.passerelle.core.referral.ReceiptStatus;
import fr.passerelle.server.receipts.ReceiptPages.Page;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the form that a receipt link's page POSTs: {@code application/x-www-form-urlencoded} in strict UTF-8, with
 * at most one {@code reason}, a {@link DeclineReason} code. Other fields are ignored.
 *
 * <p>The contract, which a fuzz test holds: {@link #read} takes any content type and any bytes and answers a
 * {@link Read} or a {@link Refused}, never throws; a refusal's pages are all 400, and neither its note nor its pages
 * repeat what was sent. Stateless and thread-safe.
 */
final class ReceiptForm {
    static final String MEDIA_TYPE = "application/x-www-form-urlencoded";

    private ReceiptForm() {}

    /** What a form yields: {@link Read} or {@link Refused}. */
    sealed interface Result permits Read, Refused {}

    /** A well-formed form; {@code reason} is empty when the form has none or an empty one. */
    record Read(Optional<DeclineReason> reason) implements Result {
        Read {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A form that cannot be used, and why. */
    record Refused(Problem problem) implements Result {
        Refused {
            Objects.requireNonNull(problem, "problem");
        }

        /** The page when the link is not known yet: a bad request. */
        Page page() {
            return ReceiptPages.badRequest(problem.french);
        }

        /**
         * The page for a usable link: a declining link shows its form again with the problem, any other a bad
         * request. A form that is not UTF-8 is refused before any look-up, so it gets {@link #page()}.
         */
        Page page(LinkView link) {
            return link.status() == ReceiptStatus.DECLINED && problem != Problem.NOT_UTF8
                    ? ReceiptPages.form(link, Optional.of(problem.french))
                    : page();
        }
    }

    /** Why a form is refused: a short English note for the log and the sentence that the page shows. */
    enum Problem {
        NOT_UTF8("not UTF-8", "Le formulaire envoyé n'est pas valide (UTF-8 attendu)."),
        NOT_A_FORM("not a form", "Le formulaire envoyé n'est pas valide (attendu : " + MEDIA_TYPE + ")."),
        MALFORMED("malformed form", "Le formulaire envoyé n'est pas valide."),
        SEVERAL_REASONS("several reasons", "Choisissez un seul motif de refus."),
        UNKNOWN_REASON("unknown reason", "Le motif choisi n'est pas dans la liste.");

        private final String note;
        private final String french;

        Problem(String note, String french) {
            this.note = note;
            this.french = french;
        }

        /** For the log: never what was sent. */
        String note() {
            return note;
        }
    }

    /**
     * @param contentType the request's {@code Content-Type}, parameters included; when absent, only an empty body
     *                    counts as a form
     * @param body        the request's body, as sent
     */
    static Result read(Optional<String> contentType, byte[] body) {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        String text;
        try {
            // Strict: an overlong form or an encoded surrogate is refused, never silently replaced.
            text = Utf8.decode(body, ErrorCode.REQUEST_INVALID, "the form");
        } catch (GatewayException e) {
            return new Refused(Problem.NOT_UTF8);
        }
        boolean form = contentType
                .map(t -> t.split(";", 2)[0].trim().equalsIgnoreCase(MEDIA_TYPE))
                .orElse(text.isEmpty());
        if (!form) {
            return new Refused(Problem.NOT_A_FORM);
        }
        List<String> values;
        try {
            values = new QueryStringDecoder(text, StandardCharsets.UTF_8, false)
                    .parameters()
                    .getOrDefault("reason", List.of());
        } catch (IllegalArgumentException e) {
            return new Refused(Problem.MALFORMED);
        }
        if (values.size() > 1) {
            return new Refused(Problem.SEVERAL_REASONS);
        }
        if (values.isEmpty() || values.get(0).isEmpty()) {
            return new Read(Optional.empty());
        }
        String code = values.get(0);
        return Arrays.stream(DeclineReason.values())
                .filter(r -> r.code().equals(code))
                .findFirst()
                .<Result>map(r -> new Read(Optional.of(r)))
                .orElse(new Refused(Problem.UNKNOWN_REASON));
    }
}
