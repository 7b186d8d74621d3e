package fr.passerelle.core.config.model;

import fr.passerelle.core.spi.TransportProvider;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * How the gateway hands referrals to a partner: the {@code delivery:} section of its registry entry.
 *
 * @param transport the transport's id: {@value TransportProvider#INBOX} (the partner pulls its inbox, the default),
 *                  {@code https} or {@code mail}, or any id a transport provider on the class path claims
 * @param options   the section's other keys (such as {@code url} or {@code address}), as text, checked by the
 *                  transport's provider; no secrets and no personal data (functional addresses and URLs)
 * @param maxAttempts {@code max_attempts}: this partner's limit of attempts before a dead letter, instead of
 *                  gateway.yaml's {@code delivery.max_attempts}
 * @param maxAge    {@code max_age_hours}: this partner's limit of age, instead of {@code delivery.max_age_hours}
 */
public record PartnerDelivery(
        String transport, Map<String, String> options, Optional<Integer> maxAttempts, Optional<Duration> maxAge) {
    /** The keys of a {@code delivery:} section that the gateway reads itself: the rest are the transport's. */
    public static final Set<String> OWN_KEYS = Set.of("transport", "max_attempts", "max_age_hours");

    public PartnerDelivery {
        Objects.requireNonNull(transport, "transport");
        options = Map.copyOf(options);
        Objects.requireNonNull(maxAttempts, "maxAttempts");
        Objects.requireNonNull(maxAge, "maxAge");
    }

    public PartnerDelivery(String transport, Map<String, String> options) {
        this(transport, options, Optional.empty(), Optional.empty());
    }

    /** The partner pulls its inbox. */
    public static PartnerDelivery inbox() {
        return new PartnerDelivery(TransportProvider.INBOX, Map.of());
    }

    /** Whether the gateway pushes to the partner rather than waiting for it to pull. */
    public boolean pushed() {
        return !transport.equals(TransportProvider.INBOX);
    }

    @Override
    public String toString() {
        return transport
                + (options.isEmpty() ? "" : " " + new TreeMap<>(options))
                + maxAttempts.map(n -> ", max " + n + " attempts").orElse("")
                + maxAge.map(a -> ", max age " + a).orElse("");
    }
}
