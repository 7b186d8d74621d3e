package fr.passerelle.adapters.prefecture;

import fr.passerelle.adapters.xml.FrenchNames;
import fr.passerelle.adapters.xml.XmlAdapter;
import fr.passerelle.adapters.xml.XmlCodec;
import fr.passerelle.adapters.xml.XmlVocabulary;
import fr.passerelle.core.referral.ReferralType;
import java.util.Map;

/**
 * {@code prefecture-xml}: the XML a prefecture's foreigners' department exchanges, in namespace
 * {@value #NAMESPACE}, schema {@code formats/prefecture-xml/prefecture-xml.xsd}. The envelope ({@code entete})
 * carries the file reference ({@code referenceDossier}, the canonical {@code senderReference}), the service code
 * ({@code codeService}), the exchange type, the department and the urgency; the person is the {@code demandeur};
 * the content element is {@code titreSejour} (residence-permit support), {@code recepisse} (reflection period),
 * {@code ficheObjectif} (removal objective), {@code fermetureAdministrative}, {@code difficulte},
 * {@code decisionDelaiReflexion} (the récépissé handed over, or the period's early end) or
 * {@code decisionTitreSejour} (a card issued, renewed or refused), {@code parcoursSortieDemande} (an exit pathway
 * application that asks for an APS), {@code parcoursSortieDecision} (the prefect's decision that issues, renews or
 * ends one) or {@code issueProcedure} (the outcome of the proceeding against the accused, CESEDA L.425-3). The ten
 * types a prefecture sends or receives are carried both ways. Stateless and thread-safe.
 */
public final class PrefectureXmlAdapter extends XmlAdapter {
    public static final String ID = "prefecture-xml";
    public static final String NAMESPACE = "urn:passerelle:prefecture:1";
    public static final XmlVocabulary VOCABULARY = new XmlVocabulary(
            ID,
            NAMESPACE,
            "echange",
            "codeService",
            "application/vnd.passerelle.prefecture+xml",
            Map.of(
                    ReferralType.EXIT_PATHWAY_APPLICATION,
                    "parcoursSortieDemande",
                    ReferralType.EXIT_PATHWAY_DECISION,
                    "parcoursSortieDecision",
                    ReferralType.RESIDENCE_PERMIT_SUPPORT,
                    "titreSejour",
                    ReferralType.REFLECTION_PERIOD_REQUEST,
                    "recepisse",
                    ReferralType.REMOVAL_OBJECTIVE,
                    "ficheObjectif",
                    ReferralType.ADMINISTRATIVE_CLOSURE,
                    "fermetureAdministrative",
                    ReferralType.DIFFICULTY_REPORT,
                    "difficulte",
                    ReferralType.REFLECTION_PERIOD_DECISION,
                    "decisionDelaiReflexion",
                    ReferralType.RESIDENCE_PERMIT_DECISION,
                    "decisionTitreSejour",
                    ReferralType.PROCEEDING_OUTCOME,
                    "issueProcedure"),
            FrenchNames.with(
                    Map.of("type", "typeEchange", "senderReference", "referenceDossier", "subject", "demandeur")));

    private static final XmlCodec CODEC = new XmlCodec(VOCABULARY);

    public PrefectureXmlAdapter() {
        super(CODEC);
    }
}
