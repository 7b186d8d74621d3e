package fr.passerelle.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.net.ssl.SSLException;

/**
 * The submission before the load, in both modes: it learns whom the gateway routes the sample to, and turns a
 * gateway that is not there, or that refuses the PKI or the submission, into a one-line error naming the cause.
 */
final class FirstSubmission {
    private FirstSubmission() {}

    /** Refuses a PKI folder without the sender's certificate, before any connection. */
    static void requireCertificate(Path pki, String partner) {
        Path certificate = pki.resolve("partners").resolve(partner + ".pem");
        if (!Files.isRegularFile(certificate) || !Files.isRegularFile(pki.resolve("ca.pem"))) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "no certificate for " + partner + " in " + pki + " (expected: " + certificate + " and "
                            + pki.resolve("ca.pem") + ", as `./scripts/gateway pki init` writes them; --pki names"
                            + " the running gateway's PKI folder)");
        }
    }

    /**
     * One submission before the load: its receipt names the recipients that the gateway routed it to, whom the
     * pullers play; a gateway that is not there, or refuses the PKI, is named as such.
     */
    static List<String> recipients(PartnerClient sender, URI base, Path pki, byte[] sample) throws IOException {
        PartnerClient.Reply reply;
        try {
            reply = sender.post(
                    "/v1/referrals",
                    sample,
                    "application/json",
                    Map.of("Idempotency-Key", UUID.randomUUID().toString()));
        } catch (GatewayException e) {
            boolean tls = false;
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                tls |= t instanceof SSLException;
            }
            throw new GatewayException(
                    ErrorCode.UNAVAILABLE,
                    tls
                            ? "the gateway at " + base + " refused the TLS handshake with " + sender.name()
                                    + "'s certificate from " + pki + " (expected: --pki naming the PKI"
                                    + " folder of the running gateway, pki.dir of its gateway.yaml)"
                            : "cannot reach the gateway at " + base + " (expected: a gateway listening"
                                    + " there, such as `./scripts/gateway serve`)");
        }
        if (reply.status() == 401 || reply.status() == 403) {
            throw new GatewayException(
                    ErrorCode.UNAVAILABLE,
                    "the gateway at " + base + " refused " + sender.name() + "'s certificate from "
                            + pki + " with status " + reply.status() + " (expected: --pki naming the PKI"
                            + " folder of the running gateway)");
        }
        JsonNode body = parse(reply.body());
        if (reply.status() != 202) {
            throw new GatewayException(
                    ErrorCode.UNAVAILABLE,
                    "the gateway at " + base + " answered " + reply.status() + " "
                            + body.path("code").asText(body.path("title").asText()) + " to the first submission of "
                            + sender.name() + " (expected: 202; with the shipped quotas, 429: raise limits: in its"
                            + " gateway.yaml)");
        }
        List<String> recipients = new ArrayList<>();
        body.path("recipients").forEach(r -> recipients.add(r.path("partner").asText()));
        if (recipients.isEmpty()) {
            throw new GatewayException(
                    ErrorCode.UNAVAILABLE,
                    "the gateway at " + base + " routed the sample to nobody (expected: at least one"
                            + " recipient; is the sample's department served by its routes?)");
        }
        return recipients;
    }

    private static JsonNode parse(byte[] body) {
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            return node == null ? MissingNode.getInstance() : node;
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }
}
