package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.crypto.ClientTls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Slow and half-open connections are closed by the gateway, over real TLS. The gateway runs with a one-second
 * idle timeout; the clients give up after fifteen, so a connection the gateway failed to close shows as a
 * read time-out.
 */
class SlowClientsIT {
    static final int CLIENT_PATIENCE_MS = 15_000;
    static TestGateway gw;

    @BeforeAll
    static void start() throws IOException {
        gw = TestGateway.withGatewayYaml(
                Map.of(), yaml -> yaml.replace("idle_timeout_seconds: 30", "idle_timeout_seconds: 1"));
    }

    @AfterAll
    static void stop() throws IOException {
        gw.close();
    }

    @Test
    void closesAConnectionThatSaysNothingAfterTheHandshake() throws IOException {
        try (SSLSocket socket = connect()) {
            socket.startHandshake();

            assertThat(readUntilClosed(socket.getInputStream())).isEqualTo("closed");
        }
    }

    @Test
    void closesARequestWhoseHeadersTrickleInByteByByte() throws IOException, InterruptedException {
        try (SSLSocket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /v1/health HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            boolean closedWhileTrickling = false;
            // Each byte comes well inside the idle timeout, so only the request deadline can end this.
            for (int i = 0; i < 40 && !closedWhileTrickling; i++) {
                Thread.sleep(250);
                try {
                    out.write('X');
                    out.flush();
                } catch (SocketException e) {
                    closedWhileTrickling = true;
                }
            }

            assertThat(closedWhileTrickling)
                    .as("the gateway closed the connection while the headers trickled in")
                    .isTrue();
        }
    }

    @Test
    void keepsServingAClientThatIsMerelyQuick() {
        assertThat(gw.client("police-75-brp").get("/v1/health").status()).isEqualTo(200);
    }

    private static SSLSocket connect() throws IOException {
        SSLSocket socket = (SSLSocket) ClientTls.sslContext(
                        gw.pki.resolve("partners/police-75-brp.pem"),
                        gw.pki.resolve("partners/police-75-brp-key.pem"),
                        gw.pki.resolve("ca.pem"))
                .getSocketFactory()
                .createSocket("localhost", gw.gateway.port());
        socket.setSoTimeout(CLIENT_PATIENCE_MS);
        return socket;
    }

    /** Reads until the server closes ("closed") or the client's patience runs out ("still open"). */
    private static String readUntilClosed(InputStream in) throws IOException {
        try {
            while (in.read() != -1) {
                // an answer may come first (a 400 for the garbage header); what matters is the close after it
            }
            return "closed";
        } catch (SocketTimeoutException e) {
            return "still open";
        } catch (SocketException e) {
            return "closed";
        }
    }
}
