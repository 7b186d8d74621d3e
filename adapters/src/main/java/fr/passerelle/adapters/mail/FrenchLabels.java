package fr.passerelle.adapters.mail;

import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The French words of the mail: type names, urgencies, field labels and the labels of coded values, for
 * association staff who never see the canonical model. A field or value without a label shows as it is.
 */
final class FrenchLabels {
    private static final Map<String, String> FIELDS = Map.ofEntries(
            Map.entry("senderReference", "Référence de l'émetteur"),
            Map.entry("subject", "Personne concernée"),
            Map.entry("givenName", "Prénom"),
            Map.entry("familyName", "Nom"),
            Map.entry("alias", "Nom d'usage"),
            Map.entry("birthDate", "Date de naissance"),
            Map.entry("estimatedAge", "Âge estimé"),
            Map.entry("minor", "Personne mineure"),
            Map.entry("gender", "Genre"),
            Map.entry("nationality", "Nationalité (code ISO)"),
            Map.entry("languages", "Langues comprises"),
            Map.entry("contact", "Contact"),
            Map.entry("channel", "Moyen de contact"),
            Map.entry("phone", "Téléphone"),
            Map.entry("email", "Courriel"),
            Map.entry("safeTimes", "Moments où la joindre sans risque"),
            Map.entry("referrer", "Professionnel qui oriente"),
            Map.entry("unit", "Service"),
            Map.entry("officerRio", "Matricule RIO"),
            Map.entry("staffReference", "Référence de l'agent"),
            Map.entry("rightsInformation", "Information sur les droits (CESEDA R.425-1)"),
            Map.entry("informedAt", "Informée le"),
            Map.entry("language", "Langue"),
            Map.entry("items", "Droits présentés"),
            Map.entry("consent", "Consentement"),
            Map.entry("given", "Consentement donné"),
            Map.entry("recordedAt", "Recueilli le"),
            Map.entry("recordedBy", "Recueilli par"),
            Map.entry("scope", "Portée"),
            Map.entry("needs", "Besoins"),
            Map.entry("situation", "Situation"),
            Map.entry("context", "Contexte"),
            Map.entry("safetyConcerns", "Risques pour sa sécurité"),
            Map.entry("notes", "Observations"),
            Map.entry("household", "Composition du foyer"),
            Map.entry("adults", "Adultes"),
            Map.entry("children", "Enfants"),
            Map.entry("age", "Âge"),
            Map.entry("shelter", "Mise à l'abri"),
            Map.entry("neededFrom", "À partir du"),
            Map.entry("nights", "Nombre de nuits"),
            Map.entry("safeLocationRequired", "Lieu sécurisé nécessaire"),
            Map.entry("constraints", "Contraintes"),
            Map.entry("administrativeStatus", "Situation administrative"),
            Map.entry("resources", "Ressources"),
            Map.entry("hasIncome", "A des revenus"),
            Map.entry("monthlyIncomeEuros", "Revenus mensuels (euros)"),
            Map.entry("health", "Santé"),
            Map.entry("medicalFollowUp", "Suivi médical"),
            Map.entry("urgentCare", "Soins urgents"),
            Map.entry("socialAssessment", "Évaluation sociale"),
            Map.entry("done", "Réalisée"),
            Map.entry("recommendation", "Préconisation"),
            Map.entry("summary", "Résumé"),
            Map.entry("offence", "Infraction"),
            Map.entry("qualification", "Qualification (articles du Code pénal)"),
            Map.entry("procedureReference", "Référence de la procédure"),
            Map.entry("basis", "Fondement"),
            Map.entry("complaint", "Plainte"),
            Map.entry("receiptNumber", "Numéro du récépissé"),
            Map.entry("filedAt", "Déposée le"),
            Map.entry("proceeding", "Procédure"),
            Map.entry("reference", "Référence"),
            Map.entry("offences", "Infractions (articles du Code pénal)"),
            Map.entry("hearing", "Audition"),
            Map.entry("byQualifiedStaff", "Par un personnel habilité"),
            Map.entry("heardAt", "Entendue le"),
            Map.entry("tiesCut", "Liens rompus avec les auteurs"),
            Map.entry("choice", "Choix"),
            Map.entry("chosenAt", "Exprimé le"),
            Map.entry("place", "Lieu"),
            Map.entry("commune", "Commune"),
            Map.entry("inseeCode", "Code INSEE"),
            Map.entry("establishmentType", "Type de lieu"),
            Map.entry("address", "Adresse"),
            Map.entry("indicators", "Indices"),
            Map.entry("observedAt", "Constaté le"),
            Map.entry("estimatedVictims", "Nombre estimé de victimes"),
            Map.entry("minorsSuspected", "Mineurs suspectés"),
            Map.entry("informant", "Source"),
            Map.entry("protected", "Source protégée"),
            Map.entry("kind", "Nature"),
            Map.entry("contactThroughAssociation", "Contact par l'association"),
            Map.entry("narrative", "Récit"),
            Map.entry("decision", "Décision"),
            Map.entry("decidedAt", "Prise le"),
            Map.entry("action", "Action"),
            Map.entry("reflectionPeriod", "Délai de réflexion"),
            Map.entry("running", "En cours"),
            Map.entry("endsOn", "Prend fin le"),
            Map.entry("lastKnownPlace", "Dernier lieu connu"),
            Map.entry("establishment", "Établissement"),
            Map.entry("name", "Nom"),
            Map.entry("plannedFor", "Prévue le"),
            Map.entry("legalBasis", "Fondement juridique"),
            Map.entry("participants", "Participants"),
            Map.entry("codaf", "CODAF"),
            Map.entry("category", "Catégorie"),
            Map.entry("relatedReferralId", "Orientation concernée"),
            Map.entry("status", "Statut"),
            Map.entry("reason", "Motif"),
            Map.entry("requestReferralId", "Demande concernée (référence Passerelle)"),
            Map.entry("receipt", "Récépissé du délai de réflexion"),
            Map.entry("number", "Numéro"),
            Map.entry("handedOverOn", "Remis le"),
            Map.entry("earlyEnd", "Fin anticipée du délai"),
            Map.entry("on", "Prend effet le"),
            Map.entry("outcome", "Sens de la décision"),
            Map.entry("decidedOn", "Décidée le"),
            Map.entry("card", "Titre de séjour"),
            Map.entry("validFrom", "Valable du"),
            Map.entry("validUntil", "Valable jusqu'au"));

    /** The fields whose values are codes of the canonical model: only these get their values translated. */
    private static final Set<String> CODED = Set.of("gender", "channel", "scope", "needs", "context", "constraints",
            "administrativeStatus", "recommendation", "basis", "items", "indicators", "kind", "establishmentType",
            "action", "participants", "category", "status", "reason", "outcome");

    private static final Map<String, String> CODES = Map.ofEntries(
            Map.entry("female", "femme"),
            Map.entry("male", "homme"),
            Map.entry("other", "autre"),
            Map.entry("unknown", "non précisé"),
            Map.entry("phone", "téléphone"),
            Map.entry("email", "courriel"),
            Map.entry("in-person", "en personne"),
            Map.entry("through-referrer", "par le professionnel qui oriente"),
            Map.entry("contact-by-association", "prise de contact par l'association"),
            Map.entry("share-with-siao", "partage avec le SIAO"),
            Map.entry("shelter", "hébergement"),
            Map.entry("health", "santé"),
            Map.entry("legal-aid", "aide juridique"),
            Map.entry("psychological-support", "soutien psychologique"),
            Map.entry("exit-pathway", "parcours de sortie de la prostitution"),
            Map.entry("interpreting", "interprétariat"),
            Map.entry("administrative-support", "accompagnement administratif"),
            Map.entry("safety-planning", "mise en sécurité"),
            Map.entry("massage-parlour", "salon de massage"),
            Map.entry("street", "rue"),
            Map.entry("online", "en ligne"),
            Map.entry("apartment", "appartement"),
            Map.entry("hotel", "hôtel"),
            Map.entry("women-only", "accueil réservé aux femmes"),
            Map.entry("away-from-department", "hors du département"),
            Map.entry("wheelchair-access", "accès en fauteuil roulant"),
            Map.entry("near-medical-care", "à proximité de soins"),
            Map.entry("animals", "avec animaux"),
            Map.entry("french", "nationalité française"),
            Map.entry("eu-citizen", "ressortissante de l'Union européenne"),
            Map.entry("regular-stay", "séjour régulier"),
            Map.entry("irregular-stay", "séjour irrégulier"),
            Map.entry("asylum-seeker", "demande d'asile"),
            Map.entry("reflection-period", "délai de réflexion"),
            Map.entry("pending", "en cours d'examen"),
            Map.entry("emergency-shelter", "hébergement d'urgence"),
            Map.entry("specialised-shelter", "hébergement spécialisé"),
            Map.entry("insertion-housing", "logement d'insertion"),
            Map.entry("complaint", "plainte"),
            Map.entry("testimony", "témoignage"),
            Map.entry("admission-to-stay-and-work", "admission au séjour et au travail"),
            Map.entry("reception-housing-protection", "accueil, hébergement et protection"),
            Map.entry("rights-cpp-53-1-legal-aid", "droits des victimes (art. 53-1 CPP) et aide juridictionnelle"),
            Map.entry("confiscated-documents", "papiers confisqués"),
            Map.entry("debt-bondage", "servitude pour dette"),
            Map.entry("lodging-on-premises", "logement sur le lieu d'exploitation"),
            Map.entry("restricted-movement", "liberté d'aller et venir restreinte"),
            Map.entry("minors-present", "présence de mineurs"),
            Map.entry("signs-of-violence", "traces de violences"),
            Map.entry("advertised-online", "annonces en ligne"),
            Map.entry("excessive-hours", "horaires excessifs"),
            Map.entry("association-staff", "personnel de l'association"),
            Map.entry("victim", "victime"),
            Map.entry("third-party", "tiers"),
            Map.entry("oqtf", "OQTF"),
            Map.entry("irtf", "IRTF"),
            Map.entry("expulsion", "expulsion"),
            Map.entry("transfer", "transfert"),
            Map.entry("notify", "notifier"),
            Map.entry("enforce", "exécuter"),
            Map.entry("coordinated-inspection", "contrôle coordonné"),
            Map.entry("administrative-closure", "fermeture administrative"),
            Map.entry("follow-up", "suivi"),
            Map.entry("police", "police"),
            Map.entry("gendarmerie", "gendarmerie"),
            Map.entry("labour-inspection", "inspection du travail"),
            Map.entry("urssaf", "URSSAF"),
            Map.entry("tax", "finances publiques"),
            Map.entry("customs", "douanes"),
            Map.entry("caf", "CAF"),
            Map.entry("cpam", "CPAM"),
            Map.entry("france-travail", "France Travail"),
            Map.entry("association", "association"),
            Map.entry("routing", "acheminement"),
            Map.entry("delay", "délai"),
            Map.entry("refusal", "refus"),
            Map.entry("missing-information", "information manquante"),
            Map.entry("legal", "question juridique"),
            Map.entry("coordination", "coordination"),
            Map.entry("technical", "problème technique"),
            Map.entry("received", "reçue"),
            Map.entry("accepted", "acceptée"),
            Map.entry("declined", "déclinée"),
            Map.entry("completed", "terminée"),
            Map.entry("no-capacity", "plus de place"),
            Map.entry("out-of-scope", "hors de nos missions"),
            Map.entry("not-competent-territory", "territoire non compétent"),
            Map.entry("person-unreachable", "personne injoignable"),
            Map.entry("person-declined", "la personne a refusé"),
            Map.entry("duplicate", "doublon"),
            Map.entry("incomplete", "incomplète"),
            Map.entry("renewed-contact-with-perpetrators", "reprise de contact avec les auteurs"),
            Map.entry("public-order-threat", "menace grave pour l'ordre public"),
            Map.entry("issued", "titre délivré"),
            Map.entry("renewed", "titre renouvelé"),
            Map.entry("refused", "titre refusé"),
            Map.entry("temporary-l425-1", "carte de séjour temporaire « vie privée et familiale » (CESEDA L.425-1)"),
            Map.entry("resident-l425-3", "carte de résident (CESEDA L.425-3)"),
            Map.entry("aps-l425-4", "autorisation provisoire de séjour du parcours de sortie (CESEDA L.425-4)"));

    private FrenchLabels() {
    }

    /** "Orientation d'une victime" for {@code victim.orientation}. */
    static String type(ReferralType type) {
        return type.frenchTitle();
    }

    /** The state of a copy, in French. */
    static String deliveryState(String state) {
        return switch (state) {
            case "pending" -> "en attente de remise";
            case "delivered" -> "remis, sans accusé de réception";
            case "received" -> "reçu (accusé de réception)";
            case "accepted" -> "pris en charge";
            case "declined" -> "décliné";
            case "completed" -> "terminé";
            case "failed" -> "échec de remise";
            case "expired" -> "expiré";
            case "cancelled" -> "annulé";
            default -> state;
        };
    }

    /** An ISO-8601 duration such as PT30M in French words: 30 min, 2 h, 1 h 30 min, 3 j. */
    static String duration(String iso) {
        try {
            Duration d = Duration.parse(iso);
            long days = d.toDays();
            long hours = d.toHoursPart();
            long minutes = d.toMinutesPart();
            long seconds = d.toSecondsPart();
            List<String> parts = new ArrayList<>();
            if (days > 0) {
                parts.add(days + " j");
            }
            if (hours > 0) {
                parts.add(hours + " h");
            }
            if (minutes > 0) {
                parts.add(minutes + " min");
            }
            if (seconds > 0 || parts.isEmpty()) {
                parts.add(seconds + " s");
            }
            return String.join(" ", parts);
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    /** The urgency in a word, for the subject: ordinaire, urgent, immédiat. */
    static String urgencyWord(Urgency urgency) {
        return switch (urgency) {
            case ROUTINE -> "ordinaire";
            case URGENT -> "urgent";
            case IMMEDIATE -> "immédiat";
        };
    }

    /** The urgency with what it means, for the body of the message. */
    static String urgencyMeaning(Urgency urgency) {
        return switch (urgency) {
            case ROUTINE -> "ordinaire";
            case URGENT -> "urgente : à traiter rapidement";
            case IMMEDIATE -> "IMMÉDIATE : la personne risque de dormir dehors ce soir";
        };
    }

    /** The label of a field, or empty when the field has none (it then shows under its own name). */
    static Optional<String> field(String name) {
        return Optional.ofNullable(FIELDS.get(name));
    }

    /** A coded value in French when {@code field} holds codes and the code is known, else the value as it is. */
    static String value(String field, String value) {
        return CODED.contains(field) ? CODES.getOrDefault(value, value) : value;
    }
}
