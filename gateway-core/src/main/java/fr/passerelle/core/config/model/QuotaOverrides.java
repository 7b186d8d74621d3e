package fr.passerelle.core.config.model;

import fr.passerelle.core.config.model.GatewaySettings.Quotas;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Some of the five quotas of {@link Quotas}, as a {@code limits.by_kind.<kind>:} block of gateway.yaml or a
 * {@code limits:} block of a partner's entry writes them: each present value replaces the one beneath it, an absent
 * one leaves it. Every present value is at least 1.
 */
public record QuotaOverrides(
        Optional<Integer> submissionsPerSecond,
        Optional<Integer> submissionBurst,
        Optional<Integer> requestsPerSecond,
        Optional<Integer> requestBurst,
        Optional<Integer> submissionsPerDay) {
    private static final QuotaOverrides NONE = new QuotaOverrides(
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    public QuotaOverrides {
        for (Optional<Integer> value : List.of(
                Objects.requireNonNull(submissionsPerSecond, "submissionsPerSecond"),
                Objects.requireNonNull(submissionBurst, "submissionBurst"),
                Objects.requireNonNull(requestsPerSecond, "requestsPerSecond"),
                Objects.requireNonNull(requestBurst, "requestBurst"),
                Objects.requireNonNull(submissionsPerDay, "submissionsPerDay"))) {
            value.filter(v -> v < 1).ifPresent(v -> {
                throw new IllegalArgumentException("quota " + v + " (expected: 1 or more)");
            });
        }
    }

    /** Nothing overridden. */
    public static QuotaOverrides none() {
        return NONE;
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    /** {@code base}, with each value present here in its place. */
    public Quotas over(Quotas base) {
        return new Quotas(
                submissionsPerSecond.orElse(base.submissionsPerSecond()),
                submissionBurst.orElse(base.submissionBurst()),
                requestsPerSecond.orElse(base.requestsPerSecond()),
                requestBurst.orElse(base.requestBurst()),
                submissionsPerDay.orElse(base.submissionsPerDay()));
    }

    /** The keys as written, such as {@code {submissions_per_second=50, submission_burst=500}}. */
    @Override
    public String toString() {
        List<String> set = new ArrayList<>();
        submissionsPerSecond.ifPresent(v -> set.add("submissions_per_second=" + v));
        submissionBurst.ifPresent(v -> set.add("submission_burst=" + v));
        requestsPerSecond.ifPresent(v -> set.add("requests_per_second=" + v));
        requestBurst.ifPresent(v -> set.add("request_burst=" + v));
        submissionsPerDay.ifPresent(v -> set.add("submissions_per_day=" + v));
        return "{" + String.join(", ", set) + "}";
    }
}
