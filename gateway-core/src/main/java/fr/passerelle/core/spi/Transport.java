package fr.passerelle.core.spi;

/**
 * An open transport: hands one sealed delivery to its partner. Thread-safe: delivery workers call
 * {@link #deliver} from several threads at once.
 */
public interface Transport extends AutoCloseable {

    /**
     * Hands {@code delivery} to its recipient, once. Never throws for a failure of the partner or of the network:
     * that is an outcome. Blocks at most for the transport's configured timeouts.
     *
     * @return delivered, a retryable failure (the partner or the network may recover), or a permanent failure
     *         (the same request will never succeed); the detail names the cause without any personal data
     */
    DeliveryOutcome deliver(OutgoingDelivery delivery);

    /** Releases pools and sessions; deliveries already running may fail as retryable. */
    @Override
    default void close() {}
}
