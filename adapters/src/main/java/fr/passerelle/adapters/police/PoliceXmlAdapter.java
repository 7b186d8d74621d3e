package fr.passerelle.adapters.police;

import static java.util.Map.entry;

import fr.passerelle.adapters.xml.FrenchNames;
import fr.passerelle.adapters.xml.XmlAdapter;
import fr.passerelle.adapters.xml.XmlCodec;
import fr.passerelle.adapters.xml.XmlVocabulary;
import fr.passerelle.core.referral.ReferralType;
import java.util.Map;

/**
 * {@code police-xml}: the XML a police or gendarmerie procedure system (LRPPN, LRPGN) exchanges, in namespace
 * {@value #NAMESPACE}, schema {@code formats/police-xml/police-xml.xsd}. The envelope ({@code entete}) carries the
 * procedure number ({@code numeroProcedure}, the canonical {@code senderReference}), the unit code
 * ({@code codeUnite}), the message type, the department and the urgency; the content element is named after the
 * type ({@code demandeHebergement} for a shelter request). It carries, both ways, the eight types police and
 * gendarmerie send (among them the information of concern about a minor, {@code informationPreoccupante}, the
 * withdrawal of a person's consent, {@code retraitConsentement}, the proposal of an administrative closure to the
 * prefect, {@code propositionFermeture}, and the outcome of the proceeding against the accused, {@code issueProcedure}) and the five they receive (among them the
 * prefecture's decisions on a reflection period, {@code decisionDelaiReflexion}, and on a residence permit,
 * {@code decisionTitreSejour}). Stateless and thread-safe.
 */
public final class PoliceXmlAdapter extends XmlAdapter {
    public static final String ID = "police-xml";
    public static final String NAMESPACE = "urn:passerelle:police:1";
    public static final XmlVocabulary VOCABULARY = new XmlVocabulary(
            ID,
            NAMESPACE,
            "message",
            "codeUnite",
            "application/vnd.passerelle.police+xml",
            Map.ofEntries(
                    entry(ReferralType.VICTIM_ORIENTATION, "orientationVictime"),
                    entry(ReferralType.SHELTER_REQUEST, "demandeHebergement"),
                    entry(ReferralType.RESIDENCE_PERMIT_SUPPORT, "soutienTitreSejour"),
                    entry(ReferralType.REFLECTION_PERIOD_REQUEST, "demandeDelaiReflexion"),
                    entry(ReferralType.DIFFICULTY_REPORT, "remonteeDifficulte"),
                    entry(ReferralType.EXPLOITATION_REPORT, "signalementExploitation"),
                    entry(ReferralType.REMOVAL_OBJECTIVE, "ficheObjectif"),
                    entry(ReferralType.ADMINISTRATIVE_CLOSURE, "fermetureAdministrative"),
                    entry(ReferralType.CLOSURE_PROPOSAL, "propositionFermeture"),
                    entry(ReferralType.REFLECTION_PERIOD_DECISION, "decisionDelaiReflexion"),
                    entry(ReferralType.RESIDENCE_PERMIT_DECISION, "decisionTitreSejour"),
                    entry(ReferralType.PROCEEDING_OUTCOME, "issueProcedure"),
                    entry(ReferralType.CHILD_PROTECTION_ALERT, "informationPreoccupante"),
                    entry(ReferralType.CONSENT_WITHDRAWN, "retraitConsentement")),
            FrenchNames.with(Map.of("type", "typeMessage", "senderReference", "numeroProcedure")));

    private static final XmlCodec CODEC = new XmlCodec(VOCABULARY);

    public PoliceXmlAdapter() {
        super(CODEC);
    }
}
