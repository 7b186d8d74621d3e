package fr.passerelle.adapters.words;

import static java.util.Map.entry;

import fr.passerelle.core.referral.ReferralType;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The labels of the canonical model's codes, one list per meaning; a field names the list its codes come from,
 * and two fields may share one ({@code context} and {@code establishmentType} both name places).
 */
final class CodeLabels {
    private static final Map<String, String> TYPES = Arrays.stream(ReferralType.values())
            .collect(Collectors.toUnmodifiableMap(ReferralType::code, ReferralType::frenchTitle));

    static final Map<String, String> URGENCIES = Map.of(
            "routine", "ordinaire",
            "urgent", "urgent",
            "immediate", "immédiat");

    private static final Map<String, String> SEXES = Map.of(
            "female", "féminin",
            "male", "masculin",
            "unknown", "non renseigné");

    private static final Map<String, String> CHANNELS = Map.of(
            "phone", "téléphone",
            "email", "courriel",
            "in-person", "en personne",
            "through-referrer", "par le professionnel qui oriente");

    private static final Map<String, String> CONSENT_GIVERS = Map.of(
            "person", "la personne elle-même",
            "legal-representative", "son représentant légal");

    private static final Map<String, String> INFORMED_HOW = Map.of(
            "orally", "oralement",
            "in-writing", "par écrit",
            "orally-and-in-writing", "oralement et par écrit");

    /** The kinds of recipient a consent covers. */
    private static final Map<String, String> RECIPIENT_KINDS = Map.of(
            "association", "association",
            "siao", "SIAO",
            "prefecture", "préfecture",
            "crip", "cellule de recueil des informations préoccupantes (CRIP)",
            "prosecutor", "parquet",
            "police", "police",
            "gendarmerie", "gendarmerie",
            "social", "service social");

    private static final Map<String, String> NEEDS = Map.of(
            "shelter", "hébergement",
            "health", "santé",
            "legal-aid", "aide juridique",
            "psychological-support", "soutien psychologique",
            "exit-pathway", "parcours de sortie de la prostitution",
            "interpreting", "interprétariat",
            "administrative-support", "accompagnement administratif",
            "safety-planning", "mise en sécurité");

    private static final Map<String, String> PLACES = Map.of(
            "massage-parlour", "salon de massage",
            "street", "rue",
            "online", "en ligne",
            "apartment", "appartement",
            "hotel", "hôtel",
            "other", "autre");

    private static final Map<String, String> CONSTRAINTS = Map.of(
            "women-only", "accueil réservé aux femmes",
            "away-from-department", "hors du département",
            "wheelchair-access", "accès en fauteuil roulant",
            "near-medical-care", "à proximité de soins",
            "animals", "avec animaux");

    private static final Map<String, String> ADMINISTRATIVE_STATUSES = Map.of(
            "french", "nationalité française",
            "eu-citizen", "ressortissante de l'Union européenne",
            "regular-stay", "séjour régulier",
            "irregular-stay", "séjour irrégulier",
            "asylum-seeker", "demande d'asile",
            "reflection-period", "délai de réflexion",
            "victim-permit", "titre de séjour victime (L.425-1 à L.425-4)",
            "residence-procedure", "démarches de séjour en cours",
            "pending", "en cours d'examen");

    private static final Map<String, String> RECOMMENDATIONS = Map.of(
            "emergency-shelter", "hébergement d'urgence",
            "specialised-shelter", "hébergement spécialisé",
            "hotel", "hôtel",
            "insertion-housing", "hébergement d'insertion",
            "other", "autre");

    private static final Map<String, String> BASES = Map.of(
            "complaint", "plainte",
            "testimony", "témoignage");

    /** The five items of the information on rights (CESEDA R.425-1, instruction of 11 July 2025). */
    private static final Map<String, String> RIGHTS = Map.of(
            "admission-to-stay-and-work", "admission au séjour et au travail",
            "reception-housing-protection", "accueil, hébergement et protection",
            "rights-cpp-53-1-legal-aid", "droits des victimes (art. 53-1 CPP), dont l'aide juridique",
            "reflection-period", "délai de réflexion",
            "international-protection", "protection internationale (asile, protection subsidiaire)");

    /** Penal Code articles: 225-4-1 to 225-4-6 trafficking in human beings, 225-5 to 225-10 pimping. */
    private static final Map<String, String> ARTICLES = Map.ofEntries(
            entry("225-4-1", "225-4-1 (traite des êtres humains)"),
            entry("225-4-2", "225-4-2 (traite aggravée)"),
            entry("225-4-3", "225-4-3 (traite en bande organisée)"),
            entry("225-4-4", "225-4-4 (traite avec tortures ou actes de barbarie)"),
            entry("225-4-5", "225-4-5 (traite : peines du crime ou délit commis contre la victime)"),
            entry("225-4-6", "225-4-6 (traite : responsabilité des personnes morales)"),
            entry("225-5", "225-5 (proxénétisme)"),
            entry("225-6", "225-6 (faits assimilés au proxénétisme)"),
            entry("225-7", "225-7 (proxénétisme aggravé)"),
            entry("225-7-1", "225-7-1 (proxénétisme à l'égard d'un mineur de quinze ans)"),
            entry("225-8", "225-8 (proxénétisme en bande organisée)"),
            entry("225-9", "225-9 (proxénétisme avec tortures ou actes de barbarie)"),
            entry("225-10", "225-10 (établissement de prostitution)"));

    private static final Map<String, String> INDICATORS = Map.of(
            "confiscated-documents", "papiers confisqués",
            "debt-bondage", "servitude pour dette",
            "lodging-on-premises", "logement sur le lieu d'exploitation",
            "restricted-movement", "liberté d'aller et venir restreinte",
            "minors-present", "présence de mineurs",
            "signs-of-violence", "traces de violences",
            "advertised-online", "annonces en ligne",
            "excessive-hours", "horaires excessifs",
            "other", "autre");

    /** Why a child-protection alert is raised (CASF L.226-3). */
    private static final Map<String, String> ALERT_REASONS = Map.of(
            "minor-subject", "personne mineure",
            "presumed-minor", "minorité présumée (âge incertain)",
            "minors-suspected", "mineurs soupçonnés (signalement d'exploitation)",
            "minors-present", "mineurs présents (signalement d'exploitation)",
            "other", "autre");

    /**
     * Every {@code kind}: of an informant, of a removal decision in CESEDA terms (the IRTF is not one: it is the
     * accessory {@code entryBan}), of an action against an establishment, of a residence card.
     */
    private static final Map<String, String> KINDS = Map.ofEntries(
            entry("association-staff", "personnel de l'association"),
            entry("victim", "victime"),
            entry("third-party", "tiers"),
            entry("oqtf-with-delay", "OQTF avec délai de départ volontaire"),
            entry("oqtf-without-delay", "OQTF sans délai"),
            entry("itf", "ITF (interdiction judiciaire du territoire)"),
            entry("expulsion", "expulsion"),
            entry("readmission", "remise à un autre État"),
            entry("dublin-transfer", "transfert Dublin"),
            entry("coordinated-inspection", "contrôle coordonné"),
            entry("administrative-closure", "fermeture administrative"),
            entry("follow-up", "suivi"),
            entry("temporary-l425-1", "carte de séjour temporaire « vie privée et familiale » (CESEDA L.425-1)"),
            entry("resident-l425-3", "carte de résident (CESEDA L.425-3)"),
            entry("aps-l425-4", "autorisation provisoire de séjour du parcours de sortie (CESEDA L.425-4)"),
            entry("legal-person", "personne morale"),
            entry("natural-person", "personne physique"),
            entry("initial", "engagement dans le parcours"),
            entry("renewal", "renouvellement du parcours"),
            entry("commitments", "document d'engagements signé"),
            entry("sworn-statement", "attestation sur l'honneur de l'arrêt de la prostitution"),
            entry("proof-of-situation", "justificatif de situation"),
            entry("approval-order", "arrêté d'agrément de l'association"),
            entry("other", "autre pièce"));

    /** The legal bases of the closure chain, in the Labour Code's words. */
    private static final Map<String, String> LEGAL_BASES = Map.of(
            "l8272-1-public-aid", "refus ou remboursement des aides publiques (code du travail L.8272-1)",
            "l8272-2-closure", "fermeture administrative, trois mois au plus (code du travail L.8272-2)",
            "l8272-4-public-contracts", "exclusion des contrats publics, six mois au plus (code du travail L.8272-4)",
            "judicial-closure", "fermeture judiciaire (ordonnée par le tribunal)");

    /** The offences of illegal work (Labour Code L.8211-1). */
    private static final Map<String, String> ILLEGAL_WORK = Map.of(
            "undeclared-work", "travail dissimulé",
            "illegal-employment-of-foreigners", "emploi d'étranger sans titre de travail",
            "illegal-labour-lending", "prêt illicite de main-d'œuvre",
            "illegal-subcontracting", "marchandage",
            "illegal-multiple-jobs", "cumul irrégulier d'emplois",
            "fraudulent-declaration", "fraude ou fausse déclaration");

    private static final Map<String, String> AID_MEASURES = Map.of(
            "refuse-new-aid", "refuser toute nouvelle aide publique",
            "repay-aid", "demander le remboursement des aides des douze derniers mois");

    /** What to do: with a removal decision; with the APS and the AFIS of an exit pathway. */
    private static final Map<String, String> ACTIONS = Map.of(
            "notify", "notifier",
            "enforce", "exécuter",
            "issue", "délivrer",
            "renew", "renouveler",
            "end", "mettre fin",
            "open", "ouvrir",
            "continue", "poursuivre");

    private static final Map<String, String> PLANNED_ACTIONS = Map.of(
            "housing", "logement",
            "health", "santé",
            "employment", "emploi",
            "training", "formation",
            "french-language", "apprentissage du français",
            "legal", "accès au droit",
            "administrative", "démarches administratives",
            "budget", "budget",
            "other", "autre");

    private static final Map<String, String> MEDIA_TYPES = Map.of("application/pdf", "PDF");

    private static final Map<String, String> PARTICIPANTS = Map.of(
            "police", "police",
            "gendarmerie", "gendarmerie",
            "labour-inspection", "inspection du travail",
            "urssaf", "URSSAF",
            "tax", "finances publiques",
            "customs", "douanes",
            "caf", "CAF",
            "cpam", "CPAM",
            "france-travail", "France Travail",
            "association", "association");

    private static final Map<String, String> CATEGORIES = Map.of(
            "routing", "acheminement",
            "delay", "délai",
            "refusal", "refus",
            "missing-information", "information manquante",
            "legal", "question juridique",
            "coordination", "coordination",
            "technical", "problème technique",
            "other", "autre");

    /** A recipient's answer to a referral, as the referral (« la fiche ») is then: received, accepted... */
    static final Map<String, String> ANSWERS = Map.of(
            "received", "reçue",
            "accepted", "acceptée",
            "declined", "déclinée",
            "completed", "terminée");

    /** Every {@code reason}: why a recipient declines, why a prefect ended a reflection period early. */
    static final Map<String, String> REASONS = Map.of(
            "no-capacity", "pas de place disponible",
            "out-of-scope", "hors de notre champ d'intervention",
            "not-competent-territory", "territoire non compétent",
            "person-unreachable", "personne injoignable",
            "person-declined", "la personne a refusé",
            "duplicate", "doublon (fiche déjà reçue)",
            "incomplete", "fiche incomplète",
            "other", "autre motif",
            "renewed-contact-with-perpetrators", "reprise de contact avec les auteurs",
            "public-order-threat", "menace grave pour l'ordre public");

    /**
     * Every {@code outcome}: of a prefect's decision (a residence card, an exit pathway), of a commission's opinion,
     * of a criminal proceeding (CESEDA L.425-3).
     */
    private static final Map<String, String> OUTCOMES = Map.of(
            "issued", "titre délivré",
            "renewed", "renouvellement accordé",
            "refused", "refus",
            "granted", "engagement dans le parcours accordé",
            "ended", "fin du parcours",
            "favourable", "avis favorable",
            "unfavourable", "avis défavorable",
            "convicted", "condamnation",
            "acquitted", "relaxe ou acquittement",
            "dismissed", "classement sans suite ou non-lieu");

    /** The code list of each coded field; only these fields get their values translated. */
    static final Map<String, Map<String, String>> BY_FIELD = Map.ofEntries(
            entry("type", TYPES),
            entry("sourceType", TYPES),
            entry("urgency", URGENCIES),
            entry("sex", SEXES),
            entry("channel", CHANNELS),
            entry("givenBy", CONSENT_GIVERS),
            entry("how", INFORMED_HOW),
            entry("scope", RECIPIENT_KINDS),
            entry("needs", NEEDS),
            entry("context", PLACES),
            entry("establishmentType", PLACES),
            entry("constraints", CONSTRAINTS),
            entry("administrativeStatus", ADMINISTRATIVE_STATUSES),
            entry("recommendation", RECOMMENDATIONS),
            entry("basis", BASES),
            entry("items", RIGHTS),
            entry("qualification", ARTICLES),
            entry("offences", ARTICLES),
            entry("indicators", INDICATORS),
            entry("reasons", ALERT_REASONS),
            entry("kind", KINDS),
            entry("action", ACTIONS),
            entry("participants", PARTICIPANTS),
            entry("legalBasis", LEGAL_BASES),
            entry("illegalWork", ILLEGAL_WORK),
            entry("measures", AID_MEASURES),
            entry("category", CATEGORIES),
            entry("status", ANSWERS),
            entry("reason", REASONS),
            entry("outcome", OUTCOMES),
            entry("plannedActions", PLANNED_ACTIONS),
            entry("mediaType", MEDIA_TYPES));

    private CodeLabels() {}
}
