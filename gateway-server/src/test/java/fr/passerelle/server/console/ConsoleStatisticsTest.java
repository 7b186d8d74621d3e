package fr.passerelle.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.config.model.Administrator;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.Domain;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.store.Statistics;
import fr.passerelle.server.api.admin.StatsEndpoint;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConsoleStatisticsTest {
    private static final Statistics.Timing HIDDEN_TIME = new Statistics.Timing(Optional.empty(), Optional.empty());
    private static final Administrator AUDITOR =
            new Administrator("auditrice", "Auditrice", Administrator.Role.AUDITOR, "CC".repeat(32));
    private static final LocalDate FROM = LocalDate.of(2026, 11, 1);
    private static final LocalDate TO = LocalDate.of(2026, 11, 30);
    private static final StatsEndpoint.Query QUERY =
            new StatsEndpoint.Query(FROM, TO, Optional.of(Department.of("75")), Optional.empty());
    private static final Statistics.Report REPORT = new Statistics.Report(
            FROM,
            TO,
            5,
            java.util.List.of(
                    group("75", ReferralType.SHELTER_REQUEST, 12, 7, 5, timing(90, 4000)),
                    group("75", ReferralType.VICTIM_ORIENTATION, 3, 3, 0, HIDDEN_TIME)),
            count(15),
            timing(100, 200_000),
            HIDDEN_TIME,
            hidden(),
            java.util.List.of(
                    new Statistics.Cell(Department.of("75"), "75056", count(12)),
                    new Statistics.Cell(Department.of("75"), "none", count(3))),
            java.util.List.of(new Statistics.Cell(Department.of("75"), "no-capacity", hidden())));
    private static final Administrator PREFECT_75 = new Administrator(
            "statistiques-prefecture-75",
            "Préfecture de Paris, statistiques",
            Administrator.Role.STATISTICS,
            "EE".repeat(32),
            Set.of(Domain.values()),
            Set.of(Department.of("75")));

    @Test
    void rendersTheFiguresAsTablesInFrench() {
        String html = render(StatisticsEndpoint.view(AUDITOR, QUERY, REPORT));

        assertThat(html)
                .contains("<h1>Statistiques</h1>", "<form method=\"get\" action=\"/console/statistiques\"")
                .contains("<caption id=\"issues-caption\">Signalements par département et par type, selon leur"
                        + " issue</caption>")
                .contains("<th scope=\"col\">pris en charge</th>", "<th scope=\"col\">en attente de remise</th>")
                .contains("<th scope=\"row\">75</th>", "Demande de mise à l'abri")
                .contains("médiane 1 min, 9 sur 10 en 1 h 06", "médiane 1 min, 9 sur 10 en 2 j 7 h")
                .contains("value=\"2026-11-01\"", "value=\"75\"")
                .doesNotContain("<script", "style=\"", "name=\"csrf\"");
    }

    @Test
    void showsTheMinorsTheCommunesAndTheDeclineReasons() {
        String html = render(StatisticsEndpoint.view(AUDITOR, QUERY, REPORT));

        assertThat(html)
                .contains("<th scope=\"col\">Dont mineurs</th>")
                .contains("<caption id=\"communes-caption\">", "<td>75056</td>", "<td>Sans commune indiquée</td>")
                .contains("<caption id=\"refus-caption\">", "<td>pas de place disponible</td>");
    }

    @Test
    void tellsAStatisticsReaderBesideTheFieldWhichDepartmentsAreItsOwn() {
        Map<String, String> typed = Map.of("department", "974");

        Map<String, String> errors =
                StatisticsEndpoint.errors(name -> Optional.ofNullable(typed.get(name)), PREFECT_75);

        assertThat(errors)
                .containsExactly(
                        Map.entry("department", "Saisir un de vos départements (75) ; vide pour tous les vôtres."));
    }

    @Test
    void showsAHiddenCountAsItsThresholdWithTheReason() {
        String html = render(StatisticsEndpoint.view(AUDITOR, QUERY, REPORT));

        assertThat(html)
                .contains("<td>&lt; 5</td>", "<td>masqué</td>", "Pourquoi certains chiffres sont masqués")
                .contains("pourrait désigner des personnes reconnaissables");
    }

    @Test
    void offersOnlyTheTypesOfTheAdministratorsDomains() {
        Administrator police = new Administrator(
                "police", "Police", Administrator.Role.AUDITOR, "DD".repeat(32), Set.of(Domain.values()[0]));

        StatisticsView view = StatisticsEndpoint.view(police, QUERY, REPORT);

        assertThat(view.form().types())
                .extracting(StatisticsView.Choice::code)
                .containsExactlyInAnyOrderElementsOf(
                        police.types().stream().map(ReferralType::code).toList());
    }

    @Test
    void drawsTheReferralsAsBarsWithoutAHiddenFigure() {
        StatisticsView view = StatisticsEndpoint.view(AUDITOR, QUERY, REPORT);

        assertThat(view.bars())
                .containsExactly(
                        new StatisticsView.Bar("75 — Demande de mise à l'abri", "12", 0, StatisticsView.Bar.WIDTH),
                        new StatisticsView.Bar("75 — Orientation d'une victime", "< 5", StatisticsView.Bar.STEP, 0));
        assertThat(render(view))
                .contains("<svg aria-hidden=\"true\"", "<rect x=\"0\" y=\"20\" width=\"480\" height=\"16\">")
                .doesNotContain("style=");
    }

    @Test
    void linksTheExportWithTheSameParameters() {
        StatisticsView view = StatisticsEndpoint.view(AUDITOR, QUERY, REPORT);

        assertThat(view.csv()).isEqualTo("/console/statistiques.csv?from=2026-11-01&to=2026-11-30&department=75&type=");
        assertThat(render(view))
                .contains(
                        "href=\"/console/statistiques.csv?from=2026-11-01&amp;to=2026-11-30&amp;department=75&amp;type=\"");
    }

    @Test
    void writesACsvThatFrenchExcelOpens() {
        String csv = new String(StatisticsCsv.write(REPORT), StandardCharsets.UTF_8);

        assertThat(csv)
                .startsWith(StatisticsCsv.BOM + "Département;Code du type;Type;Signalements;en attente de remise;");
        assertThat(csv.lines().toList())
                .hasSize(4)
                .element(1)
                .asString()
                .startsWith("75;shelter.request;Demande de mise à l'abri;12;")
                .endsWith(";90;4000;masqué;masqué;5");
        assertThat(csv).contains("\r\n").contains("Total;;;15;");
    }

    @Test
    void neverWritesAHiddenCount() {
        String csv = new String(StatisticsCsv.write(REPORT), StandardCharsets.UTF_8);

        String small = csv.lines().toList().get(2);
        assertThat(small)
                .startsWith("75;victim.orientation;Orientation d'une victime;< 5;")
                .doesNotContain(";3;");
    }

    @Test
    void quotesAFieldThatHoldsTheSeparatorOrAQuote() {
        assertThat(StatisticsCsv.field("a;b")).isEqualTo("\"a;b\"");
        assertThat(StatisticsCsv.field("dit \"non\"")).isEqualTo("\"dit \"\"non\"\"\"");
        assertThat(StatisticsCsv.field("deux\nlignes")).isEqualTo("\"deux\nlignes\"");
        assertThat(StatisticsCsv.field("< 5")).isEqualTo("< 5");
    }

    @Test
    void saysATimeInTheUnitThatMatters() {
        assertThat(StatisticsEndpoint.duration(Duration.ofSeconds(42))).isEqualTo("42 s");
        assertThat(StatisticsEndpoint.duration(Duration.ofMinutes(12))).isEqualTo("12 min");
        assertThat(StatisticsEndpoint.duration(Duration.ofMinutes(185))).isEqualTo("3 h 05");
        assertThat(StatisticsEndpoint.duration(Duration.ofHours(52))).isEqualTo("2 j 4 h");
    }

    @Test
    void saysBesideEachFieldWhatIsWrongWithIt() {
        Map<String, String> typed =
                Map.of("from", "1 novembre", "to", "2026-11-30", "department", "9999", "type", "victim.nothing");

        Map<String, String> errors = StatisticsEndpoint.errors(name -> Optional.ofNullable(typed.get(name)), AUDITOR);

        assertThat(errors)
                .containsOnlyKeys("from", "department", "type")
                .containsEntry("from", "Saisir un jour au format AAAA-MM-JJ, comme 2026-09-01.")
                .containsEntry("department", "Saisir un code de département, comme 75, 2A ou 976 ; vide pour tous.");
    }

    @Test
    void refusesAPeriodThatEndsBeforeItStartsAndATypeOfAnotherDomain() {
        Administrator police = new Administrator(
                "police", "Police", Administrator.Role.AUDITOR, "DD".repeat(32), Set.of(Domain.values()[0]));
        ReferralType foreign = java.util.Arrays.stream(ReferralType.values())
                .filter(t -> !police.types().contains(t))
                .findFirst()
                .orElseThrow();
        Map<String, String> typed = Map.of("from", "2026-11-30", "to", "2026-11-01", "type", foreign.code());

        Map<String, String> errors = StatisticsEndpoint.errors(name -> Optional.ofNullable(typed.get(name)), police);

        assertThat(errors).containsOnlyKeys("to", "type");
        assertThat(errors.get("to")).contains("2026-11-30");
    }

    @Test
    void showsTheFieldsAsTypedWithTheirErrorsAndNoFigures() {
        Map<String, String> typed = Map.of("department", "<b>9999</b>");
        Map<String, String> errors = StatisticsEndpoint.errors(name -> Optional.ofNullable(typed.get(name)), AUDITOR);

        String html = render(StatisticsEndpoint.refused(AUDITOR, name -> Optional.ofNullable(typed.get(name)), errors));

        assertThat(html)
                .contains("value=\"&lt;b>9999&lt;/b>\"", "aria-describedby=\"erreur-department\"")
                .contains("<p id=\"erreur-department\" class=\"fr-error-text\">Saisir un code de département")
                .contains("Les chiffres ne peuvent pas être affichés")
                .doesNotContain("issues-caption", "Télécharger ces", "<b>9999");
    }

    private static String render(StatisticsView view) {
        return new String(
                ConsolePages.page(HttpResponseStatus.OK, "statistics.jte", Map.of("view", view))
                        .body(),
                StandardCharsets.UTF_8);
    }

    /** A group of {@code referrals}, {@code accepted} of them accepted and {@code failed} failed, the rest routed. */
    private static Statistics.Group group(
            String department, ReferralType type, long referrals, long accepted, long failed, Statistics.Timing ack) {
        Map<String, Statistics.Count> outcomes = new LinkedHashMap<>();
        for (String outcome : Statistics.OUTCOMES) {
            long n =
                    switch (outcome) {
                        case "accepted" -> accepted;
                        case "failed" -> failed;
                        case "routed" -> referrals - accepted - failed;
                        default -> 0;
                    };
            outcomes.put(outcome, referrals < 5 && n > 0 ? hidden() : count(n));
        }
        return new Statistics.Group(
                Department.of(department),
                type,
                referrals < 5 ? hidden() : count(referrals),
                outcomes,
                ack,
                HIDDEN_TIME,
                referrals < 5 ? count(0) : count(5));
    }

    private static Statistics.Count count(long n) {
        return new Statistics.Count(n, false, 5);
    }

    private static Statistics.Count hidden() {
        return new Statistics.Count(0, true, 5);
    }

    private static Statistics.Timing timing(long medianSeconds, long p90Seconds) {
        return new Statistics.Timing(
                Optional.of(Duration.ofSeconds(medianSeconds)), Optional.of(Duration.ofSeconds(p90Seconds)));
    }
}
