package fr.passerelle.adapters.mail;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.adapters.words.FrenchLabels;
import fr.passerelle.core.referral.ReferralType;
import java.util.Optional;

/**
 * What a prefecture's decision means for the person and what the reader should do, in French, from the fields the
 * route lets the reader see: a field the route cut leaves its sentence general rather than wrong. Only the two
 * decision types have such a paragraph; the other types speak for themselves.
 */
final class DecisionGuidance {
    private static final int WIDTH = 100;

    private DecisionGuidance() {}

    /** The paragraph for {@code referral}, LF line ends, or empty for a type that needs none. */
    static Optional<String> of(ReferralType type, JsonNode referral) {
        return switch (type) {
            case REFLECTION_PERIOD_DECISION -> Optional.of(wrap(reflectionPeriod(referral)));
            case RESIDENCE_PERMIT_DECISION -> Optional.of(wrap(residencePermit(referral)));
            default -> Optional.empty();
        };
    }

    private static String reflectionPeriod(JsonNode referral) {
        Optional<String> handedOverOn = day(referral.path("receipt").path("handedOverOn"));
        Optional<String> endsOn = day(referral.path("receipt").path("endsOn"));
        JsonNode earlyEnd = referral.path("earlyEnd");
        StringBuilder text = new StringBuilder();
        if (earlyEnd.isObject()) {
            handedOverOn.ifPresent(day ->
                    text.append("Le récépissé avait été remis le ").append(day).append(". "));
            text.append("Le préfet a mis fin au délai de réflexion de manière anticipée");
            day(earlyEnd.path("on")).ifPresent(day -> text.append(" le ").append(day));
            if (earlyEnd.path("reason").isTextual()) {
                text.append(" (motif : ")
                        .append(FrenchLabels.value(
                                "reason", earlyEnd.path("reason").asText()))
                        .append(')');
            }
            return text.append(" : depuis cette date, le délai de réflexion ne protège plus la personne d'une"
                            + " mesure d'éloignement (CESEDA R.425-2). Si vous accompagnez la personne, informez-la de"
                            + " cette décision.")
                    .toString();
        }
        handedOverOn.ifPresent(
                day -> text.append("Le récépissé a été remis le ").append(day).append(", "));
        text.append(text.isEmpty() ? "Le" : "le").append(" délai de réflexion court");
        endsOn.ifPresent(day -> text.append(" jusqu'au ").append(day).append(" inclus"));
        return text.append(" : aucune mesure d'éloignement ne peut être prise ni exécutée pendant ce délai"
                        + " (CESEDA R.425-2), et le récépissé autorise la personne à travailler. Si vous accompagnez la"
                        + " personne, informez-la de cette date ; Passerelle vous rappellera la fin du délai cinq jours"
                        + " avant.")
                .toString();
    }

    private static String residencePermit(JsonNode referral) {
        String outcome = referral.path("decision").path("outcome").asText("");
        Optional<String> decidedOn = day(referral.path("decision").path("decidedOn"));
        JsonNode card = referral.path("card");
        StringBuilder text = new StringBuilder();
        switch (outcome) {
            case "issued", "renewed" -> {
                text.append("La préfecture a ")
                        .append(outcome.equals("issued") ? "délivré" : "renouvelé")
                        .append(" le titre de séjour de la personne");
                decidedOn.ifPresent(day -> text.append(" le ").append(day));
                if (card.path("kind").isTextual()) {
                    text.append(" : ")
                            .append(FrenchLabels.value("kind", card.path("kind").asText()));
                }
                Optional<String> from = day(card.path("validFrom"));
                Optional<String> until = day(card.path("validUntil"));
                if (from.isPresent() && until.isPresent()) {
                    text.append(", valable du ")
                            .append(from.get())
                            .append(" au ")
                            .append(until.get())
                            .append(" inclus");
                } else {
                    until.ifPresent(day ->
                            text.append(", valable jusqu'au ").append(day).append(" inclus"));
                }
                text.append(". Tant qu'il est valable, la personne séjourne régulièrement en France et peut"
                        + " travailler. Passerelle vous rappellera son expiration soixante jours avant, pour"
                        + " préparer avec elle la demande de renouvellement.");
            }
            case "refused" -> {
                text.append("La préfecture a refusé le titre de séjour de la personne");
                decidedOn.ifPresent(day -> text.append(" le ").append(day));
                text.append(". Si vous accompagnez la personne, orientez-la sans attendre vers un conseil"
                        + " juridique (avocat, point-justice) : les délais pour contester ce refus sont courts.");
            }
            default -> text.append("La préfecture vous informe de sa décision sur le titre de séjour de la personne"
                    + " (CESEDA L.425-1).");
        }
        return text.toString();
    }

    private static Optional<String> day(JsonNode field) {
        return field.isTextual() ? Optional.of(MailFormat.day(field.asText())) : Optional.empty();
    }

    /** Breaks a paragraph into lines of at most {@link #WIDTH} characters, at spaces. */
    static String wrap(String paragraph) {
        StringBuilder text = new StringBuilder(paragraph.length() + 16);
        int lineStart = 0;
        for (String word : paragraph.split(" ")) {
            if (text.length() > lineStart && text.length() - lineStart + 1 + word.length() > WIDTH) {
                text.append('\n');
                lineStart = text.length();
            } else if (text.length() > lineStart) {
                text.append(' ');
            }
            text.append(word);
        }
        return text.toString();
    }
}
