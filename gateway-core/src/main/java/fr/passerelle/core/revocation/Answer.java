package fr.passerelle.core.revocation;

import java.time.Instant;
import java.util.Optional;

/** What one source said, and until when the source itself says it holds ({@code nextUpdate}), if it says. */
record Answer(RevocationStatus status, Optional<Instant> nextUpdate) {
    static Answer unavailable(String source, String detail) {
        return new Answer(RevocationStatus.unavailable(source, detail), Optional.empty());
    }

    boolean definitive() {
        return status.result() == RevocationStatus.Result.GOOD || status.result() == RevocationStatus.Result.REVOKED;
    }
}
