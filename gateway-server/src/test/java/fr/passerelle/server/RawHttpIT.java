package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.crypto.ClientTls;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Requests written by hand over real TLS: what java.net.http would never send. */
class RawHttpIT {
    static TestGateway gw;

    @BeforeAll
    static void start() throws IOException {
        gw = TestGateway.start(Map.of());
    }

    @AfterAll
    static void stop() throws IOException {
        gw.close();
    }

    @Test
    void answersPipelinedRequestsInOrder() throws IOException {
        String[] paths = {"/v1/health", "/v1/inbox?limit=1", "/v2/none", "/v1/inbox?limit=1000", "/v1/health"};

        List<Integer> statuses = send(paths);

        assertThat(statuses).containsExactly(200, 200, 404, 400, 200);
    }

    @Test
    void answersAMalformedPercentEscapeWithAProblemAndGoesOn() throws IOException {
        List<Integer> statuses = send("/v1/inbox?after=%zz", "/v1/health");

        assertThat(statuses).containsExactly(400, 200);
    }

    /** Writes every GET at once on one connection, then reads as many answers. */
    private static List<Integer> send(String... paths) throws IOException {
        StringBuilder burst = new StringBuilder();
        for (String path : paths) {
            burst.append("GET ").append(path).append(" HTTP/1.1\r\nHost: localhost\r\n\r\n");
        }
        List<Integer> statuses = new ArrayList<>();
        try (SSLSocket socket = (SSLSocket) ClientTls.sslContext(
                        gw.pki.resolve("partners/police-75-brp.pem"),
                        gw.pki.resolve("partners/police-75-brp-key.pem"),
                        gw.pki.resolve("ca.pem"))
                .getSocketFactory()
                .createSocket("localhost", gw.gateway.port())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(burst.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            while (statuses.size() < paths.length) {
                statuses.add(readResponse(in));
            }
        }
        return statuses;
    }

    /** Reads one response (status line, headers, body by Content-Length) and returns its status. */
    private static int readResponse(BufferedReader in) throws IOException {
        String statusLine = in.readLine();
        assertThat(statusLine).as("a status line").isNotNull().startsWith("HTTP/1.1 ");
        int length = 0;
        for (String header = in.readLine(); header != null && !header.isEmpty(); header = in.readLine()) {
            if (header.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(
                        header.substring("content-length:".length()).trim());
            }
        }
        char[] body = new char[length];
        int read = 0;
        while (read < length) {
            int n = in.read(body, read, length - read);
            if (n < 0) {
                break;
            }
            read += n;
        }
        return Integer.parseInt(statusLine.split(" ")[1]);
    }
}
