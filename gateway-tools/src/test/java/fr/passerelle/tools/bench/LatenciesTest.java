package fr.passerelle.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatenciesTest {
    private static final long MILLISECOND = 1_000_000;
    /** Equal within a tenth of a percent, the histogram's precision at three significant digits. */
    private static final Comparator<Double> WITHIN_A_TENTH_OF_A_PERCENT =
            (a, b) -> Math.abs(a - b) <= 0.001 * Math.max(Math.abs(a), Math.abs(b)) ? 0 : Double.compare(a, b);

    @Test
    void summarisesTheNearestRankPercentilesInMilliseconds() {
        Latencies latencies = new Latencies();
        for (long ms = 1000; ms >= 1; ms--) {
            latencies.add(ms * MILLISECOND);
        }

        Latencies.Summary summary = Latencies.summarise(List.of(latencies));

        assertThat(summary)
                .usingRecursiveComparison()
                .withComparatorForType(WITHIN_A_TENTH_OF_A_PERCENT, Double.class)
                .isEqualTo(new Latencies.Summary(1000, 500, 900, 990, 1000));
    }

    @Test
    void mergesWhatEachThreadRecorded() {
        Latencies fast = new Latencies();
        Latencies slow = new Latencies();
        for (int i = 0; i < 90; i++) {
            fast.add(2 * MILLISECOND);
        }
        for (int i = 0; i < 10; i++) {
            slow.add(400 * MILLISECOND);
        }

        Latencies.Summary summary = Latencies.summarise(List.of(fast, slow));

        assertThat(summary)
                .usingRecursiveComparison()
                .withComparatorForType(WITHIN_A_TENTH_OF_A_PERCENT, Double.class)
                .isEqualTo(new Latencies.Summary(100, 2, 2, 400, 400));
    }

    @Test
    void summarisesNothingAsZeros() {
        Latencies.Summary summary = Latencies.summarise(List.of(new Latencies()));

        assertThat(summary).isEqualTo(new Latencies.Summary(0, 0, 0, 0, 0));
    }
}
