package fr.passerelle.server.cli;

import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.store.Database;
import fr.passerelle.core.store.Statistics;
import fr.passerelle.server.api.admin.StatsEndpoint;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gateway stats}: the figures of {@code GET /admin/v1/stats}, read from the database that gateway.yaml (or
 * {@code GATEWAY_DATABASE_URL}) names, as a table or, with {@code --json}, as the endpoint's JSON.
 */
@Command(
        name = "stats",
        mixinStandardHelpOptions = true,
        description =
                "Counts by department, type and outcome, minors, times to acknowledgment and acceptance, referrals by commune and declined copies by reason, over a period; groups under stats.min_group are hidden.")
final class StatsCommand extends ConfiguredCommand {
    @Option(names = "--from", paramLabel = "YYYY-MM-DD", description = "first day (UTC), default: 29 days before --to")
    String from;

    @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "last day (UTC), default: today")
    String to;

    @Option(names = "--department", paramLabel = "CODE", description = "only this department, e.g. 75")
    String department;

    @Option(names = "--type", paramLabel = "TYPE", description = "only this referral type, e.g. shelter.request")
    String type;

    @Option(names = "--json", description = "print the JSON of GET /admin/v1/stats")
    boolean json;

    @Override
    public Integer call() {
        LocalDate last = to == null ? LocalDate.now(ZoneOffset.UTC) : StatsEndpoint.date("to", to);
        LocalDate first =
                from == null ? last.minusDays(StatsEndpoint.DEFAULT_DAYS - 1) : StatsEndpoint.date("from", from);
        Optional<Department> dept = Optional.ofNullable(department).map(Department::of);
        Optional<ReferralType> referralType = Optional.ofNullable(type).map(ReferralType::fromCode);
        int minGroup = settings().stats().minGroup();
        Statistics.Report report;
        try (Database db = database()) {
            report = new Statistics(db.dataSource(), minGroup).report(first, last, dept, referralType);
        }
        PrintWriter out = out();
        if (json) {
            out.println(StatsEndpoint.render(report).toPrettyString());
        } else {
            print(report, out);
        }
        out.flush();
        return 0;
    }

    private static void print(Statistics.Report report, PrintWriter out) {
        out.println("Referrals submitted from " + report.from() + " to " + report.to() + " (UTC), each counted once"
                + " under its outcome; groups under " + report.minGroup() + " show as <" + report.minGroup());
        out.println(String.format(
                "%-5s %-28s %9s  %s", "dept", "type", "referrals", String.join(" ", Statistics.OUTCOMES)));
        for (Statistics.Group group : report.groups()) {
            out.println(String.format(
                    "%-5s %-28s %9s  %s",
                    group.department().code(),
                    group.type().code(),
                    group.referrals(),
                    group.outcomes().entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(" "))));
            out.println(String.format(
                    "%-5s %-28s %9s  acknowledged %s; accepted %s; minors %s",
                    "", "", "", timing(group.acknowledgment()), timing(group.acceptance()), group.minors()));
        }
        out.println("total " + report.total() + " (minors " + report.minors() + "); acknowledged "
                + timing(report.acknowledgment()) + "; accepted " + timing(report.acceptance()));
        cells(out, "Referrals by commune (INSEE code; none: the document names no commune)", report.communes());
        cells(out, "Declined copies by reason", report.declines());
    }

    private static void cells(PrintWriter out, String title, java.util.List<Statistics.Cell> cells) {
        out.println(title + ":");
        for (Statistics.Cell cell : cells) {
            out.println(String.format("%-5s %-28s %9s", cell.department().code(), cell.code(), cell.count()));
        }
    }

    private static String timing(Statistics.Timing timing) {
        return timing.suppressed()
                ? "(too few to show)"
                : "median " + hours(timing.median().orElseThrow()) + ", p90 "
                        + hours(timing.p90().orElseThrow());
    }

    private static String hours(java.time.Duration duration) {
        long minutes = duration.toMinutes();
        return minutes >= 60 ? (minutes / 60) + " h " + (minutes % 60) + " min" : minutes + " min";
    }
}
