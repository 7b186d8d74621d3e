package fr.passerelle.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every bad input answered with a 4xx naming where it is, never a 500, and nothing stored. */
class BadInputIT {
    static final String POLICE = "police-75-brp";
    static TestGateway gw;

    @BeforeAll
    static void start() throws IOException {
        gw = TestGateway.start(Map.of());
    }

    @AfterAll
    static void stop() throws IOException {
        gw.close();
    }

    @ParameterizedTest
    @CsvSource({"c0af, an overlong form", "eda080, an encoded surrogate", "f4908080, a code point above U+10FFFF"})
    void refusesMalformedUtf8InASubmissionNamingTheByteOffset(String hex, String kind) throws IOException {
        String sample = new String(gw.sample("victim.orientation"), StandardCharsets.UTF_8);
        int at = sample.indexOf("FICTIF");
        byte[] head = sample.substring(0, at).getBytes(StandardCharsets.UTF_8);
        byte[] bad = HexFormat.of().parseHex(hex);
        byte[] tail = sample.substring(at).getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + bad.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(bad, 0, body, head.length, bad.length);
        System.arraycopy(tail, 0, body, head.length + bad.length, tail.length);
        long before = gw.countReferrals();

        PartnerClient.Reply reply = submit(body);

        assertProblem(
                reply,
                400,
                "json_malformed",
                "the request body is not valid UTF-8 at byte offset "
                        + head.length + ": " + kind
                        + " (expected: UTF-8 without overlong forms, encoded surrogates or code"
                        + " points above U+10FFFF)");
        assertThat(gw.countReferrals()).isEqualTo(before);
    }

    @Test
    void refusesANumberOutOfRangeInASubmissionNamingTheField() throws IOException {
        String sample = new String(gw.sample("victim.orientation"), StandardCharsets.UTF_8)
                .replaceFirst("\"schemaVersion\"\\s*:\\s*1", "\"schemaVersion\": 1e999999");
        long before = gw.countReferrals();

        PartnerClient.Reply reply = submit(sample.getBytes(StandardCharsets.UTF_8));

        assertProblem(
                reply,
                400,
                "json_malformed",
                "the request body holds a number out of range at $.schemaVersion"
                        + " (expected: a number within the range of a double)");
        assertThat(gw.countReferrals()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\u0000", "\\u0001", "\\ufffe", "\\ud800"})
    void refusesACharacterXmlCannotCarryBeforeStoringAnything(String escaped) throws IOException {
        ObjectNode sample = (ObjectNode) Json.MAPPER.readTree(gw.sample("victim.orientation"));
        String text = sample.toString().replace("\"familyName\":\"", "\"familyName\":\"Secret" + escaped);
        long before = gw.countReferrals();

        PartnerClient.Reply reply = submit(text.getBytes(StandardCharsets.UTF_8));

        assertProblem(
                reply,
                422,
                "schema_violation",
                "the document holds a character XML cannot carry at"
                        + " $.subject.familyName (expected: text XML 1.0 can carry: no control character but tab, line feed"
                        + " and carriage return, no U+FFFE or U+FFFF, no lone surrogate)");
        assertThat(reply.text()).doesNotContain("Secret");
        assertThat(gw.countReferrals()).isEqualTo(before);
    }

    @Test
    void refusesANumberOutOfRangeInADryRun() throws IOException {
        PartnerClient.Reply reply = gw.adminClient()
                .post(
                        "/admin/v1/dry-run",
                        ("{\"sender\": \"police-75-brp\","
                                        + " \"type\": \"victim.orientation\", \"department\": \"75\", \"urgency\": 1e999999}")
                                .getBytes(StandardCharsets.UTF_8),
                        "application/json",
                        Map.of());

        assertProblem(
                reply,
                400,
                "json_malformed",
                "the dry run's body holds a number out of range at $.urgency"
                        + " (expected: a number within the range of a double)");
    }

    @Test
    void refusesAnOverlongFormInADryRun() throws IOException {
        byte[] body = "{\"sender\": \"police-75-brp\"}".getBytes(StandardCharsets.UTF_8);
        body[12] = (byte) 0xc0;
        body[13] = (byte) 0xaf;

        PartnerClient.Reply reply = gw.adminClient().post("/admin/v1/dry-run", body, "application/json", Map.of());

        assertProblem(
                reply,
                400,
                "json_malformed",
                "the dry run's body is not valid UTF-8 at byte offset 12: an"
                        + " overlong form (expected: UTF-8 without overlong forms, encoded surrogates or code points above"
                        + " U+10FFFF)");
    }

    private static PartnerClient.Reply submit(byte[] body) {
        return gw.client(POLICE)
                .post(
                        "/v1/referrals",
                        body,
                        "application/json",
                        Map.of("Idempotency-Key", UUID.randomUUID().toString()));
    }

    private static void assertProblem(PartnerClient.Reply reply, int status, String code, String detail)
            throws IOException {
        JsonNode body = Json.MAPPER.readTree(reply.body());
        assertThat(reply.status()).as(reply.text()).isEqualTo(status);
        assertThat(body.path("code").asText()).isEqualTo(code);
        assertThat(body.path("detail").asText()).isEqualTo(detail);
    }
}
