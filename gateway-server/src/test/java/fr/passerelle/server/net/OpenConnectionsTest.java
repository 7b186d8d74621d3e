package fr.passerelle.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.config.model.GatewaySettings.ConnectionCaps;
import fr.passerelle.server.metrics.GatewayMetrics;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** Every {@link EmbeddedChannel} has the same remote address: they stand for clients of one host. */
class OpenConnectionsTest {
    private final GatewayMetrics metrics = new GatewayMetrics();

    @Test
    void refusesAnAddressOverItsCapAndAdmitsItAgainOnceOneCloses() {
        OpenConnections connections = new OpenConnections(new ConnectionCaps(10, 2), metrics, Clock.systemUTC());
        EmbeddedChannel first = new EmbeddedChannel();
        EmbeddedChannel second = new EmbeddedChannel();

        boolean[] admitted = {
            connections.admit(first), connections.admit(second), connections.admit(new EmbeddedChannel())
        };
        first.close();

        assertThat(admitted).containsExactly(true, true, false);
        assertThat(connections.admit(new EmbeddedChannel())).isTrue();
        assertThat(connections.open()).isEqualTo(2);
        assertThat(metrics.scrape())
                .contains("passerelle_connections_refused_total{reason=\"per-address\"} 1.0")
                .contains("passerelle_connections_refused_total{reason=\"total\"} 0.0")
                .contains("passerelle_connections_open 2.0");
    }

    @Test
    void refusesAnyConnectionOverTheTotalCap() {
        OpenConnections connections = new OpenConnections(new ConnectionCaps(1, 1), metrics, Clock.systemUTC());

        connections.admit(new EmbeddedChannel());
        boolean second = connections.admit(new EmbeddedChannel());

        assertThat(second).isFalse();
        assertThat(connections.open()).isEqualTo(1);
        assertThat(metrics.scrape()).contains("passerelle_connections_refused_total{reason=\"total\"} 1.0");
    }
}
