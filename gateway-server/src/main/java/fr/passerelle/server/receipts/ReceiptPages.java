package fr.passerelle.server.receipts;

import fr.passerelle.adapters.words.FrenchLabels;
import fr.passerelle.core.crypto.Sha256;
import fr.passerelle.core.receipt.ReceiptLinks.LinkView;
import fr.passerelle.core.referral.DeclineReason;
import fr.passerelle.core.referral.DeliveryState;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReceiptStatus;
import fr.passerelle.core.referral.ReferralType;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The French HTML pages of the receipt listener. They name the referral by its type and id only, never show the
 * token (the form posts back to the page's own URL), and escape every value they insert. No script; the one inline
 * style sheet is allowed by its hash in {@link #CONTENT_SECURITY_POLICY}.
 */
final class ReceiptPages {
    private static final String STYLE =
            "body{font-family:system-ui,sans-serif;margin:0;background:#f5f5f5;color:#1e1e1e}"
                    + "main{max-width:40rem;margin:2rem auto;padding:1.5rem 2rem;background:#fff;border-radius:.5rem}"
                    + "h1{font-size:1.4rem}code{font-size:.95em}label{display:block;margin:1rem 0 .3rem}"
                    + "select,button{font-size:1rem;padding:.4rem .8rem}button{margin-top:1rem}"
                    + ".error{color:#a40000;font-weight:bold}";
    /** No script, no frame, no other origin; forms post to the listener only; the one style sheet by its hash. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'sha256-" + sha256Base64(STYLE)
            + "'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("dd/MM/yyyy 'à' HH:mm", Locale.FRANCE).withZone(Department.PARIS);
    private static final String CONTACT = "<p>Pour répondre autrement, contactez l'émetteur de la fiche ou utilisez"
            + " l'API de la passerelle avec la référence de la fiche.</p>";

    /** A page to send. */
    record Page(HttpResponseStatus status, String html) {
        Page {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(html, "html");
        }
    }

    private ReceiptPages() {}

    /** What the link will record, and the form that records it. */
    static Page form(LinkView link) {
        return form(link, Optional.empty());
    }

    /** The form again, with what was wrong in what was sent: 400. */
    static Page form(LinkView link, Optional<String> error) {
        StringBuilder body = new StringBuilder();
        error.ifPresent(
                e -> body.append("<p class=\"error\">").append(escape(e)).append("</p>"));
        body.append("<p>Ce lien enregistre la réponse <strong>« ")
                .append(escape(answer(link.status())))
                .append(" »</strong> à la fiche ")
                .append(referral(link))
                .append(".</p>")
                .append("<p>Rien n'est enregistré avant que vous cliquiez sur « Confirmer ». Ce lien ne sert qu'une"
                        + " fois ; il expire le ")
                .append(escape(WHEN.format(link.expiresAt())))
                .append(" (heure de Paris).</p>")
                .append("<form method=\"post\">");
        if (link.status() == ReceiptStatus.DECLINED) {
            body.append("<label for=\"reason\">")
                    .append(escape(FrenchLabels.field("reason").orElse("Motif")))
                    .append("</label><select id=\"reason\" name=\"reason\" required>")
                    .append("<option value=\"\">— Choisissez un motif —</option>");
            for (DeclineReason reason : DeclineReason.values()) {
                body.append("<option value=\"")
                        .append(escape(reason.code()))
                        .append("\">")
                        .append(escape(capitalized(FrenchLabels.declineReason(reason))))
                        .append("</option>");
            }
            body.append("</select>");
        }
        body.append("<button type=\"submit\">Confirmer</button></form>");
        HttpResponseStatus status = error.isPresent() ? HttpResponseStatus.BAD_REQUEST : HttpResponseStatus.OK;
        return page(status, title(link.status()), body.toString());
    }

    static Page recorded(LinkView link, Optional<DeclineReason> reason) {
        return page(
                HttpResponseStatus.OK,
                "Réponse enregistrée",
                "<p>Votre réponse <strong>« "
                        + escape(answer(link.status())) + " »</strong>"
                        + reason.map(r -> " (motif : " + escape(FrenchLabels.declineReason(r)) + ")")
                                .orElse("")
                        + " à la fiche " + referral(link) + " est enregistrée. L'émetteur la verra dans le suivi de la"
                        + " fiche.</p><p>Vous pouvez fermer cette page.</p>");
    }

    static Page alreadyUsed(LinkView link) {
        return page(
                HttpResponseStatus.GONE,
                "Ce lien a déjà été utilisé",
                "<p>La réponse <strong>« "
                        + escape(answer(link.status())) + " »</strong> à la fiche " + referral(link)
                        + " a été enregistrée"
                        + link.usedAt()
                                .map(at -> " le " + escape(WHEN.format(at)) + " (heure de Paris)")
                                .orElse("")
                        + ". Un lien ne sert qu'une fois : rien n'a été modifié.</p>" + CONTACT);
    }

    static Page expired(LinkView link) {
        return page(
                HttpResponseStatus.GONE,
                "Ce lien a expiré",
                "<p>Ce lien vers la fiche " + referral(link)
                        + " a expiré le " + escape(WHEN.format(link.expiresAt())) + " (heure de Paris) : rien n'a été"
                        + " enregistré.</p>" + CONTACT);
    }

    /** The copy's state no longer allows the link's receipt (accepted after declined, for instance): 409. */
    static Page notAllowed(LinkView link) {
        return page(
                HttpResponseStatus.CONFLICT,
                "Réponse impossible",
                "<p>Votre exemplaire de la fiche "
                        + referral(link) + " est à l'état <strong>« " + escape(state(link.copy())) + " »</strong> : la"
                        + " réponse « " + escape(answer(link.status()))
                        + " » ne peut plus être enregistrée. Rien n'a été"
                        + " modifié.</p>" + CONTACT);
    }

    static Page notFound() {
        return page(
                HttpResponseStatus.NOT_FOUND,
                "Lien inconnu",
                "<p>Ce lien ne correspond à aucune fiche. Vérifiez"
                        + " que vous avez copié l'adresse en entier depuis le message reçu.</p>" + CONTACT);
    }

    /**
     * A link that no longer works: its partner disabled, its route removed, its referral closed... The page is the
     * same for every reason and names no referral: whoever holds the link learns nothing from it. 410.
     */
    static Page dead() {
        return page(
                HttpResponseStatus.GONE,
                "Ce lien n'est plus valable",
                "<p>Ce lien ne permet plus de répondre :" + " rien n'a été enregistré.</p>" + CONTACT);
    }

    /** Too many requests from one address: 429, with the wait in seconds (also in {@code Retry-After}). */
    static Page tooMany(long retryAfterSeconds) {
        return page(
                HttpResponseStatus.TOO_MANY_REQUESTS,
                "Trop de demandes",
                "<p>Trop de demandes sont venues de"
                        + " votre adresse. Réessayez dans " + retryAfterSeconds + " seconde"
                        + (retryAfterSeconds > 1 ? "s" : "")
                        + " : le lien reste valable jusqu'à son expiration.</p>");
    }

    static Page badRequest(String what) {
        return page(
                HttpResponseStatus.BAD_REQUEST,
                "Demande incorrecte",
                "<p>" + escape(what) + "</p>"
                        + "<p>Rouvrez le lien depuis le message reçu et utilisez le formulaire de la page.</p>");
    }

    static Page methodNotAllowed() {
        return page(
                HttpResponseStatus.METHOD_NOT_ALLOWED,
                "Demande incorrecte",
                "<p>Cette adresse s'ouvre dans un" + " navigateur (GET) et son formulaire s'envoie par POST.</p>");
    }

    static Page tooLarge(int maxBytes) {
        return page(
                HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "Demande trop volumineuse",
                "<p>Le formulaire" + " envoyé dépasse " + maxBytes + " octets.</p>");
    }

    static Page unavailable() {
        return page(
                HttpResponseStatus.SERVICE_UNAVAILABLE,
                "Service momentanément indisponible",
                "<p>La passerelle"
                        + " est trop sollicitée. Réessayez dans quelques minutes : le lien reste valable jusqu'à son"
                        + " expiration.</p>");
    }

    /** A failure on our side; the incident id stands on the log line with the cause. */
    static Page failed(String incident) {
        return page(
                HttpResponseStatus.INTERNAL_SERVER_ERROR,
                "Erreur de la passerelle",
                "<p>Votre réponse n'a pas"
                        + " pu être traitée. Réessayez plus tard ; si l'erreur persiste, signalez l'incident <code>"
                        + escape(incident) + "</code> à l'administrateur de la passerelle.</p>");
    }

    private static Page page(HttpResponseStatus status, String title, String body) {
        return new Page(
                status,
                "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">"
                        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                        + "<meta name=\"robots\" content=\"noindex, nofollow\"><title>" + escape(title)
                        + " — Passerelle</title><style>" + STYLE + "</style></head><body><main><h1>" + escape(title)
                        + "</h1>" + body + "</main></body></html>\n");
    }

    private static String referral(LinkView link) {
        return "<strong>" + escape(label(link.type())) + "</strong> (<code>"
                + escape(link.type().code()) + "</code>), référence <code>"
                + escape(link.referralId().toString()) + "</code>";
    }

    private static String title(ReceiptStatus status) {
        return FrenchLabels.answerAction(status);
    }

    private static String answer(ReceiptStatus status) {
        return FrenchLabels.answer(status);
    }

    private static String label(ReferralType type) {
        return FrenchLabels.type(type);
    }

    private static String state(DeliveryState state) {
        return FrenchLabels.deliveryState(state);
    }

    /** A label as the first word of a list item: « Pas de place disponible ». */
    private static String capitalized(String label) {
        return label.isEmpty() ? label : label.substring(0, 1).toUpperCase(Locale.FRENCH) + label.substring(1);
    }

    /** HTML text and attribute escaping. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            switch (ch) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }

    private static String sha256Base64(String text) {
        return Base64.getEncoder().encodeToString(Sha256.digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
