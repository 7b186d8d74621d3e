package fr.passerelle.server.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.config.ConfigProblem;
import fr.passerelle.core.config.model.Approval;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.config.model.PartnerDelivery;
import fr.passerelle.core.config.model.QuotaOverrides;
import fr.passerelle.core.config.versions.ConfigEdits;
import fr.passerelle.core.config.versions.FileSet;
import fr.passerelle.core.crypto.EnvelopeFormat;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PartnersPagesTest {
    private static final PartnerId MAHORAISE = PartnerId.of("association-976-mahoraise");
    private static final PartnerEditor.Choices CHOICES = new PartnerEditor.Choices(
            List.of(new Signalements.Option("association", "Association")),
            List.of(new Signalements.Option("difficulty.report", "Signalement d'une difficulté")),
            List.of(new Signalements.Option("canonical-json", "canonical-json")),
            List.of(new Signalements.Option("canonical-json", "canonical-json")),
            List.of(new Signalements.Option("inbox", "Boîte de réception"), new Signalements.Option("https", "HTTPS")));

    @Test
    void buildsTheEntryThatTheAdminApiTakes() throws Exception {
        PartnerForm form = form("976", "", "https", "https://asso.example.fr/passerelle");

        PartnerForm.Parsed parsed = form.parse(Optional.empty(), Set.of());

        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.id()).contains(MAHORAISE);
        assertThat(parsed.entry().orElseThrow())
                .isEqualTo(Json.MAPPER.readTree("{\"name\": \"Association mahoraise\", \"departments\": [\"976\"],"
                        + " \"may_send\": [\"difficulty.report\"], \"inbound\": \"canonical-json\", \"outbound\":"
                        + " \"canonical-json\", \"enabled\": true, \"signed_submissions\": \"optional\", \"envelope\":"
                        + " \"aes-256-gcm\", \"delivery\": {\"transport\": \"https\", \"url\":"
                        + " \"https://asso.example.fr/passerelle\"}, \"approvals\": [{\"code\": \"exit-pathway\","
                        + " \"department\": \"976\", \"expires\": \"2028-06-30\"}]}"));
    }

    @Test
    void saysInFrenchBesideTheFieldWhatTheFormAloneTellsIsWrong() {
        PartnerForm form = new PartnerForm(
                "association",
                "association-976-mahoraise",
                "",
                "976, 9999",
                List.of(),
                "canonical-json",
                "canonical-json",
                "true",
                "optional",
                "aes-256-gcm",
                "https",
                "htp:/nulle part",
                "",
                "zéro",
                "",
                "AB:CD",
                "",
                "exit-pathway 976");

        Map<String, String> errors = form.parse(Optional.empty(), Set.of()).errors();

        assertThat(errors.keySet())
                .containsExactlyInAnyOrder("name", "departments", "url", "max_attempts", "sha256", "approvals");
        assertThat(errors.get("departments"))
                .isEqualTo("« 9999 » n'est pas un département : saisir des codes INSEE séparés par des virgules,"
                        + " de 01 à 95, 2A, 2B, 971 à 974 ou 976 (Mayotte) ; rien pour un partenaire national.");
        assertThat(errors.get("name"))
                .isEqualTo("Saisir le nom complet de l'unité, tel que les destinataires le liront.");
        assertThat(errors.get("url")).startsWith("Saisir l'adresse complète qui reçoit les envois, en https://");
        assertThat(errors.get("max_attempts"))
                .isEqualTo("Saisir un nombre entier de 1 à 100 tentatives, ou rien pour la valeur de gateway.yaml.");
    }

    @Test
    void refusesAnIdOfAnotherKindOrAlreadyTaken() {
        PartnerForm siao = named("siao", "association-976-mahoraise");
        PartnerForm invalid = named("association", "Association 976");

        assertThat(siao.parse(Optional.empty(), Set.of()).errors())
                .containsEntry("id", "L'identifiant commence par la nature choisie : siao-976-mahoraise.");
        assertThat(form("976", "", "inbox", "")
                        .parse(Optional.empty(), Set.of(MAHORAISE))
                        .errors())
                .containsEntry(
                        "id", "Le partenaire association-976-mahoraise existe déjà : ouvrir sa page pour le modifier.");
        PartnerForm.Parsed parsed = invalid.parse(Optional.empty(), Set.of());
        assertThat(parsed.errors().get("id")).startsWith("Identifiant non valable : la nature, un tiret");
        assertThat(parsed.entry()).isEmpty();
    }

    @Test
    void keepsWhenEditingTheKeysThatTheFormDoesNotShow() throws Exception {
        ObjectNode existing = (ObjectNode) Json.MAPPER.readTree("{\"id\": \"association-976-mahoraise\", \"name\":"
                + " \"Ancien nom\", \"limits\": {\"submissions_per_day\": 50}, \"certificate\": {\"sha256\": \"AA\","
                + " \"previous\": [{\"sha256\": \"BB\", \"until\": \"2027-01-01T00:00:00Z\"}]}}");

        ObjectNode entry = form("976", "", "inbox", "")
                .parse(Optional.of(existing), Set.of())
                .entry()
                .orElseThrow();

        assertThat(entry.has("id")).isFalse();
        assertThat(entry.path("name").asText()).isEqualTo("Association mahoraise");
        assertThat(entry.path("limits").path("submissions_per_day").asInt()).isEqualTo(50);
        assertThat(entry.path("certificate").has("sha256")).isFalse();
        assertThat(entry.path("certificate")
                        .path("previous")
                        .get(0)
                        .path("sha256")
                        .asText())
                .isEqualTo("BB");
    }

    @Test
    void placesEachProblemOfThePartnersFileBesideTheKeyWrittenOnItsLine() {
        PartnerForm.Parsed parsed =
                form("9999", "", "https", "https://asso.example.fr/p").parse(Optional.empty(), Set.of());
        FileSet files = ConfigEdits.putPartner(
                FileSet.of(Map.of()), MAHORAISE, parsed.entry().orElseThrow());
        String text = files.text("partners/association-976-mahoraise.yaml").orElseThrow();
        List<String> lines = text.lines().toList();
        Path yaml = Path.of("partners/association-976-mahoraise.yaml");

        ProblemFields placed = ProblemFields.place(
                List.of(
                        error(yaml, lines.indexOf("- \"9999\"") + 1, "department '9999' is not valid"),
                        error(yaml, lineOf(lines, "  url:"), "url is not a valid URL"),
                        error(yaml, lineOf(lines, "name:"), "'name' is empty"),
                        error(yaml, 0, "cannot seal for association-976-mahoraise"),
                        error(Path.of("partners/association-976-mahoraise.pem"), 0, "certificate expired"),
                        error(Path.of("routes.yaml"), 12, "route names partner 'x'")),
                MAHORAISE,
                text,
                Map.of(),
                "pem");

        assertThat(placed.fields())
                .containsOnlyKeys("departments", "url", "name", "pem")
                .containsEntry("departments", List.of("department '9999' is not valid (fix: fix it)"))
                .containsEntry("url", List.of("url is not a valid URL (fix: fix it)"));
        assertThat(placed.summary())
                .containsExactly(
                        "partners/association-976-mahoraise.yaml: error: cannot seal for association-976-mahoraise"
                                + " (fix: fix it)",
                        "routes.yaml:12: error: route names partner 'x' (fix: fix it)");
    }

    @Test
    void readsTheKeyOfANestedLineAndOfAListItem() {
        List<String> lines = List.of(
                "# header",
                "id: a-b",
                "certificate:",
                "  sha256: AA",
                "  previous:",
                "  - sha256: BB",
                "delivery:",
                "  transport: https",
                "departments:",
                "- \"75\"");

        assertThat(ProblemFields.key(lines, 4)).isEqualTo("certificate.sha256");
        assertThat(ProblemFields.key(lines, 6)).isEqualTo("certificate.previous");
        assertThat(ProblemFields.key(lines, 8)).isEqualTo("delivery.transport");
        assertThat(ProblemFields.key(lines, 10)).isEqualTo("departments");
        assertThat(ProblemFields.key(lines, 1)).isEmpty();
    }

    @Test
    void refusesARotationOutOfTheAdminApisRules() {
        assertThat(new Rotation("", "", "").errors()).containsOnlyKeys("new_pem");
        assertThat(new Rotation("", "AB:CD", "168").errors()).containsOnlyKeys("new_sha256");
        assertThat(new Rotation("pas un certificat", "", "").errors().get("new_pem"))
                .startsWith("Ce n'est pas un certificat PEM lisible");
        assertThat(new Rotation("", "AA:" + "BB:".repeat(30) + "CC", "2161").errors())
                .containsOnly(Map.entry(
                        "overlap_hours",
                        "Saisir un nombre entier d'heures de 0 à 2160 (90 jours) ; 168 heures font une semaine."));
        Rotation byDefault = new Rotation("", "AA:" + "BB:".repeat(30) + "CC", "");
        assertThat(byDefault.errors()).isEmpty();
        assertThat(byDefault.until(Instant.parse("2026-12-06T00:00:00Z")))
                .isEqualTo(Instant.parse("2026-12-13T00:00:00Z"));
    }

    @Test
    void rendersTheCreationFormWithEachErrorLinkedToItsField() {
        PartnerEditor editor = new PartnerEditor(
                true,
                "/console/partenaires",
                form("9999", "", "inbox", ""),
                Map.of(
                        "departments", new PartnerEditor.FieldError("« 9999 » n'est pas un département.", ""),
                        "inbound",
                                new PartnerEditor.FieldError(
                                        "La vérification de la configuration refuse cette valeur :",
                                        "no inbound adapter 'x' is available")),
                List.of("routes.yaml:3: error: <b>"),
                CHOICES,
                "jeton");

        String html = render(ConsolePages.page(
                HttpResponseStatus.UNPROCESSABLE_ENTITY,
                "partenaire-nouveau.jte",
                Map.of("administrator", "admin", "editor", editor)));

        assertThat(html)
                .contains("<title>Erreur — Ajouter un partenaire — Console d'administration — Passerelle</title>")
                .contains("aria-describedby=\"erreur-departments\"", "id=\"erreur-departments\"")
                .contains("« 9999 » n'est pas un département.")
                .contains("<span lang=\"en\">no inbound adapter 'x' is available</span>")
                .contains("routes.yaml:3: error: &lt;b&gt;")
                .contains("name=\"csrf\" value=\"jeton\"", "name=\"may_send\" value=\"difficulty.report\"")
                .doesNotContain("aria-describedby=\"erreur-name\"", "<script", "style=");
    }

    @Test
    void showsAnAuditorThePartnerWithNoFormThatChangesIt() {
        PartnerPage page = new PartnerPage(
                "auditor",
                false,
                "",
                "association-976-mahoraise",
                "Association mahoraise",
                "Version 3 de la configuration.",
                true,
                List.of(new PartnerPage.Row("Départements desservis", "976")),
                List.of(new PartnerPage.Certificate(
                        "Certificat précédent", "AA:BB", "—", "accepté jusqu'au 13 décembre 2026 à 01:00")),
                new PartnerEditor(
                        false,
                        "/console/partenaires/association-976-mahoraise",
                        form("976", "", "inbox", ""),
                        Map.of(),
                        List.of(),
                        CHOICES,
                        "jeton"),
                Map.of(),
                Map.of(),
                List.of());

        String html = render(ConsolePages.page(HttpResponseStatus.OK, "partenaire.jte", Map.of("view", page)));

        assertThat(html)
                .contains("<h1>association-976-mahoraise</h1>", "Départements desservis", "976")
                .contains("accepté jusqu'au 13 décembre 2026 à 01:00")
                .doesNotContain("<form", "jeton", "Désactiver", "Renouveler le certificat");
    }

    @Test
    void showsARunningPartnerAsTheKeysOfItsFileWhenTheConfigurationHasNoVersions() {
        Partner partner = new Partner(
                MAHORAISE,
                "Association mahoraise",
                Set.of(Department.of("976")),
                List.of(new Approval("exit-pathway", Department.of("976"), LocalDate.parse("2028-06-30"))),
                Optional.of("AA:" + "BB:".repeat(30) + "CC"),
                Set.of(ReferralType.DIFFICULTY_REPORT),
                "canonical-json",
                "canonical-json",
                false,
                Optional.empty(),
                false,
                EnvelopeFormat.AES_256_GCM,
                new PartnerDelivery("mail", Map.of("address", "accueil@asso.example")),
                List.of(new Partner.PreviousCertificate(
                        "DD:" + "EE:".repeat(30) + "FF", Instant.parse("2026-12-13T00:00:00Z"))),
                QuotaOverrides.none(),
                Set.of());

        ObjectNode entry = PartnerViews.tree(partner);

        assertThat(PartnerViews.rows(entry))
                .extracting(PartnerPage.Row::label, PartnerPage.Row::value)
                .contains(
                        tuple("Départements desservis", "976"),
                        tuple("Types qu'il peut déposer", "Signalement d'une difficulté (difficulty.report)"),
                        tuple("État", "désactivé"),
                        tuple("Réception", "Courriel chiffré (S/MIME) ; address : accueil@asso.example"),
                        tuple("Agréments préfectoraux", "exit-pathway en 976 jusqu'au 2028-06-30"));
        assertThat(PartnerViews.certificates(entry, Optional.empty(), Instant.parse("2026-12-06T00:00:00Z")))
                .extracting(PartnerPage.Certificate::role, PartnerPage.Certificate::until)
                .containsExactly(
                        tuple("Certificat épinglé", ""),
                        tuple("Certificat précédent", "accepté jusqu'au 13 décembre 2026 à 01:00"));
        assertThat(PartnerForm.of(MAHORAISE, entry).address()).isEqualTo("accueil@asso.example");
    }

    private static PartnerForm named(String kind, String id) {
        PartnerForm form = form("", "", "inbox", "");
        return new PartnerForm(
                kind,
                id,
                form.name(),
                form.departments(),
                form.maySend(),
                form.inbound(),
                form.outbound(),
                form.enabled(),
                form.signedSubmissions(),
                form.envelope(),
                form.transport(),
                form.url(),
                form.address(),
                form.maxAttempts(),
                form.maxAgeHours(),
                form.sha256(),
                form.pem(),
                "");
    }

    private static PartnerForm form(String departments, String sha256, String transport, String url) {
        return new PartnerForm(
                "association",
                "association-976-mahoraise",
                "Association mahoraise",
                departments,
                List.of("difficulty.report"),
                "canonical-json",
                "canonical-json",
                "true",
                "optional",
                "aes-256-gcm",
                transport,
                url,
                "",
                "",
                "",
                sha256,
                "",
                "exit-pathway 976 2028-06-30");
    }

    private static ConfigProblem error(Path file, int line, String message) {
        return new ConfigProblem(ConfigProblem.Severity.ERROR, file, line, message, "fix it");
    }

    private static int lineOf(List<String> lines, String start) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(start)) {
                return i + 1;
            }
        }
        throw new AssertionError("no line starts with '" + start + "' in " + lines);
    }

    private static String render(ApiResponse response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
