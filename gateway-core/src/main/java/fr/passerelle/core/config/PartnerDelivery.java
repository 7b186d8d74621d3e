package fr.passerelle.core.config;

import fr.passerelle.core.spi.TransportProvider;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How the gateway hands referrals to a partner: the {@code delivery:} section of its registry entry.
 *
 * @param transport the transport's id: {@value TransportProvider#INBOX} (the partner pulls its inbox, the default),
 *                  {@code https} or {@code mail}, or any id a transport provider on the class path claims
 * @param options   the section's other keys (such as {@code url} or {@code address}), as text, checked by the
 *                  transport's provider; no secrets and no personal data (functional addresses and URLs)
 */
public record PartnerDelivery(String transport, Map<String, String> options) {
    public PartnerDelivery {
        Objects.requireNonNull(transport, "transport");
        options = Map.copyOf(options);
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
        return transport + (options.isEmpty() ? "" : " " + new TreeMap<>(options));
    }
}
