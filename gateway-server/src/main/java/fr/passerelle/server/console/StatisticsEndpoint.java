package fr.passerelle.server.console;

import fr.passerelle.adapters.words.FrenchLabels;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.Administrator;
import fr.passerelle.core.referral.DeclineReason;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.store.Statistics;
import fr.passerelle.server.api.admin.StatsEndpoint;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Endpoint;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code GET /console/statistiques} and its CSV export {@code /console/statistiques.csv}: the admin API's figures
 * ({@link StatsEndpoint.Query}, the same parameters, data domains and small-group suppression), as accessible tables
 * or as a spreadsheet. A GET form: it changes nothing, so it carries no CSRF token and works without JavaScript.
 */
final class StatisticsEndpoint implements Endpoint {
    /** The page's path; the export's is this plus {@code .csv}. */
    static final String PATH = ConsolePages.PREFIX + "statistiques";

    private final Statistics statistics;
    private final Clock clock;
    private final boolean csv;

    private StatisticsEndpoint(Statistics statistics, Clock clock, boolean csv) {
        this.statistics = statistics;
        this.clock = clock;
        this.csv = csv;
    }

    static StatisticsEndpoint page(Statistics statistics, Clock clock) {
        return new StatisticsEndpoint(statistics, clock, false);
    }

    static StatisticsEndpoint csv(Statistics statistics, Clock clock) {
        return new StatisticsEndpoint(statistics, clock, true);
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        // An empty field of the form means "any", as an absent parameter does.
        Function<String, Optional<String>> param =
                name -> request.queryParam(name).map(String::strip).filter(v -> !v.isEmpty());
        Administrator admin = request.admin();
        if (!csv) {
            Map<String, String> errors = errors(param, admin);
            if (!errors.isEmpty()) {
                return ConsolePages.page(
                        HttpResponseStatus.OK, "statistics.jte", Map.of("view", refused(admin, param, errors)));
            }
        }
        StatsEndpoint.Query query = StatsEndpoint.Query.of(param, clock);
        Statistics.Report report = query.report(statistics, admin);
        if (csv) {
            LocalDate today = LocalDate.now(clock.withZone(DashboardEndpoint.PARIS));
            return new ApiResponse(
                            HttpResponseStatus.OK,
                            StatisticsCsv.MEDIA_TYPE,
                            StatisticsCsv.write(report),
                            ConsolePages.securityHeaders())
                    .withHeader(
                            "Content-Disposition",
                            "attachment; filename=\"passerelle-statistiques-" + today + ".csv\"");
        }
        return ConsolePages.page(HttpResponseStatus.OK, "statistics.jte", Map.of("view", view(admin, query, report)));
    }

    /**
     * What is wrong with each field, in French, by field name: what the admin API would refuse with a 400, said
     * beside the field instead.
     */
    static Map<String, String> errors(Function<String, Optional<String>> param, Administrator admin) {
        Map<String, String> errors = new LinkedHashMap<>();
        Optional<LocalDate> from = day(param, "from", errors);
        Optional<LocalDate> to = day(param, "to", errors);
        if (from.isPresent() && to.isPresent() && from.get().isAfter(to.get())) {
            errors.put("to", "Saisir un jour qui ne précède pas le premier jour de la période (" + from.get() + ").");
        }
        param.apply("department").ifPresent(code -> {
            try {
                if (!admin.covers(Department.of(code))) {
                    errors.put(
                            "department",
                            "Saisir un de vos départements ("
                                    + admin.departments().stream()
                                            .sorted()
                                            .map(Department::code)
                                            .collect(Collectors.joining(", "))
                                    + ") ; vide pour tous les vôtres.");
                }
            } catch (GatewayException e) {
                errors.put("department", "Saisir un code de département, comme 75, 2A ou 976 ; vide pour tous.");
            }
        });
        param.apply("type").ifPresent(code -> {
            if (admin.types().stream().noneMatch(t -> t.code().equals(code))) {
                errors.put("type", "Choisir un type de la liste : vos domaines ne couvrent pas celui-ci.");
            }
        });
        return errors;
    }

    private static Optional<LocalDate> day(
            Function<String, Optional<String>> param, String name, Map<String, String> errors) {
        Optional<String> text = param.apply(name);
        try {
            return text.map(LocalDate::parse);
        } catch (DateTimeParseException e) {
            errors.put(name, "Saisir un jour au format AAAA-MM-JJ, comme 2026-09-01.");
            return Optional.empty();
        }
    }

    /** The page of a form with errors: the fields as typed, each error beside its field, and no figures. */
    static StatisticsView refused(
            Administrator admin, Function<String, Optional<String>> param, Map<String, String> errors) {
        String type = param.apply("type").orElse("");
        StatisticsView.Form form = new StatisticsView.Form(
                param.apply("from").orElse(""),
                param.apply("to").orElse(""),
                param.apply("department").orElse(""),
                type,
                choices(admin, Optional.of(type)),
                errors);
        return new StatisticsView(
                admin.id(),
                form,
                List.of(),
                List.of(),
                new StatisticsView.Line("Total", "", "", List.of(), "", "", ""),
                0,
                PATH + ".csv",
                List.of(),
                List.of(),
                List.of());
    }

    private static List<StatisticsView.Choice> choices(Administrator admin, Optional<String> selected) {
        return admin.types().stream()
                .sorted(Comparator.comparing(FrenchLabels::type))
                .map(t -> new StatisticsView.Choice(
                        t.code(), FrenchLabels.type(t), selected.equals(Optional.of(t.code()))))
                .toList();
    }

    static StatisticsView view(Administrator admin, StatsEndpoint.Query query, Statistics.Report report) {
        String department = query.department().map(Department::code).orElse("");
        String type = query.type().map(ReferralType::code).orElse("");
        StatisticsView.Form form = new StatisticsView.Form(
                query.from().toString(),
                query.to().toString(),
                department,
                type,
                choices(admin, query.type().map(ReferralType::code)),
                Map.of());
        List<StatisticsView.Line> lines = new ArrayList<>();
        for (Statistics.Group group : report.groups()) {
            lines.add(new StatisticsView.Line(
                    group.department().code(),
                    FrenchLabels.type(group.type()),
                    count(group.referrals()),
                    group.outcomes().values().stream()
                            .map(StatisticsEndpoint::count)
                            .toList(),
                    timing(group.acknowledgment()),
                    timing(group.acceptance()),
                    count(group.minors())));
        }
        StatisticsView.Line total = new StatisticsView.Line(
                "Total",
                "",
                count(report.total()),
                List.of(),
                timing(report.acknowledgment()),
                timing(report.acceptance()),
                count(report.minors()));
        String link = PATH + ".csv?from=" + query.from() + "&to=" + query.to() + "&department="
                + URLEncoder.encode(department, StandardCharsets.UTF_8) + "&type="
                + URLEncoder.encode(type, StandardCharsets.UTF_8);
        return new StatisticsView(
                admin.id(),
                form,
                Statistics.OUTCOMES.stream().map(StatisticsEndpoint::outcome).toList(),
                lines,
                total,
                report.minGroup(),
                link,
                bars(report.groups()),
                report.communes().stream()
                        .map(c -> new StatisticsView.Cell(
                                c.department().code(),
                                c.code().equals("none") ? "Sans commune indiquée" : c.code(),
                                count(c.count())))
                        .toList(),
                report.declines().stream()
                        .map(c -> new StatisticsView.Cell(
                                c.department().code(),
                                FrenchLabels.declineReason(DeclineReason.fromCode(c.code())),
                                count(c.count())))
                        .toList());
    }

    /** The referrals of each line as bars, the longest full width; a hidden count has no bar, only « < 5 ». */
    static List<StatisticsView.Bar> bars(List<Statistics.Group> groups) {
        long longest =
                groups.stream().mapToLong(g -> g.referrals().value()).max().orElse(0);
        List<StatisticsView.Bar> bars = new ArrayList<>();
        for (Statistics.Group group : groups) {
            long value = group.referrals().value();
            int width = longest == 0 ? 0 : (int) (StatisticsView.Bar.WIDTH * value / longest);
            bars.add(new StatisticsView.Bar(
                    group.department().code() + " — " + FrenchLabels.type(group.type()),
                    count(group.referrals()),
                    bars.size() * StatisticsView.Bar.STEP,
                    width));
        }
        return bars;
    }

    /** An outcome's heading in French. */
    static String outcome(String code) {
        // A routed referral waits for its first delivery: its copies are pending.
        return FrenchLabels.deliveryState(code.equals("routed") ? "pending" : code);
    }

    /** A count, or « < 5 » when it is hidden: the threshold, never the hidden figure. */
    static String count(Statistics.Count count) {
        return count.suppressed() ? "< " + count.threshold() : Long.toString(count.value());
    }

    private static String timing(Statistics.Timing timing) {
        if (timing.suppressed()) {
            return "masqué";
        }
        return "médiane " + duration(timing.median().orElseThrow()) + ", 9 sur 10 en "
                + duration(timing.p90().orElseThrow());
    }

    /** A time in French, to the unit that matters: « 42 s », « 12 min », « 3 h 05 », « 2 j 4 h ». */
    static String duration(Duration d) {
        long seconds = d.toSeconds();
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return d.toMinutes() + " min";
        }
        if (seconds < 86_400) {
            return d.toHours() + " h " + String.format("%02d", d.toMinutesPart());
        }
        return d.toDays() + " j " + d.toHoursPart() + " h";
    }
}
