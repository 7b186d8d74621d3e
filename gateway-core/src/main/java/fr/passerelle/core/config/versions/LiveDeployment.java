package fr.passerelle.core.config.versions;

import fr.passerelle.core.config.model.Deployment;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The deployment an instance runs on now, swapped whole when a new configuration version loads. A request takes
 * it once ({@link #get()}) and finishes on it, whatever swaps meanwhile. Thread-safe.
 */
public final class LiveDeployment implements Supplier<Deployment> {
    /** A deployment and the version it was loaded from (0 when it was not loaded from a version). */
    public record Loaded(int version, Deployment deployment) {
        public Loaded {
            Objects.requireNonNull(deployment, "deployment");
        }
    }

    /**
     * The last version that failed to load on this instance while it kept the one before.
     *
     * @param reason the loader's message, with file names and codes only
     */
    public record Failure(int version, String reason) {
        public Failure {
            Objects.requireNonNull(reason, "reason");
        }
    }

    private final AtomicReference<Loaded> loaded;
    private final AtomicReference<Failure> failure = new AtomicReference<>();

    public LiveDeployment(int version, Deployment deployment) {
        this.loaded = new AtomicReference<>(new Loaded(version, deployment));
    }

    @Override
    public Deployment get() {
        return loaded.get().deployment();
    }

    public Loaded loaded() {
        return loaded.get();
    }

    public int version() {
        return loaded.get().version();
    }

    /** The version that failed to load, until a later one loads. */
    public Optional<Failure> failure() {
        return Optional.ofNullable(failure.get());
    }

    void swap(int version, Deployment deployment) {
        loaded.set(new Loaded(version, deployment));
        failure.set(null);
    }

    void failed(int version, String reason) {
        failure.set(new Failure(version, reason));
    }
}
