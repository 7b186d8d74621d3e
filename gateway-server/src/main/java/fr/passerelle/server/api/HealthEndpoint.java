package fr.passerelle.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Endpoint;
import fr.passerelle.server.http.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * {@code GET /v1/health}: alive, and ready when the database answers within two seconds; warns of certificates
 * that expire within 30 days.
 */
public final class HealthEndpoint implements Endpoint {
    private final DataSource dataSource;
    private final Supplier<List<String>> expiringCertificates;

    public HealthEndpoint(DataSource dataSource, Supplier<List<String>> expiringCertificates) {
        this.dataSource = dataSource;
        this.expiringCertificates = expiringCertificates;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        boolean database = databaseAnswers();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("status", database ? "up" : "degraded");
        body.putObject("checks").put("database", database ? "up" : "down");
        ArrayNode warnings = body.putArray("warnings");
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
