package fr.passerelle.tools.bench;

import org.HdrHistogram.Histogram;

/**
 * Latencies in nanoseconds, recorded by one thread into an HdrHistogram (three significant digits: a percentile
 * is within 0.1 % of the true one, whatever the run's length), merged and summarised after the run. Not
 * thread-safe.
 */
final class Latencies {
    private static final int SIGNIFICANT_DIGITS = 3;

    private final Histogram histogram = new Histogram(SIGNIFICANT_DIGITS);

    void add(long nanos) {
        histogram.recordValue(nanos);
    }

    long size() {
        return histogram.getTotalCount();
    }

    static Summary summarise(Iterable<Latencies> parts) {
        Histogram all = new Histogram(SIGNIFICANT_DIGITS);
        for (Latencies part : parts) {
            all.add(part.histogram);
        }
        return new Summary(
                all.getTotalCount(), millis(all, 50), millis(all, 90), millis(all, 99), all.getMaxValue() / 1e6);
    }

    private static double millis(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1e6;
    }

    /** Milliseconds. */
    record Summary(long count, double p50, double p90, double p99, double max) {}
}
