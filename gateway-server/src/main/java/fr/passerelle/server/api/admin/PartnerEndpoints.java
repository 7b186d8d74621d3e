package fr.passerelle.server.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.versions.ConfigEdits;
import fr.passerelle.core.config.versions.ConfigVersion;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Partners of the current version: {@code GET /admin/v1/partners}, {@code GET /admin/v1/partners/{id}} (each
 * entry as its YAML file's keys), {@code PUT /admin/v1/partners/{id}} (create or replace from the same keys; an
 * optional {@code certificate.pem} installs its certificate), {@code POST .../disable} and
 * {@code POST .../certificate}: {@code {"pem": "...", "overlapHours": 72}} (or {@code "sha256"} instead of
 * {@code "pem"}) pins the new certificate and keeps the old one accepted until the overlap ends.
 */
final class PartnerEndpoints {
    private final ConfigEndpoints shared;
    private final Clock clock;

    PartnerEndpoints(ConfigEndpoints shared, Clock clock) {
        this.shared = shared;
        this.clock = clock;
    }

    ApiResponse list(ApiRequest request) {
        ConfigVersion current = shared.current();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("version", current.number());
        ArrayNode partners = body.putArray("partners");
        current.files().files().forEach((name, text) -> {
            if (name.startsWith("partners/") && name.endsWith(".yaml")) {
                partners.add(entry(current, name, text));
            }
        });
        return ApiResponse.json(HttpResponseStatus.OK, body);
    }

    ApiResponse one(ApiRequest request) {
        PartnerId id = request.partnerPathParam("partner");
        ConfigVersion current = shared.current();
        String name = ConfigEdits.partnerFile(id);
        String text = current.files()
                .text(name)
                .orElseThrow(() -> new GatewayException(
                        ErrorCode.NOT_FOUND, "no partner " + id + " in configuration version " + current.number()));
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("version", current.number());
        body.set("partner", entry(current, name, text));
        return ApiResponse.json(HttpResponseStatus.OK, body);
    }

    ApiResponse put(ApiRequest request) {
        PartnerId id = request.partnerPathParam("partner");
        JsonNode entry = ConfigEndpoints.body(request)
                .orElseThrow(() -> new GatewayException(
                        ErrorCode.REQUEST_INVALID, "the body must be a JSON object with the keys of a partner file"));
        return shared.change(
                request,
                files -> ConfigEdits.putPartner(files, id, entry),
                Map.of("operation", "partner.put", "partner", id.value()),
                Optional.empty());
    }

    ApiResponse disable(ApiRequest request) {
        PartnerId id = request.partnerPathParam("partner");
        return shared.change(
                request,
                files -> ConfigEdits.disablePartner(files, id),
                Map.of("operation", "partner.disable", "partner", id.value()),
                ConfigEndpoints.body(request));
    }

    ApiResponse rotate(ApiRequest request) {
        PartnerId id = request.partnerPathParam("partner");
        JsonNode body = ConfigEndpoints.body(request)
                .orElseThrow(() -> new GatewayException(
                        ErrorCode.REQUEST_INVALID,
                        "the body must be {\"pem\": \"-----BEGIN CERTIFICATE-----...\","
                                + " \"overlapHours\": 72} or {\"sha256\": \"AA:BB:...\", \"overlapHours\": 72}"));
        Optional<String> pem = text(body, "pem");
        Optional<String> sha256 = text(body, "sha256");
        JsonNode hours = body.path("overlapHours");
        if (!hours.isMissingNode()
                && (!hours.canConvertToLong()
                        || hours.asLong() < 0
                        || hours.asLong() > ConfigEdits.MAX_OVERLAP_HOURS)) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "overlapHours is not valid (expected: a whole" + " number of hours from 0 to "
                            + ConfigEdits.MAX_OVERLAP_HOURS + ")");
        }
        Instant now = clock.instant();
        Instant until =
                now.plus(Duration.ofHours(hours.isMissingNode() ? ConfigEdits.DEFAULT_OVERLAP_HOURS : hours.asLong()));
        return shared.change(
                request,
                files -> ConfigEdits.rotateCertificate(files, id, pem, sha256, until, now),
                Map.of("operation", "partner.certificate", "partner", id.value()),
                Optional.of(body));
    }

    private static Optional<String> text(JsonNode body, String key) {
        return Optional.of(body.path(key)).filter(JsonNode::isTextual).map(JsonNode::asText);
    }

    /** A partner file's keys, and whether its certificate file is installed. */
    private static ObjectNode entry(ConfigVersion version, String name, String text) {
        ObjectNode entry = ConfigEdits.tree(name, text);
        entry.put(
                "certificateFile",
                version.files().text(name.replace(".yaml", ".pem")).isPresent());
        return entry;
    }
}
