package fr.passerelle.adapters.siao;

import static fr.passerelle.adapters.siao.FieldMap.array;
import static fr.passerelle.adapters.siao.FieldMap.coded;
import static fr.passerelle.adapters.siao.FieldMap.object;
import static fr.passerelle.adapters.siao.FieldMap.typeField;
import static fr.passerelle.adapters.siao.FieldMap.value;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * The siao-json format's code lists and its two translation tables, canonical field on the left, SIAO field on
 * the right. The JSON Schemas under {@code formats/siao-json/} list the same SIAO names and codes; the tests
 * hold the two together.
 */
final class SiaoTables {
    static final CodeList URGENCY = CodeList.of(
            "urgency", "routine", "programmee", "urgent", "urgente", "immediate", "mise-a-l-abri-immediate");
    static final CodeList SEX = CodeList.of("sex", "female", "femme", "male", "homme", "unknown", "non-renseigne");
    static final CodeList CONTACT_CHANNEL = CodeList.of(
            "contact channel",
            "phone",
            "telephone",
            "email",
            "courriel",
            "in-person",
            "en-personne",
            "through-referrer",
            "via-prescripteur");
    static final CodeList CONSTRAINT = CodeList.of(
            "shelter constraint",
            "women-only",
            "public-femmes",
            "away-from-department",
            "hors-departement",
            "wheelchair-access",
            "accessibilite-pmr",
            "near-medical-care",
            "proximite-soins",
            "animals",
            "animaux");
    static final CodeList ADMINISTRATIVE_STATUS = CodeList.of(
            "administrative status",
            "french",
            "nationalite-francaise",
            "eu-citizen",
            "ressortissant-ue",
            "regular-stay",
            "titre-de-sejour",
            "irregular-stay",
            "sans-titre-de-sejour",
            "asylum-seeker",
            "demandeur-asile",
            "reflection-period",
            "delai-de-reflexion",
            "victim-permit",
            "titre-de-sejour-victime",
            "residence-procedure",
            "demarches-de-sejour-en-cours",
            "pending",
            "demarches-en-cours");
    static final CodeList CONSENT_GIVEN_BY =
            CodeList.of("consent giver", "person", "personne", "legal-representative", "representant-legal");
    static final CodeList INFORMED_HOW = CodeList.of(
            "information mode", "orally", "orale", "in-writing", "ecrite", "orally-and-in-writing", "orale-et-ecrite");
    static final CodeList CONSENT_SCOPE = CodeList.of(
            "consent scope",
            "association",
            "association",
            "siao",
            "siao",
            "prefecture",
            "prefecture",
            "crip",
            "crip",
            "prosecutor",
            "parquet",
            "police",
            "police",
            "gendarmerie",
            "gendarmerie",
            "social",
            "service-social");
    static final CodeList RECOMMENDATION = CodeList.of(
            "recommendation",
            "emergency-shelter",
            "hebergement-urgence",
            "specialised-shelter",
            "hebergement-specialise",
            "hotel",
            "hotel",
            "insertion-housing",
            "logement-insertion",
            "other",
            "autre");
    static final CodeList DIFFICULTY_CATEGORY = CodeList.of(
            "difficulty category",
            "routing",
            "acheminement",
            "delay",
            "delai",
            "refusal",
            "refus",
            "missing-information",
            "information-manquante",
            "legal",
            "juridique",
            "coordination",
            "coordination",
            "technical",
            "technique",
            "other",
            "autre");

    static final FieldMap SHELTER_REQUEST = new FieldMap(
            "shelter.request",
            "demande",
            List.of(
                    value("schemaVersion", "version"),
                    typeField(),
                    value("department", "demande.departement"),
                    coded("urgency", "demande.urgence", URGENCY),
                    value("senderReference", "demande.referenceEmetteur"),
                    object("subject", "demande.demandeur"),
                    value("subject.givenName", "demande.demandeur.prenom"),
                    value("subject.familyName", "demande.demandeur.nom"),
                    value("subject.alias", "demande.demandeur.alias"),
                    value("subject.birthDate", "demande.demandeur.dateNaissance"),
                    value("subject.estimatedAge", "demande.demandeur.ageEstime"),
                    value("subject.minor", "demande.demandeur.mineur"),
                    coded("subject.sex", "demande.demandeur.sexe", SEX),
                    value("subject.nationality", "demande.demandeur.nationalite"),
                    value("subject.languages", "demande.demandeur.langues"),
                    object("subject.contact", "demande.demandeur.contact"),
                    coded("subject.contact.channel", "demande.demandeur.contact.moyen", CONTACT_CHANNEL),
                    value("subject.contact.phone", "demande.demandeur.contact.telephone"),
                    value("subject.contact.email", "demande.demandeur.contact.courriel"),
                    value("subject.contact.safeTimes", "demande.demandeur.contact.creneauxSurs"),
                    object("consent", "demande.consentement"),
                    value("consent.given", "demande.consentement.donne"),
                    coded("consent.givenBy", "demande.consentement.donnePar", CONSENT_GIVEN_BY),
                    value("consent.recordedAt", "demande.consentement.recueilliLe"),
                    value("consent.recordedBy", "demande.consentement.recueilliPar"),
                    object("consent.informed", "demande.consentement.information"),
                    coded("consent.informed.how", "demande.consentement.information.modalite", INFORMED_HOW),
                    value("consent.informed.language", "demande.consentement.information.langue"),
                    value("consent.informed.interpreter", "demande.consentement.information.interprete"),
                    coded("consent.scope", "demande.consentement.perimetre", CONSENT_SCOPE),
                    object("household", "demande.menage"),
                    value("household.adults", "demande.menage.adultes"),
                    array("household.children", "demande.menage.enfants", value("age", "age")),
                    object("shelter", "demande.besoinHebergement"),
                    value("shelter.neededFrom", "demande.besoinHebergement.aPartirDu"),
                    value("shelter.nights", "demande.besoinHebergement.nombreNuits"),
                    value("shelter.safeLocationRequired", "demande.besoinHebergement.lieuConfidentiel"),
                    coded("shelter.constraints", "demande.contraintes", CONSTRAINT),
                    coded("administrativeStatus", "demande.situationAdministrative", ADMINISTRATIVE_STATUS),
                    object("resources", "demande.ressources"),
                    value("resources.hasIncome", "demande.ressources.disposeDeRevenus"),
                    value("resources.monthlyIncomeEuros", "demande.ressources.montantMensuelEuros"),
                    object("health", "demande.sante"),
                    value("health.medicalFollowUp", "demande.sante.suiviMedical"),
                    value("health.urgentCare", "demande.sante.soinsUrgents"),
                    object("socialAssessment", "demande.evaluationSociale"),
                    value("socialAssessment.done", "demande.evaluationSociale.realisee"),
                    coded("socialAssessment.recommendation", "demande.evaluationSociale.preconisation", RECOMMENDATION),
                    value("socialAssessment.summary", "demande.evaluationSociale.synthese"),
                    object("offence", "demande.infraction"),
                    value("offence.qualification", "demande.infraction.articlesCodePenal"),
                    value("offence.procedureReference", "demande.infraction.referenceProcedure"),
                    object("referrer", "demande.travailleurSocial"),
                    value("referrer.unit", "demande.travailleurSocial.service"),
                    value("referrer.officerRio", "demande.travailleurSocial.rio"),
                    value("referrer.staffReference", "demande.travailleurSocial.referenceAgent"),
                    value("referrer.phone", "demande.travailleurSocial.telephone"),
                    value("referrer.email", "demande.travailleurSocial.courriel")));

    static final FieldMap DIFFICULTY_REPORT = new FieldMap(
            "difficulty.report",
            "signalementDifficulte",
            List.of(
                    value("schemaVersion", "version"),
                    typeField(),
                    value("department", "signalementDifficulte.departement"),
                    coded("urgency", "signalementDifficulte.urgence", URGENCY),
                    value("senderReference", "signalementDifficulte.referenceEmetteur"),
                    coded("category", "signalementDifficulte.categorie", DIFFICULTY_CATEGORY),
                    value("summary", "signalementDifficulte.description"),
                    value("relatedReferralId", "signalementDifficulte.signalementConcerne")));

    static final List<FieldMap> ALL = List.of(SHELTER_REQUEST, DIFFICULTY_REPORT);

    private SiaoTables() {}

    /** The table of a canonical type, or empty when siao-json does not carry that type. */
    static Optional<FieldMap> forType(String type) {
        return ALL.stream().filter(map -> map.type().equals(type)).findFirst();
    }

    /** The table whose body key the siao-json document holds, or empty. */
    static Optional<FieldMap> forDocument(JsonNode document) {
        return ALL.stream().filter(map -> document.has(map.body())).findFirst();
    }
}
