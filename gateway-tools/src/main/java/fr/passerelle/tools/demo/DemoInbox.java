package fr.passerelle.tools.demo;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.core.crypto.CmsOpener;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * A partner's inbox as the demo's acts read it: every item from the start, each opened with the partner's key and
 * checked against the gateway's signature.
 */
final class DemoInbox {
    private final Path pki;
    private final X509Certificate gatewaySigner;
    private final Function<String, PartnerClient> clients;
    private final PartnerSystemsAct.Report report;
    private final String phase;

    DemoInbox(
            Path pki,
            X509Certificate gatewaySigner,
            Function<String, PartnerClient> clients,
            PartnerSystemsAct.Report report,
            String phase) {
        this.pki = pki;
        this.gatewaySigner = gatewaySigner;
        this.clients = clients;
        this.report = report;
        this.phase = phase;
    }

    /** Every item of a partner's inbox from the start (pulling marks them delivered). */
    List<JsonNode> items(String partner) throws IOException {
        List<JsonNode> items = new ArrayList<>();
        String after = "0";
        while (true) {
            JsonNode page = Json.MAPPER.readTree(clients.apply(partner)
                    .get("/v1/inbox?after=" + after + "&limit=100")
                    .body());
            if (page.path("items").isEmpty()) {
                return items;
            }
            page.path("items").forEach(items::add);
            after = page.path("next").asText();
        }
    }

    /** The referrals in a partner's inbox, notices aside. */
    List<String> ids(String partner) throws IOException {
        return items(partner).stream()
                .filter(i -> !i.has("notice"))
                .map(i -> i.path("referralId").asText())
                .toList();
    }

    /** The notice of {@code kind} about {@code referralId} in a partner's inbox, opened; empty when there is none. */
    JsonNode notice(String partner, String referralId, String kind) throws IOException {
        return items(partner).stream()
                .filter(i -> referralId.equals(i.path("referralId").asText()))
                .filter(i -> kind.equals(i.path("notice").asText()))
                .findFirst()
                .map(i -> open(partner, i))
                .orElseGet(Json.MAPPER::createObjectNode);
    }

    /** The partner's copy of referral {@code referralId}, opened; empty when it has none. */
    JsonNode copy(String partner, String referralId) throws IOException {
        return items(partner).stream()
                .filter(i -> referralId.equals(i.path("referralId").asText()))
                .filter(i -> !i.has("notice"))
                .findFirst()
                .map(i -> open(partner, i))
                .orElseGet(Json.MAPPER::createObjectNode);
    }

    /** One item, decrypted with the partner's key and its gateway signature verified. */
    JsonNode open(String partner, JsonNode item) {
        Path partners = pki.resolve("partners");
        CmsOpener.Opened opened = CmsOpener.open(
                Base64.getDecoder().decode(item.path("envelope").asText()),
                PemFiles.readCertifiedKey(partners.resolve(partner + ".pem"), partners.resolve(partner + "-key.pem")),
                gatewaySigner);
        try {
            return Json.MAPPER.readTree(opened.content());
        } catch (IOException e) {
            report.fail(phase, "an item of " + partner + " is not JSON");
            return Json.MAPPER.createObjectNode();
        }
    }

    static String shortId(String id) {
        return id.length() >= 8 ? id.substring(0, 8) : id;
    }
}
