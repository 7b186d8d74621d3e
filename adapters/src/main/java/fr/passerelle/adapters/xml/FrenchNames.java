package fr.passerelle.adapters.xml;

import static java.util.Map.entry;

import java.util.HashMap;
import java.util.Map;

/**
 * The French element name of every canonical field name, shared by the XML formats of French agencies. A name
 * means the same wherever it stands ({@code unit} is {@code unite} under {@code referrer}, {@code complaint} and
 * {@code hearing}); an array field is named after one of its items ({@code languages} is the repeated element
 * {@code langue}). A format overrides the few names its partners spell otherwise.
 */
public final class FrenchNames {
    private static final Map<String, String> COMMON = Map.ofEntries(
            entry("schemaVersion", "versionModele"),
            entry("department", "departement"),
            entry("urgency", "urgence"),
            entry("subject", "personne"),
            entry("givenName", "prenom"),
            entry("familyName", "nom"),
            entry("alias", "pseudonyme"),
            entry("birthDate", "dateNaissance"),
            entry("estimatedAge", "ageEstime"),
            entry("minor", "mineur"),
            entry("sex", "sexe"),
            entry("nationality", "nationalite"),
            entry("residenceDepartment", "departementResidence"),
            entry("languages", "langue"),
            entry("contact", "contact"),
            entry("channel", "canal"),
            entry("phone", "telephone"),
            entry("email", "courriel"),
            entry("safeTimes", "creneauxSurs"),
            entry("referrer", "intervenant"),
            entry("unit", "unite"),
            entry("officerRio", "rio"),
            entry("staffReference", "referenceAgent"),
            entry("consent", "consentement"),
            entry("given", "donne"),
            entry("givenBy", "donnePar"),
            entry("recordedAt", "recueilliLe"),
            entry("recordedBy", "recueilliPar"),
            entry("informed", "information"),
            entry("how", "modalite"),
            entry("scope", "portee"),
            entry("withdrawnAt", "retireLe"),
            entry("referralId", "identifiantSignalement"),
            entry("needs", "besoin"),
            entry("situation", "situation"),
            entry("context", "contexte"),
            entry("safetyConcerns", "risquesSecurite"),
            entry("notes", "observations"),
            entry("household", "foyer"),
            entry("adults", "adultes"),
            entry("children", "enfant"),
            entry("age", "age"),
            entry("shelter", "hebergement"),
            entry("neededFrom", "aPartirDu"),
            entry("nights", "nuitees"),
            entry("safeLocationRequired", "lieuProtegeRequis"),
            entry("constraints", "contrainte"),
            entry("administrativeStatus", "situationAdministrative"),
            entry("resources", "ressources"),
            entry("hasIncome", "revenus"),
            entry("monthlyIncomeEuros", "revenuMensuelEuros"),
            entry("health", "sante"),
            entry("medicalFollowUp", "suiviMedical"),
            entry("urgentCare", "soinsUrgents"),
            entry("socialAssessment", "evaluationSociale"),
            entry("done", "realisee"),
            entry("recommendation", "preconisation"),
            entry("summary", "synthese"),
            entry("offence", "infraction"),
            entry("qualification", "qualification"),
            entry("procedureReference", "referenceProcedure"),
            entry("basis", "fondement"),
            entry("complaint", "plainte"),
            entry("receiptNumber", "numeroRecepisse"),
            entry("filedAt", "deposeeLe"),
            entry("proceeding", "procedure"),
            entry("reference", "reference"),
            entry("offences", "articleVise"),
            entry("hearing", "audition"),
            entry("byQualifiedStaff", "parEnqueteurQualifie"),
            entry("heardAt", "entenduLe"),
            entry("tiesCut", "liensRompus"),
            entry("rightsInformation", "informationDroits"),
            entry("informedAt", "informeLe"),
            entry("language", "langueUtilisee"),
            entry("interpreter", "interprete"),
            entry("items", "droit"),
            entry("confidential", "entretienConfidentiel"),
            entry("choice", "choix"),
            entry("chosenAt", "choisiLe"),
            entry("place", "lieu"),
            entry("commune", "commune"),
            entry("inseeCode", "codeInsee"),
            entry("establishmentType", "typeEtablissement"),
            entry("address", "adresse"),
            entry("indicators", "indicateur"),
            entry("observedAt", "constateLe"),
            entry("estimatedVictims", "victimesEstimees"),
            entry("minorsSuspected", "mineursSuspectes"),
            entry("informant", "informateur"),
            entry("protected", "protege"),
            entry("kind", "nature"),
            entry("contactThroughAssociation", "contactParAssociation"),
            entry("narrative", "recit"),
            entry("reasons", "motifAlerte"),
            entry("sourceReferralId", "identifiantSignalementSource"),
            entry("sourceType", "typeSignalementSource"),
            entry("decision", "decision"),
            entry("entryBan", "interdictionRetour"),
            entry("decidedAt", "priseLe"),
            entry("action", "action"),
            entry("reflectionPeriod", "delaiReflexion"),
            entry("running", "enCours"),
            entry("endsOn", "finLe"),
            entry("lastKnownPlace", "dernierLieuConnu"),
            entry("establishment", "etablissement"),
            entry("name", "raisonSociale"),
            entry("plannedFor", "prevueLe"),
            entry("legalBasis", "baseLegale"),
            entry("participants", "participant"),
            entry("codaf", "codaf"),
            entry("category", "categorie"),
            entry("relatedReferralId", "identifiantSignalementLie"),
            entry("requestReferralId", "identifiantDemande"),
            entry("receipt", "recepisseReflexion"),
            entry("number", "numero"),
            entry("handedOverOn", "remisLe"),
            entry("earlyEnd", "finAnticipee"),
            entry("on", "dateEffet"),
            entry("reason", "motif"),
            entry("outcome", "sens"),
            entry("decidedOn", "decideeLe"),
            entry("card", "titre"),
            entry("validFrom", "valableDu"),
            entry("validUntil", "valableJusquAu"));

    private FrenchNames() {}

    /**
     * The shared dictionary with {@code overrides} applied: canonical field name to French element name.
     *
     * @return an unmodifiable map; {@link XmlVocabulary} checks that no two fields share an element name
     */
    public static Map<String, String> with(Map<String, String> overrides) {
        Map<String, String> names = new HashMap<>(COMMON);
        names.putAll(overrides);
        return Map.copyOf(names);
    }
}
