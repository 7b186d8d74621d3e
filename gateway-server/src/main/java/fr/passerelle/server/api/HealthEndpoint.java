package fr.passerelle.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.config.versions.LiveDeployment;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Endpoint;
import fr.passerelle.server.http.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * {@code GET /v1/health}: alive, and ready when the database answers within two seconds; warns of certificates
 * that expire within 30 days; tells the configuration version the instance runs on.
 */
public final class HealthEndpoint implements Endpoint {
    private final DataSource dataSource;
    private final Supplier<List<String>> expiringCertificates;
    private final Optional<LiveDeployment> live;

    public HealthEndpoint(DataSource dataSource, Supplier<List<String>> expiringCertificates) {
        this(dataSource, expiringCertificates, Optional.empty());
    }

    /**
     * As the other constructor, also telling the configuration version the instance runs on, and a later one that
     * failed to load on it (numbers only: the reasons are in its log).
     */
    public HealthEndpoint(DataSource dataSource, Supplier<List<String>> expiringCertificates, LiveDeployment live) {
        this(dataSource, expiringCertificates, Optional.of(live));
    }

    private HealthEndpoint(
            DataSource dataSource, Supplier<List<String>> expiringCertificates, Optional<LiveDeployment> live) {
        this.dataSource = dataSource;
        this.expiringCertificates = expiringCertificates;
        this.live = live;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        boolean database = databaseAnswers();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("status", database ? "up" : "degraded");
        ObjectNode checks = body.putObject("checks");
        checks.put("database", database ? "up" : "down");
        ArrayNode warnings = body.putArray("warnings");
        live.ifPresent(l -> {
            ObjectNode configuration = body.putObject("configuration");
            configuration.put("version", l.version());
            Optional<LiveDeployment.Failure> failure = l.failure();
            checks.put("configuration", failure.isPresent() ? "stale" : "current");
            failure.ifPresent(f -> {
                configuration.put("failedVersion", f.version());
                warnings.add("configuration version " + f.version() + " does not load on this instance, which runs"
                        + " on version " + l.version() + " (see its log)");
            });
        });
        expiringCertificates.get().forEach(warnings::add);
        return ApiResponse.json(database ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, body);
    }

    private boolean databaseAnswers() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }
}
