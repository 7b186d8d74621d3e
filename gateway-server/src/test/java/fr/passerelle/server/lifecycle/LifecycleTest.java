package fr.passerelle.server.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.GatewayException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LifecycleTest {
    private final List<String> closed = new ArrayList<>();

    @Test
    void closesThePartsInTheReverseOfTheirStart() {
        Lifecycle lifecycle = new Lifecycle();
        lifecycle.add("database", part("database"));
        lifecycle.add("delivery", part("delivery"));
        lifecycle.add("server", part("server"));

        lifecycle.close();

        assertThat(closed).containsExactly("server", "delivery", "database");
    }

    @Test
    void returnsThePartItRegisters() {
        Lifecycle lifecycle = new Lifecycle();
        AutoCloseable database = part("database");

        AutoCloseable added = lifecycle.add("database", database);

        assertThat(added).isSameAs(database);
    }

    @Test
    void closesWhatStartedBeforeAFailedStartThenRethrowsItsFailure() {
        IllegalStateException bindFailed = new IllegalStateException("cannot listen on 127.0.0.1:8443");

        assertThatThrownBy(() -> Lifecycle.start(lifecycle -> {
                    lifecycle.add("database", part("database"));
                    lifecycle.add("delivery", part("delivery"));
                    throw bindFailed;
                }))
                .isSameAs(bindFailed)
                .satisfies(e -> assertThat(e.getSuppressed()).isEmpty());

        assertThat(closed).containsExactly("delivery", "database");
    }

    @Test
    void closesWhatStartedBeforeACheckedFailureThrownUndeclared() {
        java.net.BindException portTaken = new java.net.BindException("Address already in use");

        assertThatThrownBy(() -> Lifecycle.start(lifecycle -> {
                    lifecycle.add("database", part("database"));
                    return LifecycleTest.<RuntimeException>sneaky(portTaken);
                }))
                .isSameAs(portTaken);

        assertThat(closed).containsExactly("database");
    }

    @Test
    void keepsTheFailuresOfClosingAfterAFailedStartAsSuppressed() {
        IllegalStateException bindFailed = new IllegalStateException("cannot listen on 127.0.0.1:8443");
        IllegalStateException transportsFailed = new IllegalStateException("transport https did not close");

        assertThatThrownBy(() -> Lifecycle.start(lifecycle -> {
                    lifecycle.add("database", part("database"));
                    lifecycle.add("transports", () -> {
                        throw transportsFailed;
                    });
                    lifecycle.add("delivery", part("delivery"));
                    throw bindFailed;
                }))
                .isSameAs(bindFailed)
                .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(transportsFailed));

        assertThat(closed).containsExactly("delivery", "database");
    }

    @Test
    void returnsWhatAStartThatSucceedsBuiltAndClosesNothing() {
        String started = Lifecycle.start(lifecycle -> {
            lifecycle.add("database", part("database"));
            return "gateway";
        });

        assertThat(started).isEqualTo("gateway");
        assertThat(closed).isEmpty();
    }

    @Test
    void closesEveryPartWhenSomeFailThenThrowsTheFirstFailureWithTheOthersSuppressed() {
        Lifecycle lifecycle = new Lifecycle();
        IllegalStateException serverFailed = new IllegalStateException("event loops did not stop");
        lifecycle.add("database", part("database"));
        lifecycle.add("transports", () -> {
            throw new IOException("socket already closed");
        });
        lifecycle.add("delivery", part("delivery"));
        lifecycle.add("server", () -> {
            throw serverFailed;
        });

        assertThatThrownBy(lifecycle::close).isSameAs(serverFailed).satisfies(e -> {
            assertThat(e.getSuppressed()).hasSize(1);
            assertThat(e.getSuppressed()[0])
                    .isInstanceOf(GatewayException.class)
                    .hasMessage("closing transports failed: java.io.IOException: socket already closed")
                    .hasCauseInstanceOf(IOException.class);
        });
        assertThat(closed).containsExactly("delivery", "database");
    }

    @Test
    void closesOnceHoweverOftenItIsClosed() {
        Lifecycle lifecycle = new Lifecycle();
        lifecycle.add("database", part("database"));
        lifecycle.add("server", part("server"));

        lifecycle.close();
        lifecycle.close();

        assertThat(closed).containsExactly("server", "database");
    }

    @Test
    void refusesAPartOnceClosed() {
        Lifecycle lifecycle = new Lifecycle();
        lifecycle.close();

        assertThatThrownBy(() -> lifecycle.add("server", part("server")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("lifecycle closed: cannot add server");
        assertThat(closed).isEmpty();
    }

    @Test
    void restoresTheInterruptWhenAPartIsInterruptedWhileClosing() {
        Lifecycle lifecycle = new Lifecycle();
        lifecycle.add("workers", () -> {
            throw new InterruptedException();
        });

        assertThatThrownBy(lifecycle::close).isInstanceOf(GatewayException.class);

        assertThat(Thread.interrupted()).isTrue();
    }

    /** Throws {@code e} without declaring it, as Netty's {@code sync()} does. */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> Void sneaky(Throwable e) throws E {
        throw (E) e;
    }

    private AutoCloseable part(String name) {
        return () -> closed.add(name);
    }
}
