package fr.passerelle.adapters.mail;

import java.util.Map;

/**
 * The French words of a notice: what happened, in a few words for the subject, what it means and what each reader
 * should do, and the codes a notice may carry (why a removal objective is held, why it was released). A notice
 * holds ids, codes and dates only, so these words are all a reader learns from it; an unknown code shows as it is.
 * The labels of the referral's own fields and codes are {@link fr.passerelle.adapters.words.FrenchLabels}'.
 */
final class NoticeWords {
    /** Why the protection register holds a removal objective: the notice's {@code reason}. */
    private static final Map<String, String> REASONS = Map.of(
            "protected:reflection-period", "délai de réflexion en cours",
            "protected:permit", "titre de séjour demandé ou détenu",
            "protected:exit-pathway", "autorisation liée au parcours de sortie",
            "protected:minor", "personne mineure");

    /** Why an administrator released a held removal objective: the notice's {@code justification}. */
    private static final Map<String, String> JUSTIFICATIONS = Map.of(
            "period-ended-early", "le préfet a mis fin au délai de réflexion de manière anticipée",
            "not-the-same-person", "la fiche objectif ne vise pas la personne protégée",
            "protection-ended", "la protection de la personne a pris fin",
            "decision-annulled", "la décision qui protégeait la personne a été annulée");

    private NoticeWords() {}

    /**
     * What a notice is, in a few words, for the subject: it names the notice only, so an escalation's says what
     * both of its causes share.
     */
    static String title(String notice) {
        return switch (notice) {
            case "escalated" -> "ALERTE — demande restée sans solution";
            case "expired" -> "Signalement expiré sans prise en charge";
            case "cancelled" -> "Signalement annulé";
            case "held" -> "Fiche objectif retenue : la personne semble protégée";
            case "released" -> "Fiche objectif libérée par l'administration";
            case "reflection-period-ending" -> "Délai de réflexion : fin dans 5 jours";
            case "permit-expiring" -> "Titre de séjour : expiration dans 60 jours";
            case "exit-pathway-ending" -> "Parcours de sortie : fin de la période dans 45 jours";
            case "consent-withdrawn" -> "Consentement retiré : supprimez votre exemplaire";
            default -> "Notification";
        };
    }

    /**
     * What a notice is, in a few words, for the message's first line: an escalation says why, from its
     * {@code cause} ({@code no-capacity}, or {@code unacknowledged} and a notice older than the cause).
     */
    static String title(String notice, String cause) {
        if (!notice.equals("escalated")) {
            return title(notice);
        }
        return cause.equals("no-capacity")
                ? "ALERTE — demande déclinée faute de place"
                : "ALERTE — délai de prise en compte dépassé";
    }

    /** What a notice means and what the reader should do; an escalation's, for its {@code cause}. */
    static String meaning(String notice, String cause) {
        if (notice.equals("escalated") && cause.equals("no-capacity")) {
            return "Le destinataire du signalement ci-dessous l'a décliné faute de place disponible, et aucun autre\n"
                    + "ne l'a pris en charge : la personne reste sans solution.\n"
                    + "Vous êtes prévenu(e) comme partenaire d'astreinte (service de l'État chargé de l'hébergement\n"
                    + "d'urgence) ou comme émetteur : recherchez sans attendre une autre solution de mise à l'abri,\n"
                    + "par téléphone si besoin avec le SIAO (115) ; si la personne doit être éloignée de ses\n"
                    + "exploiteurs, le dispositif national Ac.Sé peut l'accueillir hors du département.";
        }
        return meaning(notice);
    }

    /** What a notice means and what the reader should do. */
    static String meaning(String notice) {
        return switch (notice) {
            case "escalated" -> "Aucun destinataire n'a accusé réception du signalement ci-dessous dans le délai fixé.\n"
                    + "Vous êtes prévenu(e) comme partenaire d'astreinte ou comme émetteur : assurez-vous, par\n"
                    + "téléphone si besoin, que le destinataire en a connaissance.";
            case "expired" -> "Personne n'a accepté la prise en charge du signalement ci-dessous dans le délai fixé :\n"
                    + "il est clos comme expiré et ne peut plus recevoir de réponse. L'émetteur peut en déposer un\n"
                    + "nouveau si la situation le demande encore.";
            case "cancelled" -> "L'administration de Passerelle a annulé le signalement ci-dessous : ne lui donnez pas\n"
                    + "suite. Si vous aviez commencé à le traiter, rapprochez-vous de l'émetteur.";
            case "held" -> "Passerelle retient la fiche objectif ci-dessous : la personne qu'elle vise semble protégée\n"
                    + "(protection constatée ci-dessous), et cette protection peut faire obstacle à toute mesure\n"
                    + "d'éloignement. Rien n'a été remis aux services de police ou de gendarmerie, et rien ne le\n"
                    + "sera tant qu'un administrateur de Passerelle ne l'a pas libérée en justifiant sa décision.\n\n"
                    + "Préfecture émettrice : vérifiez la situation de la personne (délai de réflexion, titre de\n"
                    + "séjour, parcours de sortie, âge). Si la fiche ne vise pas la même personne, ou si la\n"
                    + "protection a pris fin, contactez l'administration de Passerelle en citant la référence\n"
                    + "ci-dessous : elle seule peut libérer la fiche.\n\n"
                    + "Référent de la préfecture, association ou service qui a transmis la demande protégeant la\n"
                    + "personne : vous n'avez rien à faire, sinon signaler à l'administration de Passerelle ce\n"
                    + "que vous savez de la fin de cette protection.";
            case "released" -> "Un administrateur de Passerelle a libéré la fiche objectif ci-dessous, qui était\n"
                    + "retenue parce que la personne semblait protégée ; sa justification figure ci-dessous. La fiche est\n"
                    + "maintenant remise aux services de police ou de gendarmerie destinataires.\n"
                    + "Si vous savez que la personne est toujours protégée, prévenez sans attendre l'administration\n"
                    + "de Passerelle et la préfecture émettrice.";
            case "reflection-period-ending" -> "Le délai de réflexion de la personne concernée par la décision\n"
                    + "ci-dessous prend fin dans 5 jours. Après cette date, le délai de réflexion ne la protège\n"
                    + "plus d'une mesure d'éloignement (CESEDA R.425-2). Faites le point avec elle : si elle dépose\n"
                    + "plainte ou témoigne, un titre de séjour peut être demandé pour elle (CESEDA L.425-1).";
            case "permit-expiring" -> "Le titre de séjour délivré à la personne concernée par la décision ci-dessous\n"
                    + "expire dans 60 jours. Préparez avec elle la demande de renouvellement, à déposer en\n"
                    + "préfecture avant l'expiration du titre (le titre L.425-1 est renouvelé pendant toute la\n"
                    + "procédure pénale).";
            case "exit-pathway-ending" -> "La période du parcours de sortie de la prostitution accordée par la décision\n"
                    + "ci-dessous prend fin dans 45 jours, et avec elle l'autorisation provisoire de séjour qui s'y\n"
                    + "attache, le cas échéant (CESEDA L.425-4). Association qui accompagne la personne : si le\n"
                    + "parcours doit se poursuivre, présentez dès maintenant à la commission la demande de\n"
                    + "renouvellement, qui cite cette décision ; le parcours dure 24 mois au plus. Autres\n"
                    + "destinataires : pour information.";
            case "consent-withdrawn" -> "La personne concernée par le signalement ci-dessous a retiré le consentement\n"
                    + "sur lequel reposait son partage. Supprimez sans attendre l'exemplaire que vous avez reçu par\n"
                    + "Passerelle (message, pièce jointe, impression) et toute donnée que vous en avez tirée dans vos\n"
                    + "dossiers ou votre logiciel (RGPD, art. 7 § 3 et art. 17). Le retrait ne vous empêche pas\n"
                    + "d'accompagner la personne si elle revient vers vous d'elle-même.\n"
                    + "Passerelle a déjà supprimé ses propres copies : elle ne détient plus ce signalement et ne\n"
                    + "peut plus vous le renvoyer.";
            default -> "Passerelle vous notifie l'état du signalement ci-dessous.";
        };
    }

    /** The protection that holds a removal objective, such as « délai de réflexion en cours ». */
    static String reason(String code) {
        return REASONS.getOrDefault(code, code);
    }

    /** Why a held removal objective was released, such as « la protection de la personne a pris fin ». */
    static String justification(String code) {
        return JUSTIFICATIONS.getOrDefault(code, code);
    }

    /** The label of the notice's {@code until} date, which means something else for each kind. */
    static String untilLabel(String notice) {
        return switch (notice) {
            case "held" -> "Protégée jusqu'au";
            case "reflection-period-ending" -> "Fin du délai de réflexion";
            case "permit-expiring" -> "Titre valable jusqu'au";
            case "exit-pathway-ending" -> "Fin de la période du parcours";
            default -> "Jusqu'au";
        };
    }
}
