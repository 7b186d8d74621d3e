package fr.passerelle.adapters.https;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.spi.TransportProvider.OptionProblem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code transports.https:} section of gateway.yaml.
 *
 * @param connectTimeout how long to wait for the TCP connection and the TLS handshake
 * @param requestTimeout how long to wait for the partner's answer once the request is sent
 */
record HttpsPushSettings(Duration connectTimeout, Duration requestTimeout) {
    static final String CONNECT_TIMEOUT = "connect_timeout_seconds";
    static final String REQUEST_TIMEOUT = "request_timeout_seconds";
    private static final Set<String> KEYS = Set.of(CONNECT_TIMEOUT, REQUEST_TIMEOUT);
    private static final Bound CONNECT = new Bound(CONNECT_TIMEOUT, 1, 60, 5);
    private static final Bound REQUEST = new Bound(REQUEST_TIMEOUT, 1, 300, 30);

    HttpsPushSettings {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    /** One problem per wrong or unknown key of {@code settings}. */
    static List<OptionProblem> check(Map<String, String> settings) {
        List<OptionProblem> problems = new ArrayList<>();
        for (String key : new TreeSet<>(settings.keySet())) {
            if (!KEYS.contains(key)) {
                problems.add(new OptionProblem(
                        key,
                        "unknown setting '" + key + "' of transports.https (known: " + CONNECT_TIMEOUT + ", "
                                + REQUEST_TIMEOUT + ")",
                        "remove it or correct its spelling"));
            }
        }
        CONNECT.problem(settings).ifPresent(problems::add);
        REQUEST.problem(settings).ifPresent(problems::add);
        return List.copyOf(problems);
    }

    /**
     * The settings, defaults filled in.
     *
     * @throws GatewayException {@code CONFIG_INVALID} if {@link #check} finds a problem
     */
    static HttpsPushSettings of(Map<String, String> settings) {
        List<OptionProblem> problems = check(settings);
        if (!problems.isEmpty()) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "transports.https has " + problems.size() + " problem(s): "
                            + problems.get(0).message(),
                    problems.stream().map(p -> p.key() + ": " + p.message()).toList());
        }
        return new HttpsPushSettings(
                Duration.ofSeconds(CONNECT.value(settings)), Duration.ofSeconds(REQUEST.value(settings)));
    }

    /** A whole number of seconds within bounds, with its default. */
    private record Bound(String key, int min, int max, int fallback) {
        Optional<OptionProblem> problem(Map<String, String> settings) {
            String text = settings.get(key);
            if (text == null || parse(text) != null) {
                return Optional.empty();
            }
            String shown = text.length() > 12 ? text.substring(0, 12) + "…" : text;
            return Optional.of(new OptionProblem(
                    key,
                    key + " is '" + shown.replaceAll("\\p{Cntrl}", "?") + "' (expected: a whole number of seconds "
                            + min + "-" + max + ")",
                    "set it to a number from " + min + " to " + max + ", or remove it for the default " + fallback));
        }

        int value(Map<String, String> settings) {
            String text = settings.get(key);
            return text == null ? fallback : parse(text);
        }

        private Integer parse(String text) {
            try {
                int seconds = Integer.parseInt(text.strip());
                return seconds >= min && seconds <= max ? seconds : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
