package fr.passerelle.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.server.http.Json;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The figures of every run: each run's JSON, and their range over the runs, printed as a table whose every line
 * says which figure it is. A figure a mode does not measure is absent from the JSON and printed as such.
 */
final class Report {
    private static final String LATENCY = "p50 %s  p90 %s  p99 %s  max %s ms";

    private final List<ObjectNode> runs;
    private final PrintStream out;

    Report(List<ObjectNode> runs, PrintStream out) {
        this.runs = List.copyOf(runs);
        this.out = out;
    }

    /** For every numeric figure of the runs, by its dotted path: {@code {"min": ..., "max": ...}}. */
    ObjectNode ranges() {
        ObjectNode ranges = Json.MAPPER.createObjectNode();
        for (String path : numericPaths(runs.get(0), "")) {
            List<Double> values = values(path);
            ObjectNode range = ranges.putObject(path);
            range.put(
                    "min",
                    values.stream().mapToDouble(Double::doubleValue).min().orElse(0));
            range.put(
                    "max",
                    values.stream().mapToDouble(Double::doubleValue).max().orElse(0));
        }
        return ranges;
    }

    void print(boolean ceilings) {
        out.println();
        if (runs.size() > 1) {
            out.println("  " + runs.size() + " runs: each figure is the smallest and the largest of them");
        }
        row("accepted (max load)", "%s /s", "accepted_per_s");
        row("delivered to all recipients", "%s /s", "delivered_per_s");
        latency("submission latency", "submit_latency_ms");
        latency("submission to delivery", "delivery_latency_ms");
        latency("at half load (" + range("half_load.rate_per_s", 0) + " /s)", "half_load.submit_latency_ms");
        row("CPU/referral: gateway process", "%s ms (the gateway's JVM alone)", "cpu_ms_per_referral.gateway_process");
        row("CPU/referral: PostgreSQL", "%s ms (the embedded server's processes)", "cpu_ms_per_referral.postgresql");
        row("CPU/referral: load process", "%s ms (load generator and pullers)", "cpu_ms_per_referral.load_process");
        row("CPU/referral: whole machine", "%s ms (every process, other users' too)", "cpu_ms_per_referral.machine");
        row("gateway process memory", "%s MB resident at peak", "gateway_rss_peak_mb");
        if (ceilings) {
            row("ceiling: database via the store", "%s /s (JdbcReferralStore.submit)", "ceilings.database_store_per_s");
            row(
                    "ceiling: database, physical",
                    "%s /s (plain JDBC, " + PhysicalDatabaseCeiling.CLIENTS + " clients, 1 referral + "
                            + PhysicalDatabaseCeiling.DELIVERIES + " deliveries + "
                            + PhysicalDatabaseCeiling.AUDIT_ROWS + " audit rows)",
                    "ceilings.database_physical_per_s");
            row("ceiling: crypto (all cores)", "%s /s", "ceilings.crypto_per_s");
            row("ceiling: transport (no-op, mTLS)", "%s /s", "ceilings.transport_per_s");
            row(
                    "ceilings combined",
                    "%s /s (1 / (1/database via the store + 1/crypto + 1/transport))",
                    "ceilings.combined_per_s");
            row("ratio", "%s (accepted / smallest of database via the store, crypto, transport)", "ratio");
            row("ratio to the combined ceiling", "%s (accepted / ceilings combined)", "ratio_to_combined");
        } else {
            out.printf(Locale.ROOT, "  %-34s %s%n", "ceilings", "not measured with --load-only");
        }
        row("errors", "%s", "errors");
        errorStatuses();
    }

    private void row(String label, String format, String path) {
        String value = values(path).isEmpty() ? "n/a" : range(path, decimals(path));
        out.printf(Locale.ROOT, "  %-34s %s%n", label, value.equals("n/a") ? "n/a" : String.format(format, value));
    }

    private void latency(String label, String path) {
        out.printf(
                Locale.ROOT,
                "  %-34s " + LATENCY + "%n",
                label,
                range(path + ".p50", 1),
                range(path + ".p90", 1),
                range(path + ".p99", 1),
                range(path + ".max", 1));
    }

    private void errorStatuses() {
        Map<String, Long> statuses = new java.util.TreeMap<>();
        for (ObjectNode run : runs) {
            run.path("errors_by_status")
                    .fields()
                    .forEachRemaining(
                            e -> statuses.merge(e.getKey(), e.getValue().asLong(), Long::sum));
        }
        if (statuses.isEmpty()) {
            return;
        }
        out.printf(
                Locale.ROOT,
                "  %-34s %s%n",
                "errors by answer",
                statuses.entrySet().stream()
                        .map(e -> (e.getKey().equals("0") ? "0 (no answer)" : e.getKey()) + ": " + e.getValue())
                        .collect(Collectors.joining(", ")));
        if (statuses.containsKey("429")) {
            out.println("  the gateway refused submissions with 429 rate_limited: its quotas are below the load;"
                    + " raise limits.submissions_per_second, submission_burst, requests_per_second and request_burst"
                    + " in its gateway.yaml to measure it");
        }
    }

    /** {@code 12.3} for one run, {@code 11.0–12.3} for several. */
    private String range(String path, int decimals) {
        List<Double> values = values(path);
        if (values.isEmpty()) {
            return "n/a";
        }
        String format = "%." + decimals + "f";
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        return runs.size() == 1 || min == max
                ? String.format(Locale.ROOT, format, min)
                : String.format(Locale.ROOT, format + "–" + format, min, max);
    }

    private static int decimals(String path) {
        return path.startsWith("ratio") ? 2 : path.equals("errors") ? 0 : 1;
    }

    private List<Double> values(String path) {
        List<Double> values = new ArrayList<>();
        for (ObjectNode run : runs) {
            JsonNode node = run;
            for (String part : path.split("\\.")) {
                node = node.path(part);
            }
            if (node.isNumber()) {
                values.add(node.asDouble());
            }
        }
        return values;
    }

    private static List<String> numericPaths(JsonNode node, String prefix) {
        List<String> paths = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String path = prefix + field.getKey();
            if (field.getValue().isNumber()) {
                paths.add(path);
            } else if (field.getValue().isObject() && !field.getKey().equals("errors_by_status")) {
                paths.addAll(numericPaths(field.getValue(), path + "."));
            }
        }
        return paths;
    }

    static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    /** Two decimals: a ratio rounded to one would turn 0.25 into 0.3. */
    static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }

    static void latency(ObjectNode node, Latencies.Summary summary) {
        node.put("p50", round(summary.p50()));
        node.put("p90", round(summary.p90()));
        node.put("p99", round(summary.p99()));
        node.put("max", round(summary.max()));
    }
}
