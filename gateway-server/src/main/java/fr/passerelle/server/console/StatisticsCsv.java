package fr.passerelle.server.console;

import fr.passerelle.adapters.words.FrenchLabels;
import fr.passerelle.core.store.Statistics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The statistics as a spreadsheet that French Excel opens as it is: UTF-8 with a byte order mark (without it, Excel
 * reads Windows-1252 and garbles the accents), fields separated by {@code ;} (the list separator of a French
 * Windows, where {@code ,} is the decimal comma), lines ended by CRLF (RFC 4180). A hidden count reads « &lt; 5 »
 * and a hidden time « masqué », as on the page: the hidden figure is never written. Times are in seconds.
 */
final class StatisticsCsv {
    static final String MEDIA_TYPE = "text/csv; charset=utf-8";
    static final String BOM = "\uFEFF";
    private static final String HIDDEN_TIME = "masqué";

    private StatisticsCsv() {}

    static byte[] write(Statistics.Report report) {
        StringBuilder out = new StringBuilder(BOM);
        List<String> header = new ArrayList<>(List.of("Département", "Code du type", "Type", "Signalements"));
        Statistics.OUTCOMES.forEach(o -> header.add(StatisticsEndpoint.outcome(o)));
        header.addAll(List.of(
                "Accusé de réception, médiane (s)",
                "Accusé de réception, 9 sur 10 (s)",
                "Prise en charge, médiane (s)",
                "Prise en charge, 9 sur 10 (s)",
                "Dont mineurs"));
        line(out, header);
        for (Statistics.Group group : report.groups()) {
            List<String> fields = new ArrayList<>(List.of(
                    group.department().code(),
                    group.type().code(),
                    FrenchLabels.type(group.type()),
                    StatisticsEndpoint.count(group.referrals())));
            group.outcomes().values().forEach(c -> fields.add(StatisticsEndpoint.count(c)));
            times(fields, group.acknowledgment(), group.acceptance());
            fields.add(StatisticsEndpoint.count(group.minors()));
            line(out, fields);
        }
        List<String> total = new ArrayList<>(List.of("Total", "", "", StatisticsEndpoint.count(report.total())));
        Statistics.OUTCOMES.forEach(o -> total.add(""));
        times(total, report.acknowledgment(), report.acceptance());
        total.add(StatisticsEndpoint.count(report.minors()));
        line(out, total);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void times(List<String> fields, Statistics.Timing acknowledgment, Statistics.Timing acceptance) {
        for (Statistics.Timing timing : List.of(acknowledgment, acceptance)) {
            fields.add(timing.median().map(StatisticsCsv::seconds).orElse(HIDDEN_TIME));
            fields.add(timing.p90().map(StatisticsCsv::seconds).orElse(HIDDEN_TIME));
        }
    }

    private static String seconds(Duration d) {
        return Long.toString(d.toSeconds());
    }

    private static void line(StringBuilder out, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(';');
            }
            out.append(field(fields.get(i)));
        }
        out.append("\r\n");
    }

    /** A field, quoted when it holds the separator, a quote or a line break; a quote inside doubled. */
    static String field(String value) {
        if (value.indexOf(';') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
