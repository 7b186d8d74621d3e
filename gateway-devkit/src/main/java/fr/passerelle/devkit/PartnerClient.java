package fr.passerelle.devkit;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.crypto.ClientTls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * A partner system as the gateway sees it: an HTTPS client with the partner's certificate. The demo plays the
 * example partners with it, and the tests use it to talk to a real server.
 */
public final class PartnerClient {
    private final String name;
    private final HttpClient http;
    private final URI base;

    public PartnerClient(String name, SSLContext tls, URI base) {
        this.name = name;
        this.base = base;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(tls)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** A client holding {@code pkiDir/partners/<id>.pem} and its key, trusting {@code pkiDir/ca.pem}. */
    public static PartnerClient forPartner(String partnerId, Path pkiDir, URI base) {
        Path partners = pkiDir.resolve("partners");
        return new PartnerClient(
                partnerId,
                ClientTls.sslContext(
                        partners.resolve(partnerId + ".pem"),
                        partners.resolve(partnerId + "-key.pem"),
                        pkiDir.resolve("ca.pem")),
                base);
    }

    public String name() {
        return name;
    }

    public Reply get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), Map.of());
    }

    public Reply post(String path, byte[] body, String contentType, Map<String, String> headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .header("Content-Type", contentType);
        return send(builder, headers);
    }

    private Reply send(HttpRequest.Builder builder, Map<String, String> headers) {
        headers.forEach(builder::header);
        builder.timeout(Duration.ofSeconds(30));
        try {
            HttpResponse<byte[]> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(
                    response.statusCode(),
                    response.headers().firstValue("content-type").orElse(""),
                    response.body(),
                    response.headers().firstValue("retry-after"));
        } catch (IOException e) {
            throw new GatewayException(
                    ErrorCode.UNAVAILABLE, name + " could not reach the gateway at " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException(ErrorCode.UNAVAILABLE, name + " was interrupted", e);
        }
    }

    /** An HTTP answer. */
    /** @param retryAfter the {@code Retry-After} header of a 429 or 503, when there is one */
    public record Reply(int status, String contentType, byte[] body, java.util.Optional<String> retryAfter) {
        public String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Reply[" + status + ", " + contentType + ", " + body.length + " bytes]";
        }
    }
}
