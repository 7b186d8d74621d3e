package fr.passerelle.server.api.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.versions.ConfigDiff;
import fr.passerelle.core.config.versions.ConfigVersion;
import fr.passerelle.core.config.versions.ConfigVersions;
import fr.passerelle.core.config.versions.FileSet;
import fr.passerelle.core.config.versions.VersionInfo;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /admin/v1/versions?before=N&limit=50} (newest first; {@code next} is the {@code before} of the next
 * page), {@code GET /admin/v1/versions/{n}}, {@code GET /admin/v1/versions/{n}/diff?against=m} (by default
 * against its parent) and {@code POST /admin/v1/versions/{n}/rollback}, which stores version n's files as the
 * next version.
 */
final class VersionEndpoints {
    private final ConfigEndpoints shared;

    VersionEndpoints(ConfigEndpoints shared) {
        this.shared = shared;
    }

    ApiResponse list(ApiRequest request) {
        Optional<Integer> before =
                request.queryParam("before").map(b -> (int) request.longParam("before", 0, 1, Integer.MAX_VALUE));
        int limit = (int) request.longParam("limit", 50, 1, ConfigVersions.MAX_PAGE);
        ConfigVersions versions = shared.versioned().versions();
        List<VersionInfo> page = versions.list(before, limit);
        ObjectNode body = Json.MAPPER.createObjectNode();
        versions.current().ifPresent(current -> body.put("current", current));
        ArrayNode list = body.putArray("versions");
        page.forEach(info -> list.add(info(info)));
        if (page.size() == limit && page.get(page.size() - 1).number() > 1) {
            body.put("next", page.get(page.size() - 1).number());
        } else {
            body.putNull("next");
        }
        return ApiResponse.json(HttpResponseStatus.OK, body);
    }

    ApiResponse one(ApiRequest request) {
        ConfigVersion version = version(request, "n");
        ObjectNode body = info(version.info());
        version.files().files().keySet().forEach(body.putArray("fileNames")::add);
        ConfigEndpoints.changes(body.putObject("changes"), ConfigDiff.between(parentFiles(version), version.files()));
        return ApiResponse.json(HttpResponseStatus.OK, body);
    }

    ApiResponse diff(ApiRequest request) {
        ConfigVersion version = version(request, "n");
        Optional<ConfigVersion> against = request.queryParam("against").map(text -> find(number(text)));
        FileSet from = against.map(ConfigVersion::files).orElseGet(() -> parentFiles(version));
        ConfigDiff diff = ConfigDiff.between(from, version.files());
        ObjectNode body = Json.MAPPER.createObjectNode();
        against.map(ConfigVersion::number)
                .or(() -> version.info().parent())
                .ifPresentOrElse(n -> body.put("from", n), () -> body.putNull("from"));
        body.put("to", version.number());
        ConfigEndpoints.changes(body, diff);
        ArrayNode files = body.putArray("files");
        for (ConfigDiff.FileChange file : diff.files()) {
            ObjectNode entry = files.addObject();
            entry.put("name", file.name());
            entry.put("change", file.kind().code());
            file.lines().forEach(entry.putArray("lines")::add);
        }
        return ApiResponse.json(HttpResponseStatus.OK, body);
    }

    ApiResponse rollback(ApiRequest request) {
        int to = number(request.pathParam("n"));
        return shared.rollback(request, to, ConfigEndpoints.body(request));
    }

    private FileSet parentFiles(ConfigVersion version) {
        return version.info().parent().map(p -> find(p).files()).orElse(FileSet.of(Map.of()));
    }

    private ConfigVersion version(ApiRequest request, String param) {
        return find(number(request.pathParam(param)));
    }

    private ConfigVersion find(int number) {
        return shared.versioned()
                .versions()
                .find(number)
                .orElseThrow(() -> new GatewayException(
                        ErrorCode.NOT_FOUND, "no configuration version " + number + " (see GET /admin/v1/versions)"));
    }

    private static int number(String text) {
        try {
            int number = Integer.parseInt(text);
            if (number >= 1) {
                return number;
            }
        } catch (NumberFormatException e) {
            // Answered below.
        }
        throw new GatewayException(
                ErrorCode.NOT_FOUND,
                "no configuration version '"
                        + (text.length() > 20 ? text.substring(0, 20) + "…" : text).replaceAll("[^0-9A-Za-z-]", "?")
                        + "' (expected: a version"
                        + " number from GET /admin/v1/versions)");
    }

    static ObjectNode info(VersionInfo info) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("number", info.number());
        info.parent().ifPresentOrElse(p -> node.put("parent", p), () -> node.putNull("parent"));
        node.put("appliedBy", info.appliedBy());
        node.put("appliedAt", info.appliedAt().toString());
        node.put("comment", info.comment());
        info.restoredFrom().ifPresentOrElse(r -> node.put("restoredFrom", r), () -> node.putNull("restoredFrom"));
        node.put("digest", info.digest());
        node.put("files", info.files());
        return node;
    }
}
