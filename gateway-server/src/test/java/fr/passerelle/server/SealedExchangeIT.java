package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.core.crypto.CmsOpener;
import fr.passerelle.core.crypto.CmsSealer;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.crypto.SignedSubmissions;
import fr.passerelle.core.testkit.OpenSsl;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What leaves the gateway is sealed for its recipient and signed by the gateway; what a partner signs is verified
 * against its pinned certificate; the sender gets a signed receipt. Over real TLS, with OpenSSL where present.
 */
class SealedExchangeIT {
    static final String POLICE = "police-75-brp";
    static final String SIGNING_ONLY = "police-974-sdpj";
    static TestGateway gw;

    @BeforeAll
    static void start() throws IOException {
        gw = TestGateway.withConfig(
                Map.of(),
                config -> TestGateway.edit(
                        config.resolve("partners/" + SIGNING_ONLY + ".yaml"),
                        yaml -> yaml + "\nsigned_submissions: required\n"));
    }

    @AfterAll
    static void stop() throws IOException {
        gw.close();
    }

    @Test
    void acceptsASubmissionSignedByThePartnersPinnedCertificate() throws IOException {
        PartnerClient.Reply reply =
                post(POLICE, sign(POLICE, gw.sample("victim.orientation")), SignedSubmissions.MEDIA_TYPE);

        assertThat(reply.status()).as(reply.text()).isEqualTo(202);
    }

    @Test
    void refusesASubmissionSignedByAnotherPartnersKey() throws IOException {
        long before = gw.countReferrals();

        PartnerClient.Reply reply =
                post(POLICE, sign("social-75-ssp-18", gw.sample("victim.orientation")), SignedSubmissions.MEDIA_TYPE);

        assertThat(reply.status()).isEqualTo(422);
        JsonNode problem = Json.MAPPER.readTree(reply.body());
        assertThat(problem.path("code").asText()).isEqualTo("signature_invalid");
        assertThat(problem.path("detail").asText()).contains("not by " + POLICE + "'s pinned certificate");
        assertThat(gw.countReferrals()).isEqualTo(before);
    }

    @Test
    void refusesASignedSubmissionWhoseContentWasChanged() throws IOException {
        byte[] signed = sign(POLICE, gw.sample("victim.orientation"));
        String marker = "\"urgent\"";
        String text = new String(signed, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(marker);
        assertThat(at).isPositive();
        byte[] tampered = (text.substring(0, at) + "\"urgenT\"" + text.substring(at + marker.length()))
                .getBytes(StandardCharsets.ISO_8859_1);

        PartnerClient.Reply reply = post(POLICE, tampered, SignedSubmissions.MEDIA_TYPE);

        assertThat(reply.status()).isEqualTo(422);
        assertThat(Json.MAPPER.readTree(reply.body()).path("code").asText()).isEqualTo("signature_invalid");
    }

    @Test
    void refusesABareSubmissionFromAPartnerThatMustSign() throws IOException {
        PartnerClient.Reply bare =
                post(SIGNING_ONLY, gw.sample("shelter.request").clone(), "application/json");
        // This unit submits in its procedure system's XML: what it signs is that document.
        PartnerClient.Reply signed = post(
                SIGNING_ONLY,
                sign(
                        SIGNING_ONLY,
                        java.nio.file.Files.readString(
                                        gw.config.resolve("samples/police-xml/residence.permit.support.xml"))
                                .replace("<departement>75</departement>", "<departement>974</departement>")
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                SignedSubmissions.MEDIA_TYPE);

        assertThat(bare.status()).isEqualTo(403);
        assertThat(Json.MAPPER.readTree(bare.body()).path("code").asText()).isEqualTo("signature_required");
        assertThat(signed.status()).as(signed.text()).isEqualTo(202);
    }

    @Test
    void givesTheSenderAReceiptSignedByTheGateway() throws IOException {
        JsonNode answer = Json.MAPPER.readTree(post(POLICE, gw.sample("victim.orientation"), "application/json")
                .body());

        CmsOpener.Opened receipt = CmsOpener.verifySigned(
                Base64.getDecoder().decode(answer.path("receipt").asText()), gatewaySigner());
        JsonNode content = Json.MAPPER.readTree(receipt.content());

        assertThat(content.path("referralId").asText())
                .isEqualTo(answer.path("id").asText());
        assertThat(content.path("sender").asText()).isEqualTo(POLICE);
        assertThat(content.path("type").asText()).isEqualTo("victim.orientation");
    }

    @Test
    void sealsEachItemForItsRecipientAlone() throws IOException {
        JsonNode answer = Json.MAPPER.readTree(post(POLICE, gw.sample("victim.orientation"), "application/json")
                .body());
        String association = answer.path("recipients").get(0).path("partner").asText();
        JsonNode item = itemOf(association, answer.path("id").asText());

        JsonNode opened = gw.open(association, item);
        Throwable stranger = org.assertj.core.api.Assertions.catchThrowable(() -> gw.open("siao-75", item));

        assertThat(opened.path("referralId").asText())
                .isEqualTo(answer.path("id").asText());
        assertThat(stranger).hasMessageStartingWith("no recipient in this envelope matches certificate");
    }

    @Test
    void servesAnItemThatOpenSslAloneDecryptsAndVerifies(@TempDir Path dir) throws Exception {
        OpenSsl.assumeAvailable();
        JsonNode answer = Json.MAPPER.readTree(post(POLICE, gw.sample("victim.orientation"), "application/json")
                .body());
        String association = answer.path("recipients").get(0).path("partner").asText();
        JsonNode item = itemOf(association, answer.path("id").asText());
        PartnerClient.Reply raw = gw.client(association).get(item.path("href").asText());
        Path envelope = Files.write(dir.resolve("item.p7m"), raw.body());
        Path partners = gw.pki.resolve("partners");

        OpenSsl.ok(
                dir,
                "cms",
                "-decrypt",
                "-inform",
                "DER",
                "-in",
                envelope.toString(),
                "-recip",
                partners.resolve(association + ".pem").toString(),
                "-inkey",
                partners.resolve(association + "-key.pem").toString(),
                "-out",
                dir.resolve("signed.der").toString());
        OpenSsl.ok(
                dir,
                "cms",
                "-verify",
                "-inform",
                "DER",
                "-in",
                dir.resolve("signed.der").toString(),
                "-CAfile",
                gw.pki.resolve("ca.pem").toString(),
                "-out",
                dir.resolve("item.json").toString());

        assertThat(raw.contentType()).startsWith("application/pkcs7-mime");
        assertThat(Json.MAPPER
                        .readTree(dir.resolve("item.json").toFile())
                        .path("referralId")
                        .asText())
                .isEqualTo(answer.path("id").asText());
    }

    // --- helpers

    private static JsonNode itemOf(String partner, String referralId) throws IOException {
        String after = "0";
        while (true) {
            JsonNode page = Json.MAPPER.readTree(
                    gw.client(partner).get("/v1/inbox?limit=100&after=" + after).body());
            for (JsonNode item : page.path("items")) {
                if (item.path("referralId").asText().equals(referralId)) {
                    return item;
                }
            }
            if (page.path("items").isEmpty()) {
                throw new AssertionError("referral " + referralId + " not in the inbox of " + partner);
            }
            after = page.path("next").asText();
        }
    }

    private static byte[] sign(String partner, byte[] content) {
        Path partners = gw.pki.resolve("partners");
        return new CmsSealer(
                        PemFiles.readCertifiedKey(
                                partners.resolve(partner + ".pem"), partners.resolve(partner + "-key.pem")),
                        Clock.systemUTC())
                .sign(content);
    }

    private static java.security.cert.X509Certificate gatewaySigner() {
        return PemFiles.readCertificates(gw.pki.resolve("gateway-signing.pem")).get(0);
    }

    private static PartnerClient.Reply post(String partner, byte[] body, String mediaType) {
        return gw.client(partner)
                .post(
                        "/v1/referrals",
                        body,
                        mediaType,
                        Map.of("Idempotency-Key", UUID.randomUUID().toString()));
    }
}
