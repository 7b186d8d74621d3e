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
import org.junit.jupiter.api.Test;

class MailFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final MailFormat format = new MailFormat();

    @Test
    void rendersAFrenchMessageWithEveryFieldAndTheThreeLinks() throws Exception {
        ObjectNode item = MailSamples.item("victim.orientation", true);

        Rendered mail = Rendered.of(format.write(item));

        assertThat(mail.text()).contains(
                "Passerelle : Orientation d'une victime",
                "Urgence : urgente : à traiter rapidement",
                "Département : 75",
                "Émetteur (identifiant Passerelle) : police-75-brp",
                "Référence Passerelle : " + MailSamples.REFERRAL_ID,
                "Transmise le : 28/11/2026 à 11h15 (UTC+01:00)",
                "Personne concernée :\n  Prénom : Exemple\n  Nom : FICTIF\n",
                "  Date de naissance : 01/01/2000\n",
                "  Personne mineure : non\n",
                "  Genre : femme\n",
                "  Langues comprises : fr, en\n",
                "  Contact :\n    Moyen de contact : téléphone\n    Téléphone : +33 6 00 00 00 00\n",
                "Consentement :\n  Consentement donné : oui\n  Recueilli le : 15/07/2025 à 10h30 (UTC+02:00)\n",
                "Besoins : hébergement, aide juridique, parcours de sortie de la prostitution\n",
                "Observations : Exemple fictif : texte de démonstration.\n",
                "Accuser réception :\n  https://passerelle.example.fr:8444/v1/receipts/TOKEN-RECEIVED\n",
                "Accepter la prise en charge :\n  https://passerelle.example.fr:8444/v1/receipts/TOKEN-ACCEPTED\n",
                "Décliner (avec un motif) :\n  https://passerelle.example.fr:8444/v1/receipts/TOKEN-DECLINED\n",
                "Chaque lien ne fonctionne qu'une seule fois et expire le 05/12/2026 à 11h15 (UTC+01:00).");
        assertThat(mail.text()).doesNotContain("schemaVersion", "victim.orientation");
        assertThat(mail.attachment()).isEqualTo(MailSamples.canonicalItem(item));
        assertThat(mail.attachment().has("receiptLinks")).isFalse();
    }

    @Test
    void rendersListsOfObjectsAsIndentedItems() throws Exception {
        Rendered mail = Rendered.of(format.write(MailSamples.item("shelter.request", true)));

        assertThat(mail.text()).contains("Composition du foyer :\n  Adultes : 1\n  Enfants :\n    - Âge : 4\n",
                "Urgence : IMMÉDIATE : la personne risque de dormir dehors ce soir",
                "  Contraintes : accueil réservé aux femmes\n",
                "Situation administrative : séjour irrégulier\n");
    }

    @Test
    void rendersAMinimisedReferralWithOnlyItsRoutingFieldsAndNoLinks() throws Exception {
        ObjectNode item = (ObjectNode) JSON.readTree("""
                {"referralId": "7c0e1a2b-0000-4000-8000-000000000001", "sender": "police-974-sdpj",
                 "type": "exploitation.report", "submittedAt": "2026-11-28T10:15:30Z",
                 "referral": {"schemaVersion": 1, "type": "exploitation.report", "department": "974",
                              "urgency": "routine"}}""");

        Rendered mail = Rendered.of(format.write(item));

        assertThat(mail.text()).contains("Signalement d'une situation d'exploitation", "Urgence : ordinaire",
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
        ObjectNode item = (ObjectNode) JSON.readTree("""
                {"referralId": "7c0e1a2b-0000-4000-8000-000000000001", "sender": "police-75-brp",
                 "type": "victim.orientation", "subject": {"familyName": "FICTIF"}}""");

        assertThatThrownBy(() -> format.write(item)).isInstanceOfSatisfying(GatewayException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
            assertThat(e.getMessage()).isEqualTo("the item to render as a mail has no valid 'referral' (expected:"
                    + " referralId, sender, a known type and the referral document)");
        });
    }

    @Test
    void rendersEverySampleType() throws Exception {
        try (var samples = Files.list(Path.of("../config/samples"))) {
            for (Path sample : samples.filter(p -> p.toString().endsWith(".json")).toList()) {
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
    void isFoundThroughTheServiceLoader() {
        Adapters adapters = Adapters.load();

        assertThat(adapters.outbound("mail")).isInstanceOf(MailFormat.class);
        assertThat(adapters.outbound("mail").mediaType()).isEqualTo("multipart/mixed");
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
