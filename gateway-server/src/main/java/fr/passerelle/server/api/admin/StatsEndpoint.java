package fr.passerelle.server.api.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.Administrator;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.store.Statistics;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Endpoint;
import fr.passerelle.server.http.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code GET /admin/v1/stats?from=2025-09-01&to=2025-09-30&department=75&type=shelter.request}: the figures of
 * {@link Statistics} over the referrals submitted on those days (UTC), by default the last 30 days to today. Counts
 * under {@code stats.min_group} show as {@code "<5"}; no personal data. An administrator limited to some data
 * domains counts the referrals of its domains only, and may not ask for a type of another; a statistics reader
 * limited to some departments (a prefect's services) counts the referrals of its departments only, and may not ask
 * for another. Beside the groups by department and type: the minors, and by department the referrals by commune
 * and the declined copies by reason.
 */
public final class StatsEndpoint implements Endpoint {
    /** The period when none is given: the last 30 days, today included. */
    public static final int DEFAULT_DAYS = 30;

    private final Statistics statistics;
    private final Clock clock;

    public StatsEndpoint(Statistics statistics, Clock clock) {
        this.statistics = Objects.requireNonNull(statistics, "statistics");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        Query query = Query.of(request::queryParam, clock);
        return ApiResponse.json(HttpResponseStatus.OK, render(query.report(statistics, request.admin())));
    }

    /**
     * What a report is asked for, from the parameters {@code from}, {@code to}, {@code department} and {@code type}:
     * the API's, and the console's form.
     */
    public record Query(LocalDate from, LocalDate to, Optional<Department> department, Optional<ReferralType> type) {
        public Query {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(department, "department");
            Objects.requireNonNull(type, "type");
        }

        /**
         * @param param a parameter's value by name, empty when absent
         * @throws GatewayException {@code request_invalid} for a day that is not {@code YYYY-MM-DD}, an unknown
         *                          department or type
         */
        public static Query of(Function<String, Optional<String>> param, Clock clock) {
            LocalDate to = param.apply("to").map(d -> date("to", d)).orElse(LocalDate.now(clock));
            LocalDate from = param.apply("from").map(d -> date("from", d)).orElse(to.minusDays(DEFAULT_DAYS - 1));
            return new Query(
                    from,
                    to,
                    param.apply("department").map(Department::of),
                    param.apply("type").map(ReferralType::fromCode));
        }

        /**
         * The figures that {@code admin} may see: of its data domains and departments only.
         *
         * @throws GatewayException {@code not_permitted} for a type of a domain it does not cover, or a department
         *                          it does not read
         */
        public Statistics.Report report(Statistics statistics, Administrator admin) {
            return statistics.report(from, to, departments(admin, department), DomainScope.types(admin, type));
        }
    }

    /**
     * The departments a report covers: the one asked for, or every department {@code admin} reads (empty: all).
     *
     * @throws GatewayException {@code not_permitted} when the department asked for is not one of a statistics
     *                          reader's (departments are public: refusing tells nothing about any referral)
     */
    public static Set<Department> departments(Administrator admin, Optional<Department> asked) {
        if (asked.isEmpty()) {
            return admin.departments();
        }
        if (!admin.covers(asked.get())) {
            throw new GatewayException(
                    ErrorCode.NOT_PERMITTED,
                    "department " + asked.get().code() + " is not one of administrator " + admin.id() + "'s ("
                            + admin.departments().stream()
                                    .sorted()
                                    .map(Department::code)
                                    .collect(Collectors.joining(", "))
                            + "): ask for one of its departments, or leave department out for all of them;"
                            + " another department's figures are for its prefect's reader, the DGCS or the MIPROF");
        }
        return Set.of(asked.get());
    }

    /** A day as {@code YYYY-MM-DD}. */
    public static LocalDate date(String name, String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "'" + name + "' is not a date (expected:" + " YYYY-MM-DD, such as 2025-09-01)");
        }
    }

    /** The report's JSON, for this endpoint and {@code gateway stats --json}. */
    public static ObjectNode render(Statistics.Report report) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("from", report.from().toString());
        body.put("to", report.to().toString());
        body.put("minGroup", report.minGroup());
        body.put("counting", "referrals, each once under its aggregate status");
        var groups = body.putArray("groups");
        for (Statistics.Group group : report.groups()) {
            ObjectNode entry = groups.addObject();
            entry.put("department", group.department().code());
            entry.put("type", group.type().code());
            count(entry, "referrals", group.referrals());
            ObjectNode outcomes = entry.putObject("outcomes");
            group.outcomes().forEach((outcome, count) -> count(outcomes, outcome, count));
            timing(entry.putObject("acknowledgment"), group.acknowledgment());
            timing(entry.putObject("acceptance"), group.acceptance());
            count(entry, "minors", group.minors());
        }
        count(body, "total", report.total());
        count(body, "minors", report.minors());
        cells(body.putArray("communes"), "commune", report.communes());
        cells(body.putArray("declineReasons"), "reason", report.declines());
        timing(body.putObject("acknowledgment"), report.acknowledgment());
        timing(body.putObject("acceptance"), report.acceptance());
        return body;
    }

    private static void cells(ArrayNode array, String name, List<Statistics.Cell> cells) {
        for (Statistics.Cell cell : cells) {
            ObjectNode entry = array.addObject();
            entry.put("department", cell.department().code());
            entry.put(name, cell.code());
            count(entry, "count", cell.count());
        }
    }

    private static void count(ObjectNode node, String name, Statistics.Count count) {
        if (count.suppressed()) {
            node.put(name, count.toString());
        } else {
            node.put(name, count.value());
        }
    }

    private static void timing(ObjectNode node, Statistics.Timing timing) {
        node.put("suppressed", timing.suppressed());
        timing.median().ifPresent(d -> node.put("medianSeconds", d.toSeconds()));
        timing.p90().ifPresent(d -> node.put("p90Seconds", d.toSeconds()));
    }
}
