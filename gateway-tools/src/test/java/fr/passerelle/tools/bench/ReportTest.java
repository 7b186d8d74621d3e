package fr.passerelle.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.server.http.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {

    @Test
    void printsEachFigureAsItsRangeOverTheRuns() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Report report = new Report(
                List.of(run(120.4, 0.25, 7.5), run(98.0, 0.31, 9.25)),
                new PrintStream(printed, true, StandardCharsets.UTF_8));

        report.print(true);

        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("2 runs: each figure is the smallest and the largest of them")
                .contains("accepted (max load)                98.0–120.4 /s")
                .contains("CPU/referral: gateway process      7.5–9.3 ms (the gateway's JVM alone)")
                .contains("ratio                              0.25–0.31 (accepted / smallest")
                .contains("CPU/referral: PostgreSQL           n/a");
    }

    @Test
    void keepsTheSmallestAndLargestOfEveryNumericFigureByItsPath() {
        Report report = new Report(List.of(run(120.4, 0.25, 7.5), run(98.0, 0.31, 9.25)), System.out);

        ObjectNode ranges = report.ranges();

        assertThat(ranges.path("accepted_per_s").path("min").asDouble()).isEqualTo(98.0);
        assertThat(ranges.path("accepted_per_s").path("max").asDouble()).isEqualTo(120.4);
        assertThat(ranges.path("cpu_ms_per_referral.gateway_process")
                        .path("max")
                        .asDouble())
                .isEqualTo(9.25);
        assertThat(ranges.has("cpu_ms_per_referral.postgresql")).isFalse();
    }

    @Test
    void namesTheQuotasWhenTheGatewayRefusedTheLoadWith429() {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ObjectNode run = run(20.0, 0.1, 5);
        run.put("errors", 40);
        run.putObject("errors_by_status").put("429", 38).put("0", 2);

        new Report(List.of(run), new PrintStream(printed, true, StandardCharsets.UTF_8)).print(false);

        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("errors by answer                   0 (no answer): 2, 429: 38")
                .contains("raise limits.submissions_per_second")
                .contains("ceilings                           not measured with --load-only");
    }

    private static ObjectNode run(double accepted, double ratio, double gatewayCpu) {
        ObjectNode run = Json.MAPPER.createObjectNode();
        run.put("accepted_per_s", accepted);
        run.put("ratio", ratio);
        run.putObject("cpu_ms_per_referral").put("gateway_process", gatewayCpu);
        run.put("errors", 0);
        return run;
    }
}
