package fr.passerelle.server.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.config.ConfigProblem;
import fr.passerelle.core.config.versions.ConfigDiff;
import fr.passerelle.core.config.versions.ConfigVersion;
import fr.passerelle.core.config.versions.FileSet;
import fr.passerelle.core.config.versions.VersionInfo;
import fr.passerelle.core.config.versions.VersionedConfig;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Endpoint;
import fr.passerelle.server.http.EndpointTable;
import fr.passerelle.server.http.EndpointTable.Access;
import fr.passerelle.server.http.Json;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The admin API of configuration versions, partners and routes, and what its endpoints share: every change builds
 * the next file set from the current version, which the checks of {@code config check} then judge; a refused
 * change answers 422 with each problem (file, line, fix), a change that another version overtook three times 409;
 * a stored change swaps this instance at once, the others at their next poll. Reads need role auditor, changes
 * role admin; every change is audited as {@code admin:<id>}, with an optional {@code comment}: a query parameter,
 * or for the POSTs a {@code comment} in their body (a PUT's body is the entry itself, so its comment goes in the
 * query). Changes are refused to an administrator limited to some data domains: the configuration serves every
 * domain.
 */
public final class ConfigEndpoints {
    private final ConfigChanges changes;

    ConfigEndpoints(ConfigChanges changes) {
        this.changes = changes;
    }

    /** Adds the versions, partners and routes operations to {@code table}. */
    public static void register(EndpointTable.Builder table, ConfigChanges changes, Clock clock) {
        ConfigEndpoints shared = new ConfigEndpoints(changes);
        VersionEndpoints versions = new VersionEndpoints(shared);
        PartnerEndpoints partners = new PartnerEndpoints(shared, clock);
        RouteEndpoints routes = new RouteEndpoints(shared);
        Endpoint rollback = DomainScope.everyDomain(versions::rollback);
        Endpoint putPartner = DomainScope.everyDomain(partners::put);
        Endpoint disable = DomainScope.everyDomain(partners::disable);
        Endpoint rotate = DomainScope.everyDomain(partners::rotate);
        Endpoint putRoute = DomainScope.everyDomain(routes::put);
        Endpoint deleteRoute = DomainScope.everyDomain(routes::delete);
        table.add(HttpMethod.GET, "/admin/v1/versions", Access.AUDITOR, versions::list)
                .add(HttpMethod.GET, "/admin/v1/versions/{n}", Access.AUDITOR, versions::one)
                .add(HttpMethod.GET, "/admin/v1/versions/{n}/diff", Access.AUDITOR, versions::diff)
                .add(HttpMethod.POST, "/admin/v1/versions/{n}/rollback", Access.ADMIN, rollback)
                .add(HttpMethod.GET, "/admin/v1/partners", Access.AUDITOR, partners::list)
                .add(HttpMethod.GET, "/admin/v1/partners/{partner}", Access.AUDITOR, partners::one)
                .add(HttpMethod.PUT, "/admin/v1/partners/{partner}", Access.ADMIN, putPartner)
                .add(HttpMethod.POST, "/admin/v1/partners/{partner}/disable", Access.ADMIN, disable)
                .add(HttpMethod.POST, "/admin/v1/partners/{partner}/certificate", Access.ADMIN, rotate)
                .add(HttpMethod.GET, "/admin/v1/routes", Access.AUDITOR, routes::list)
                .add(HttpMethod.PUT, "/admin/v1/routes/{route}", Access.ADMIN, putRoute)
                .add(HttpMethod.DELETE, "/admin/v1/routes/{route}", Access.ADMIN, deleteRoute);
    }

    VersionedConfig versioned() {
        return changes.versioned();
    }

    /** The current version, which every read and change starts from. */
    ConfigVersion current() {
        return changes.current();
    }

    /** Builds, checks and stores a change, swaps this instance, and answers what changed. */
    ApiResponse change(
            ApiRequest request, UnaryOperator<FileSet> edit, Map<String, String> detail, Optional<JsonNode> body) {
        return answer(changes.change(request, edit, comment(request, body), detail));
    }

    /** Stores version {@code to}'s files as the next version, and answers what changed. */
    ApiResponse rollback(ApiRequest request, int to, Optional<JsonNode> body) {
        return answer(changes.rollback(request, to, comment(request, body)));
    }

    private static ApiResponse answer(VersionedConfig.Outcome outcome) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("changed", outcome.stored().isPresent());
        body.put("version", outcome.current());
        outcome.stored().flatMap(VersionInfo::parent).ifPresent(parent -> body.put("parent", parent));
        changes(body, outcome.diff());
        ArrayNode warnings = body.putArray("warnings");
        outcome.warnings().stream().map(ConfigProblem::toString).forEach(warnings::add);
        return ApiResponse.json(HttpResponseStatus.OK, body);
    }

    /** The {@code comment} query parameter, else the body's {@code comment}, else empty. */
    static String comment(ApiRequest request, Optional<JsonNode> body) {
        return request.queryParam("comment")
                .or(() -> body.map(b -> b.path("comment"))
                        .filter(JsonNode::isTextual)
                        .map(JsonNode::asText))
                .orElse("");
    }

    /** The request's JSON body; empty for an empty body. */
    static Optional<JsonNode> body(ApiRequest request) {
        if (request.body().length == 0) {
            return Optional.empty();
        }
        return Optional.of(Json.tree(request.body(), "the configuration request"));
    }

    static void changes(ObjectNode body, ConfigDiff diff) {
        body.put("summary", diff.summary());
        changes(body.putObject("partners"), diff.partners());
        changes(body.putObject("routes"), diff.routes());
        changes(body.putObject("administrators"), diff.administrators());
    }

    private static void changes(ObjectNode node, ConfigDiff.Changes changes) {
        changes.added().forEach(node.putArray("added")::add);
        changes.removed().forEach(node.putArray("removed")::add);
        changes.changed().forEach(node.putArray("changed")::add);
    }
}
