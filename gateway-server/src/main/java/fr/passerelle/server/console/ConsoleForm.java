package fr.passerelle.server.console;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.server.http.ApiRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A form the console posted ({@code application/x-www-form-urlencoded}), read only after its anti-forgery token
 * passed {@link CsrfTokens#check}: every POST handler of the console starts with {@link #read}. Values are
 * trimmed; a field the form did not send reads as empty.
 */
final class ConsoleForm {
    private final Map<String, List<String>> fields;

    private ConsoleForm(Map<String, List<String>> fields) {
        this.fields = fields;
    }

    /**
     * Checks the request's anti-forgery token, then decodes its form.
     *
     * @throws GatewayException {@code not_permitted} without the administrator's token; {@code request_invalid}
     *                          when the body is not a form
     */
    static ConsoleForm read(ApiRequest request, CsrfTokens csrf) {
        if (!request.method().equals(HttpMethod.POST)) {
            throw new IllegalArgumentException("only a POST carries a form, not a " + request.method());
        }
        if (!request.mediaType().equals("application/x-www-form-urlencoded")) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "the console's forms are sent as application/x-www-form-urlencoded, not as '"
                            + request.mediaType().replaceAll("[^A-Za-z0-9/.+-]", "?")
                            + "' (submit the page's form)");
        }
        csrf.check(request);
        String body = new String(request.body(), StandardCharsets.UTF_8);
        return new ConsoleForm(new QueryStringDecoder(body, StandardCharsets.UTF_8, false).parameters());
    }

    /** The field's first value, trimmed; empty when the form did not send it. */
    String value(String name) {
        List<String> values = fields.getOrDefault(Objects.requireNonNull(name, "name"), List.of());
        return values.isEmpty() ? "" : values.get(0).strip();
    }

    /** Every value of the field (checkboxes, multiple selects), trimmed, empty ones left out. */
    List<String> values(String name) {
        return fields.getOrDefault(Objects.requireNonNull(name, "name"), List.of()).stream()
                .map(String::strip)
                .filter(v -> !v.isEmpty())
                .toList();
    }
}
