package fr.passerelle.adapters.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.spi.Adapters;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MailFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MailFormat format = new MailFormat();

    @Test
    void rendersAFrenchMessageWithEveryFieldAndTheThreeLinks() throws Exception {
        ObjectNode item = MailSamples.item("victim.orientation", true);

        Rendered mail = Rendered.of(format.write(item));

        assertThat(mail.text())
                .contains(
                        "Passerelle : Orientation d'une victime",
                        "Urgence : urgente : à traiter rapidement",
                        "Département : 75",
                        "Émetteur (identifiant Passerelle) : police-75-brp",
                        "Référence Passerelle : " + MailSamples.REFERRAL_ID,
                        "Transmise le : 28/11/2026 à 11h15 (UTC+01:00)",
                        "Personne concernée :\n  Prénom : Exemple\n  Nom : FICTIF\n  Pseudonyme : Exemple FICTIF\n",
                        "  Date de naissance : 01/01/2000\n",
                        "  Personne mineure : non\n",
                        "  Sexe : féminin\n",
                        "  Langues comprises : fr, en\n",
                        "  Contact :\n    Moyen de contact : téléphone\n    Téléphone : +33 6 00 00 00 00\n",
                        "Consentement :\n  Consentement donné : oui\n  Donné par : la personne elle-même\n"
                                + "  Recueilli le : 15/07/2025 à 10h30 (UTC+02:00)\n  Recueilli par : 0000000\n"
                                + "  Information de la personne :\n    Forme : oralement et par écrit\n    Langue : fr\n"
                                + "  Destinataires acceptés : association\n",
                        "Besoins : hébergement, aide juridique, parcours de sortie de la prostitution\n",
                        "Observations : Exemple fictif : texte de démonstration.\n",
                        "Accuser réception :\n  https://passerelle.example.fr:8444/v1/receipts/TOKEN-RECEIVED\n",
                        "Accepter la prise en charge :\n  https://passerelle.example.fr:8444/v1/receipts/TOKEN-ACCEPTED\n",
                        "Décliner la prise en charge (avec un motif) :\n"
                                + "  https://passerelle.example.fr:8444/v1/receipts/TOKEN-DECLINED\n",
                        "Chaque lien ne fonctionne qu'une seule fois et expire le 05/12/2026 à 11h15 (UTC+01:00).");
        assertThat(mail.text()).doesNotContain("schemaVersion", "victim.orientation");
        assertThat(mail.attachment()).isEqualTo(MailSamples.canonicalItem(item));
        assertThat(mail.attachment().has("receiptLinks")).isFalse();
    }

    @Test
    void rendersListsOfObjectsAsIndentedItems() throws Exception {
        Rendered mail = Rendered.of(format.write(MailSamples.item("shelter.request", true)));

        assertThat(mail.text())
                .contains(
                        "Composition du foyer :\n  Adultes : 1\n  Enfants :\n    - Âge : 4\n",
                        "Urgence : IMMÉDIATE : la personne risque de dormir dehors ce soir",
                        "  Contraintes : accueil réservé aux femmes\n",
                        "Situation administrative : séjour irrégulier\n");
    }

    @Test
    void namesRemovalDecisionsInCesedaTermsWithTheEntryBanAsAnAccessory() throws Exception {
        ObjectNode item = MailSamples.item("removal.objective", false);
        ((ObjectNode) item.at("/referral/decision"))
                .put("kind", "dublin-transfer")
                .put("entryBan", true);

        Rendered sample = Rendered.of(format.write(MailSamples.item("removal.objective", false)));
        Rendered mail = Rendered.of(format.write(item));

        assertThat(sample.text()).contains("Décision :\n  Nature : OQTF avec délai de départ volontaire\n");
        assertThat(mail.text())
                .contains("Décision :\n  Nature : transfert Dublin\n", "  Interdiction de retour (IRTF) : oui\n");
    }

    @Test
    void listsTheFiveRightsTheConfidentialInterviewAndTheInterpreter() throws Exception {
        ObjectNode item = MailSamples.item("residence.permit.support", false);
        ((ObjectNode) item.at("/referral/rightsInformation"))
                .putObject("interpreter")
                .put("language", "ro")
                .put("reference", "EX-INTERPRETE-0000");

        Rendered mail = Rendered.of(format.write(item));

        assertThat(oneLine(mail.text()))
                .contains("Droits présentés : admission au séjour et au travail, accueil,"
                        + " hébergement et protection, droits des victimes (art. 53-1 CPP), dont l'aide juridique, délai de"
                        + " réflexion, protection internationale (asile, protection subsidiaire)");
        assertThat(mail.text())
                .contains(
                        "  Entretien confidentiel : oui\n",
                        "  Interprète :\n    Langue : ro\n    Référence : EX-INTERPRETE-0000\n",
                        "Consentement :\n  Consentement donné : oui\n",
                        "  Destinataires acceptés : préfecture\n");
    }

    @Test
    void rendersAChildProtectionAlertWithItsReasons() throws Exception {
        ObjectNode item = MailSamples.item("child.protection.alert", false);
        ((ObjectNode) item.get("referral"))
                .putArray("reasons")
                .add("presumed-minor")
                .add("minors-present");

        Rendered mail = Rendered.of(format.write(item));

        assertThat(mail.text())
                .contains(
                        "Passerelle : Information préoccupante (protection de l'enfance)",
                        "Urgence : IMMÉDIATE",
                        "Motifs de l'information préoccupante : minorité présumée (âge incertain), mineurs présents"
                                + " (signalement d'exploitation)\n",
                        "  Âge estimé : 16\n",
                        "  Sexe : féminin\n");
    }

    @Test
    void rendersAMinimisedReferralWithOnlyItsRoutingFieldsAndNoLinks() throws Exception {
        ObjectNode item = (ObjectNode)
                JSON.readTree(
                        """
                {"referralId": "7c0e1a2b-0000-4000-8000-000000000001", "sender": "police-974-sdpj",
                 "type": "exploitation.report", "submittedAt": "2026-11-28T10:15:30Z",
                 "referral": {"schemaVersion": 1, "type": "exploitation.report", "department": "974",
                              "urgency": "routine"}}""");

        Rendered mail = Rendered.of(format.write(item));

        assertThat(mail.text())
                .contains(
                        "Signalement d'une situation d'exploitation",
                        "Urgence : ordinaire",
                        "Transmise le : 28/11/2026 à 14h15 (UTC+04:00)",
                        "(aucune autre information ne vous est transmise pour ce document)");
        assertThat(mail.text()).doesNotContain("Répondre", "Chaque lien");
        assertThat(mail.attachment()).isEqualTo(item);
    }

    @Test
    void writesASevenBitEntityWithCrlfLineEnds() {
        byte[] entity = format.write(MailSamples.item("victim.orientation", true));

        String text = new String(entity, StandardCharsets.ISO_8859_1);
        assertThat(text).startsWith("Content-Type: multipart/mixed; boundary=\"=_passerelle_referral\"\r\n\r\n");
        assertThat(text.replace("\r\n", "")).doesNotContain("\r", "\n");
        assertThat(text.chars()).allMatch(c -> c < 128);
        assertThat(text.split("\r\n")).allMatch(line -> line.length() <= 78);
    }

    @Test
    void refusesAnItemWithoutItsReferralWithoutEchoingTheItem() throws Exception {
        ObjectNode item = (ObjectNode)
                JSON.readTree(
                        """
                {"referralId": "7c0e1a2b-0000-4000-8000-000000000001", "sender": "police-75-brp",
                 "type": "victim.orientation", "subject": {"familyName": "FICTIF"}}""");

        assertThatThrownBy(() -> format.write(item)).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
            assertThat(e.getMessage())
                    .isEqualTo("the item to render as a mail has no valid 'referral' (expected:"
                            + " referralId, sender, a known type and the referral document)");
        });
    }

    @Test
    void rendersEverySampleType() throws Exception {
        try (var samples = Files.list(Path.of("../config/samples"))) {
            for (Path sample :
                    samples.filter(p -> p.toString().endsWith(".json")).toList()) {
                String type = sample.getFileName().toString().replace(".json", "");
                if (type.equals("referral.receipt")) {
                    continue;
                }
                Rendered mail = Rendered.of(format.write(MailSamples.item(type, false)));

                assertThat(mail.text()).as(type).contains("Contenu\n-------\n");
                assertThat(mail.attachment()).as(type).isEqualTo(MailSamples.item(type, false));
            }
        }
    }

    @Test
    void tellsWhenTheReflectionPeriodRunsAndThatNoRemovalMayBeTakenMeanwhile() throws Exception {
        Rendered mail = Rendered.of(format.write(MailSamples.item("reflection.period.decision", true)));

        assertThat(mail.text())
                .contains(
                        "Passerelle : Décision sur le délai de réflexion",
                        "Ce que cela signifie\n--------------------\n\n",
                        "Demande concernée (référence Passerelle) : 00000000-0000-4000-8000-000000000000\n",
                        "Récépissé du délai de réflexion :\n  Numéro : EX-RECEPISSE-0000\n  Remis le : 20/07/2025\n"
                                + "  Prend fin le : 19/08/2025\n");
        assertThat(oneLine(mail.text()))
                .contains("Le récépissé a été remis le 20/07/2025, le délai de réflexion"
                        + " court jusqu'au 19/08/2025 inclus : aucune mesure d'éloignement ne peut être prise ni exécutée"
                        + " pendant ce délai (CESEDA R.425-2), et le récépissé autorise la personne à travailler.");
        assertThat(mail.text().split("\n")).allMatch(line -> line.length() <= 100);
    }

    @Test
    void tellsThatAReflectionPeriodEndedEarlyAndWhy() throws Exception {
        ObjectNode item = MailSamples.item("reflection.period.decision", false);
        ((ObjectNode) item.get("referral"))
                .putObject("earlyEnd")
                .put("on", "2025-08-01")
                .put("reason", "public-order-threat");

        Rendered mail = Rendered.of(format.write(item));

        assertThat(oneLine(mail.text()))
                .contains("Le récépissé avait été remis le 20/07/2025. Le préfet a mis fin"
                        + " au délai de réflexion de manière anticipée le 01/08/2025 (motif : menace grave pour l'ordre"
                        + " public) : depuis cette date, le délai de réflexion ne protège plus la personne d'une mesure"
                        + " d'éloignement (CESEDA R.425-2).");
        assertThat(mail.text())
                .contains("Fin anticipée du délai :\n  Prend effet le : 01/08/2025\n"
                        + "  Motif : menace grave pour l'ordre public\n")
                .doesNotContain("court jusqu'au");
    }

    @Test
    void keepsTheReflectionPeriodSentenceTrueWhenTheRouteCutTheDates() throws Exception {
        ObjectNode item = MailSamples.item("reflection.period.decision", false);
        ((ObjectNode) item.get("referral")).remove("receipt");

        Rendered mail = Rendered.of(format.write(item));

        assertThat(oneLine(mail.text()))
                .contains("Le délai de réflexion court : aucune mesure d'éloignement ne peut"
                        + " être prise ni exécutée pendant ce délai (CESEDA R.425-2)");
    }

    @Test
    void tellsWhichCardWasIssuedAndUntilWhen() throws Exception {
        Rendered mail = Rendered.of(format.write(MailSamples.item("residence.permit.decision", true)));

        assertThat(oneLine(mail.text()))
                .contains("La préfecture a délivré le titre de séjour de la personne le"
                        + " 01/09/2025 : carte de séjour temporaire « vie privée et familiale » (CESEDA L.425-1), valable du"
                        + " 01/09/2025 au 31/08/2026 inclus. Tant qu'il est valable, la personne séjourne régulièrement en"
                        + " France et peut travailler.");
        assertThat(mail.text())
                .contains(
                        "Décision :\n  Sens de la décision : titre délivré\n" + "  Décidée le : 01/09/2025\n",
                        "Titre de séjour :\n  Nature : carte de séjour temporaire « vie privée et familiale »"
                                + " (CESEDA L.425-1)\n  Numéro : EX-TITRE-0000\n  Valable du : 01/09/2025\n"
                                + "  Valable jusqu'au : 31/08/2026\n");
    }

    @Test
    void namesEachAttachedFileInTheTextAndCarriesItsContentInTheJsonAttachment() throws Exception {
        ObjectNode item = MailSamples.item("exit.pathway.application", true);
        String content =
                item.path("referral").path("attachments").get(0).path("content").asText();

        Rendered mail = Rendered.of(format.write(item));

        assertThat(mail.text())
                .contains(
                        "Pièces jointes :\n  - Nature : document d'engagements signé\n    Type de fichier : PDF\n"
                                + "    Nom du fichier : engagements.pdf\n    Contenu : fichier dans la pièce jointe JSON",
                        "Nature : attestation sur l'honneur de l'arrêt de la prostitution")
                .doesNotContain(content);
        assertThat(mail.attachment().at("/referral/attachments/0/content").asText())
                .isEqualTo(content);
    }

    @Test
    void tellsThatARefusedCardCanBeContestedQuickly() throws Exception {
        ObjectNode item = MailSamples.item("residence.permit.decision", false);
        ObjectNode referral = (ObjectNode) item.get("referral");
        ((ObjectNode) referral.get("decision")).put("outcome", "refused");
        referral.remove("card");

        Rendered mail = Rendered.of(format.write(item));

        assertThat(oneLine(mail.text()))
                .contains(
                        "La préfecture a refusé le titre de séjour de la personne le"
                                + " 01/09/2025. Si vous accompagnez la personne, orientez-la sans attendre vers un conseil juridique",
                        "Sens de la décision : refus");
    }

    @Test
    void endsEveryMessageSayingThatAReplyByMailReachesNoOne() throws Exception {
        String referral = MailFormat.message(MailSamples.item("victim.orientation", true));
        String notice = MailFormat.noticeMessage(notice("held", "removal.objective")
                .put("reason", "protected:reflection-period")
                .put("until", "2025-08-19"));

        for (String text : List.of(referral, notice)) {
            assertThat(text)
                    .endsWith("\n\nUne réponse à ce courriel n'est pas traitée par Passerelle et ne parvient pas à"
                            + " l'émetteur.\n");
        }
    }

    @Test
    void explainsAHeldRemovalObjectiveWithItsReasonInFrench() {
        String text = MailFormat.noticeMessage(notice("held", "removal.objective")
                .put("reason", "protected:reflection-period")
                .put("until", "2025-08-19"));

        assertThat(text).startsWith("Passerelle : Fiche objectif retenue : la personne semble protégée\n\n");
        assertThat(oneLine(text))
                .contains(
                        "Rien n'a été remis aux services de police ou de gendarmerie, et rien ne"
                                + " le sera tant qu'un administrateur de Passerelle ne l'a pas libérée en justifiant sa décision.",
                        "Si la fiche ne vise pas la même personne, ou si la protection a pris fin, contactez"
                                + " l'administration de Passerelle");
        assertThat(text)
                .contains(
                        "Nature : Fiche objectif (éloignement)\n",
                        "Protection constatée : délai de réflexion en cours\n",
                        "Protégée jusqu'au : 19/08/2025\n");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "protected:reflection-period | délai de réflexion en cours",
                "protected:permit            | titre de séjour demandé ou détenu",
                "protected:exit-pathway      | autorisation liée au parcours de sortie",
                "protected:minor             | personne mineure",
                "protected:asylum            | protected:asylum"
            })
    void namesEachProtectionInFrench(String reason, String french) {
        String text =
                MailFormat.noticeMessage(notice("held", "removal.objective").put("reason", reason));

        assertThat(text).contains("Protection constatée : " + french + "\n");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "period-ended-early  | le préfet a mis fin au délai de réflexion de manière anticipée",
                "not-the-same-person | la fiche objectif ne vise pas la personne protégée",
                "protection-ended    | la protection de la personne a pris fin",
                "decision-annulled   | la décision qui protégeait la personne a été annulée"
            })
    void explainsAReleaseWithItsJustificationInFrench(String justification, String french) {
        String text = MailFormat.noticeMessage(notice("released", "removal.objective")
                .put("reason", "protected:permit")
                .put("justification", justification));

        assertThat(text)
                .startsWith("Passerelle : Fiche objectif libérée par l'administration\n\n")
                .contains(
                        "Justification de la levée : " + french + "\n",
                        "maintenant remise aux services de police ou de gendarmerie");
    }

    @Test
    void remindsTheEndOfAReflectionPeriodFiveDaysAhead() {
        String text = MailFormat.noticeMessage(
                notice("reflection-period-ending", "reflection.period.decision").put("until", "2025-08-19"));

        assertThat(text)
                .startsWith("Passerelle : Délai de réflexion : fin dans 5 jours\n\n")
                .contains("Nature : Décision sur le délai de réflexion\n", "Fin du délai de réflexion : 19/08/2025\n");
        assertThat(oneLine(text)).contains("le délai de réflexion ne la protège plus d'une mesure d'éloignement");
    }

    @Test
    void remindsAnExpiringCardSixtyDaysAheadToPrepareTheRenewal() {
        String text = MailFormat.noticeMessage(
                notice("permit-expiring", "residence.permit.decision").put("until", "2026-08-31"));

        assertThat(text)
                .startsWith("Passerelle : Titre de séjour : expiration dans 60 jours\n\n")
                .contains("Titre valable jusqu'au : 31/08/2026\n", "Préparez avec elle la demande de renouvellement");
    }

    @Test
    void saysWhetherAnEscalationComesFromSilenceOrFromADeclineForLackOfPlaces() {
        String silence = MailFormat.noticeMessage(notice("escalated", "shelter.request")
                .put("cause", "unacknowledged")
                .put("deadline", "PT30M"));
        String noPlace =
                MailFormat.noticeMessage(notice("escalated", "shelter.request").put("cause", "no-capacity"));

        assertThat(silence)
                .startsWith("Passerelle : ALERTE — délai de prise en compte dépassé\n\n")
                .contains("Délai : 30 min\n");
        assertThat(oneLine(silence)).contains("Aucun destinataire n'a accusé réception du signalement ci-dessous");
        assertThat(noPlace)
                .startsWith("Passerelle : ALERTE — demande déclinée faute de place\n\n")
                .doesNotContain("Délai :")
                .doesNotContain("accusé réception");
        assertThat(oneLine(noPlace))
                .contains(
                        "l'a décliné faute de place disponible, et aucun autre ne l'a pris en charge",
                        "recherchez sans attendre une autre solution de mise à l'abri");
    }

    @Test
    void asksEveryHolderToDeleteItsCopyWhenConsentIsWithdrawn() {
        String text = MailFormat.noticeMessage(
                notice("consent-withdrawn", "victim.orientation").put("withdrawnAt", "2025-07-20T07:00:00Z"));

        assertThat(text)
                .startsWith("Passerelle : Consentement retiré : supprimez votre exemplaire\n\n")
                .contains(
                        "Nature : Orientation d'une victime\n",
                        "Référence Passerelle : " + MailSamples.REFERRAL_ID,
                        "Consentement retiré le : 20/07/2025 à 09h00 (UTC+02:00)\n");
        assertThat(oneLine(text))
                .contains(
                        "a retiré le consentement sur lequel reposait son partage",
                        "Supprimez sans attendre l'exemplaire que vous avez reçu par Passerelle",
                        "toute donnée que vous en avez tirée",
                        "(RGPD, art. 7 § 3 et art. 17)",
                        "Passerelle a déjà supprimé ses propres copies : elle ne détient plus ce signalement");
    }

    @Test
    void writesTheNewNoticesAsSevenBitMailsWithoutPersonalData() throws Exception {
        for (String kind :
                new String[] {"held", "released", "reflection-period-ending", "permit-expiring", "consent-withdrawn"}) {
            byte[] entity = format.writeNotice(notice(kind, "removal.objective")
                    .put("reason", "protected:minor")
                    .put("justification", "protection-ended")
                    .put("until", "2025-08-19"));

            String raw = new String(entity, StandardCharsets.ISO_8859_1);
            assertThat(raw.chars()).as(kind).allMatch(c -> c < 128);
            assertThat(raw.split("\r\n")).as(kind).allMatch(line -> line.length() <= 78);
            assertThat(MailFormat.noticeMessage(notice(kind, "removal.objective")))
                    .as(kind)
                    .doesNotContain(MailSamples.PERSONAL)
                    .doesNotContain("Notification\n");
        }
    }

    @Test
    void isFoundThroughTheServiceLoader() {
        Adapters adapters = Adapters.load();

        assertThat(adapters.outbound("mail")).isInstanceOf(MailFormat.class);
        assertThat(adapters.outbound("mail").mediaType()).isEqualTo("multipart/mixed");
    }

    /** A notice as the gateway hands it to the mail format: ids, codes and dates only. */
    private static ObjectNode notice(String kind, String type) {
        ObjectNode notice = JSON.createObjectNode();
        notice.put("noticeVersion", 1);
        notice.put("notice", kind);
        notice.put("referralId", MailSamples.REFERRAL_ID);
        notice.put("type", type);
        notice.put("department", "75");
        notice.put("urgency", "routine");
        notice.put("sender", "prefecture-75");
        notice.put("submittedAt", "2026-11-28T10:15:30Z");
        notice.put("issuedAt", "2026-11-28T10:15:31Z");
        return notice;
    }

    /** The text with its line breaks as spaces, to assert on sentences that wrapping may cut anywhere. */
    private static String oneLine(String text) {
        return text.replace("\n", " ");
    }

    /** The text and the attachment of a rendered mail, read back with Jakarta Mail. */
    record Rendered(String text, ObjectNode attachment) {
        static Rendered of(byte[] entity) throws Exception {
            return of(new ByteArrayInputStream(entity));
        }

        static Rendered of(InputStream entity) throws Exception {
            MimeBodyPart part = new MimeBodyPart(entity);
            MimeMultipart multipart = (MimeMultipart) part.getContent();
            assertThat(multipart.getCount()).isEqualTo(2);
            BodyPart text = multipart.getBodyPart(0);
            BodyPart json = multipart.getBodyPart(1);
            assertThat(text.getContentType()).isEqualTo("text/plain; charset=UTF-8");
            assertThat(json.getFileName()).isEqualTo("referral.json");
            assertThat(json.getContentType()).startsWith("application/json");
            try (InputStream in = json.getInputStream()) {
                return new Rendered(((String) text.getContent()).replace("\r\n", "\n"), (ObjectNode) JSON.readTree(in));
            }
        }
    }
}
