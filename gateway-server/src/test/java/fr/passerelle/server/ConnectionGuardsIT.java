package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import fr.passerelle.core.crypto.ClientTls;
import fr.passerelle.devkit.PartnerClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The guards before authentication, over real TLS and real sockets: the cap on connections per client address, and
 * the count of failed handshakes. The gateway allows two connections per address. The raw sockets come from
 * 127.0.0.2 (loopback too), so that the monitoring partner's one kept-alive connection, which reads /metrics from
 * localhost, is counted apart.
 */
class ConnectionGuardsIT {
    static final String MONITORING = "monitoring-centre-de-veille";
    static TestGateway gw;
    static PartnerClient monitoring;

    @BeforeAll
    static void start() throws IOException {
        gw = TestGateway.withGatewayYaml(
                Map.of(), yaml -> yaml.replaceAll("(?m)^(  max_connections_per_address:) .*$", "$1 2"));
        monitoring = gw.client(MONITORING);
    }

    @AfterAll
    static void stop() throws IOException {
        gw.close();
    }

    @Test
    void closesAThirdConnectionFromOneAddressAtOnceWhileTwoStayOpen() throws Exception {
        double refusedBefore = metric("passerelle_connections_refused_total{reason=\"per-address\"}");
        try (Socket first = raw();
                Socket second = raw()) {
            // The two raw sockets and the monitoring client's own connection.
            waitForOpenConnections(3);

            String third;
            try (Socket refused = raw()) {
                third = readUntilClosed(refused, 5_000);
            }

            assertThat(third).isEqualTo("closed");
            assertThat(readUntilClosed(first, 500)).isEqualTo("still open");
            assertThat(readUntilClosed(second, 500)).isEqualTo("still open");
        }
        assertThat(awaitMetricAbove("passerelle_connections_refused_total{reason=\"per-address\"}", refusedBefore))
                .isEqualTo(refusedBefore + 1);
    }

    @Test
    void countsAHandshakeWithoutAClientCertificate() throws Exception {
        String counter = "passerelle_tls_handshake_failures_total{reason=\"no-client-certificate\"}";
        double before = metric(counter);

        try (SSLSocket socket = (SSLSocket) ClientTls.trustOnly(gw.pki.resolve("ca.pem"))
                .getSocketFactory()
                .createSocket("localhost", gw.gateway.port())) {
            socket.setSoTimeout(5_000);
            try {
                socket.startHandshake();
                // With TLS 1.3 the client may finish before the server has read its empty certificate.
                socket.getOutputStream().write("GET /v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes());
                assertThat(socket.getInputStream().read())
                        .as("the gateway answered a client without certificate")
                        .isEqualTo(-1);
            } catch (IOException expected) {
                // the handshake is refused: what matters is the count below
            }
        }

        assertThat(awaitMetricAbove(counter, before)).isEqualTo(before + 1);
    }

    private static Socket raw() throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress("127.0.0.2", 0));
        socket.connect(new InetSocketAddress("127.0.0.1", gw.gateway.port()));
        return socket;
    }

    /** Reads until the server closes ("closed") or {@code patienceMs} runs out ("still open"). */
    private static String readUntilClosed(Socket socket, int patienceMs) throws IOException {
        socket.setSoTimeout(patienceMs);
        InputStream in = socket.getInputStream();
        try {
            return in.read() == -1 ? "closed" : "answered";
        } catch (SocketTimeoutException e) {
            return "still open";
        } catch (SocketException e) {
            return "closed";
        }
    }

    private static void waitForOpenConnections(int atLeast) {
        await("the gateway counting " + atLeast + " open connections")
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> metric("passerelle_connections_open"), open -> open >= atLeast);
    }

    private static double awaitMetricAbove(String series, double before) {
        return await(series + " above " + before)
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> metric(series), value -> value > before);
    }

    private static double metric(String series) {
        PartnerClient.Reply reply = monitoring.get("/metrics");
        assertThat(reply.status()).isEqualTo(200);
        Matcher m =
                Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(reply.text());
        assertThat(m.find()).as(series + " on /metrics").isTrue();
        return Double.parseDouble(m.group(1));
    }
}
