package fr.passerelle.adapters.https;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.spi.TransportProvider.OptionProblem;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** The {@code url} option of a partner's {@code delivery:} section: where the gateway POSTs its deliveries. */
final class PartnerUrl {
    static final String URL = "url";
    private static final String EXAMPLE = "https://siao.example.fr/passerelle/referrals";
    private static final String EXPECTED = "expected: an absolute https:// URL such as " + EXAMPLE;

    private PartnerUrl() {}

    /** One problem per wrong, missing or unknown option. */
    static List<OptionProblem> check(Map<String, String> options) {
        List<OptionProblem> problems = new ArrayList<>();
        for (String key : new TreeSet<>(options.keySet())) {
            if (!URL.equals(key)) {
                problems.add(new OptionProblem(
                        key,
                        "unknown option '" + key + "' of delivery with transport https" + " (known: transport, url)",
                        "remove it or correct its spelling"));
            }
        }
        String text = options.get(URL);
        if (text == null || text.isBlank()) {
            problems.add(new OptionProblem(
                    URL,
                    "url is missing (" + EXPECTED + ")",
                    "add url: " + EXAMPLE + " under delivery:, the partner's endpoint"));
        } else {
            problem(text).ifPresent(problems::add);
        }
        return List.copyOf(problems);
    }

    /**
     * The endpoint of a partner whose options passed {@link #check}.
     *
     * @throws GatewayException {@code CONFIG_INVALID} if the url is missing or not a valid https URL
     */
    static URI of(Map<String, String> options) {
        String text = options.get(URL);
        Optional<OptionProblem> problem = text == null
                ? Optional.of(new OptionProblem(URL, "url is missing (" + EXPECTED + ")", ""))
                : problem(text);
        if (problem.isPresent()) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID, "delivery option " + problem.get().message());
        }
        return URI.create(text.strip());
    }

    /** The URL as it may stand in a log line or a message: without its query, which may hold a secret. */
    static String shown(URI url) {
        String port = url.getPort() == -1 ? "" : ":" + url.getPort();
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        return url.getScheme() + "://" + url.getHost() + port + path + (url.getRawQuery() == null ? "" : "?…");
    }

    private static Optional<OptionProblem> problem(String text) {
        URI url;
        try {
            url = new URI(text.strip());
        } catch (URISyntaxException e) {
            // The reason and index, not the value: a broken URL may hold a secret where the parser stopped.
            return Optional.of(new OptionProblem(
                    URL,
                    "url is not a valid URL (" + e.getReason() + " at index " + e.getIndex() + "; " + EXPECTED + ")",
                    "write it as " + EXAMPLE));
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("http")) {
            return Optional.of(new OptionProblem(
                    URL,
                    "url uses http:// (" + EXPECTED + ")",
                    "use https://: the" + " gateway pushes referrals only over TLS, with its client certificate"));
        }
        if (!scheme.equals("https") || url.isOpaque()) {
            return Optional.of(new OptionProblem(
                    URL, "url is not an absolute https:// URL (" + EXPECTED + ")", "write it as " + EXAMPLE));
        }
        if (url.getRawUserInfo() != null) {
            // Never echo it: user information is a user name and often a password.
            return Optional.of(new OptionProblem(
                    URL,
                    "url holds user information before '@' (" + EXPECTED + ", without user:password@)",
                    "remove it: the gateway authenticates with its client"
                            + " certificate, never with a password in the URL"));
        }
        if (url.getHost() == null) {
            return Optional.of(new OptionProblem(
                    URL,
                    "url has no host, or a host that is not a valid name (" + EXPECTED + ")",
                    "write it as " + EXAMPLE));
        }
        if (url.getRawFragment() != null) {
            return Optional.of(new OptionProblem(
                    URL,
                    "url " + shown(url) + " has a fragment '#…' (" + EXPECTED + ", without #)",
                    "remove the '#' and what follows: a fragment is never sent to the server"));
        }
        if (url.getPort() == 0 || url.getPort() > 65535) {
            return Optional.of(new OptionProblem(
                    URL,
                    "url " + shown(url) + " has port " + url.getPort() + " (expected: 1-65535)",
                    "correct the port, or remove it for 443"));
        }
        return Optional.empty();
    }
}
