package fr.passerelle.server.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Endpoint;
import fr.passerelle.server.http.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** {@code GET /v1/health}: alive, and ready when the database answers within two seconds. */
public final class HealthEndpoint implements Endpoint {
    private final DataSource dataSource;

    public HealthEndpoint(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        boolean database = databaseAnswers();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("status", database ? "up" : "degraded");
        body.putObject("checks").put("database", database ? "up" : "down");
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
