package fr.passerelle.core.revocation;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Whether an OCSP answer or a CRL is current: issued before now and not past its next update. */
final class Freshness {
    /** How far the clocks of the gateway and of a responder may differ. */
    static final Duration SKEW = Duration.ofMinutes(5);

    private Freshness() {}

    /** @return what is wrong ({@code "was issued in the future (…)"}), or empty when it is current */
    static Optional<String> problem(Instant thisUpdate, Optional<Instant> nextUpdate, Instant now) {
        if (thisUpdate.isAfter(now.plus(SKEW))) {
            return Optional.of("was issued in the future (" + thisUpdate + ", now " + now + ")");
        }
        if (nextUpdate.isPresent() && nextUpdate.get().isBefore(now.minus(SKEW))) {
            return Optional.of("is out of date (next update was due " + nextUpdate.get() + ")");
        }
        return Optional.empty();
    }
}
