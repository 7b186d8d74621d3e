package fr.passerelle.server.receipts;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the requests that are not worth a log line each (unknown links, dead links, requests over an address's
 * limit): someone guessing tokens sends thousands a second. {@link #flush()}, called once a minute, logs one line
 * with the counts since the last flush, and nothing when all are zero. Thread-safe.
 */
final class MissTally {
    private static final Logger log = LoggerFactory.getLogger(MissTally.class);

    private final AtomicLong unknown = new AtomicLong();
    private final AtomicLong dead = new AtomicLong();
    private final AtomicLong limited = new AtomicLong();

    void unknown() {
        unknown.incrementAndGet();
    }

    void dead() {
        dead.incrementAndGet();
    }

    void limited() {
        limited.incrementAndGet();
    }

    /** Logs the counts since the last flush, if any, and starts again from zero. */
    void flush() {
        long u = unknown.getAndSet(0);
        long d = dead.getAndSet(0);
        long l = limited.getAndSet(0);
        if (u + d + l > 0) {
            log.info(
                    "Receipt links since the last count: {} unknown, {} dead, {} refused by the per-address limit",
                    u,
                    d,
                    l);
        }
    }
}
