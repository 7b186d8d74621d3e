package fr.passerelle.adapters.mail;

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
import java.util.regex.Pattern;

/**
 * The {@code transports.mail:} section of gateway.yaml, checked. {@link #toString()} names the relay, never the
 * password (which is not even held here: only the name of the environment variable that holds it).
 *
 * @param host         the relay's host name or IP address; its certificate must name it
 * @param port         the relay's port, 1-65535
 * @param security     STARTTLS (required, never skipped) or implicit TLS; there is no plain SMTP
 * @param from         the gateway's sender address
 * @param username     the SMTP user, when the relay wants one
 * @param passwordEnv  the environment variable that holds the SMTP password, with {@code username}
 * @param trustAnchors a PEM file of the CAs the relay's certificate must chain to, relative to the configuration
 *                     folder; empty for the JDK's trust store
 * @param timeout      for connecting, reading and writing, each
 */
record MailSettings(
        String host,
        int port,
        Security security,
        String from,
        Optional<String> username,
        Optional<String> passwordEnv,
        Optional<String> trustAnchors,
        Duration timeout) {
    static final Set<String> KEYS =
            Set.of("host", "port", "security", "from", "username", "password_env", "trust_anchors", "timeout_seconds");
    private static final Pattern HOST = Pattern.compile(
            "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
                    + "|\\[?[0-9A-Fa-f:.]+]?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final int DEFAULT_TIMEOUT_SECONDS = 30;

    /** How the connection to the relay is protected. */
    enum Security {
        /** Plain connection upgraded with STARTTLS, which is required: a relay that does not offer it is refused. */
        STARTTLS,
        /** TLS from the first byte (SMTPS, usually port 465). */
        TLS
    }

    MailSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(security, "security");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(passwordEnv, "passwordEnv");
        Objects.requireNonNull(trustAnchors, "trustAnchors");
        Objects.requireNonNull(timeout, "timeout");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " (expected: 1-65535)");
        }
    }

    /**
     * The settings of {@code section}.
     *
     * @throws GatewayException {@code CONFIG_INVALID} with one detail line per problem that {@link #check} finds
     */
    static MailSettings of(Map<String, String> section) {
        List<OptionProblem> problems = check(section);
        if (!problems.isEmpty()) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "transports.mail in gateway.yaml has " + problems.size() + " problem(s)",
                    problems.stream().map(p -> p.key() + ": " + p.message()).toList());
        }
        return new MailSettings(
                section.get("host").trim(),
                Integer.parseInt(section.get("port").trim()),
                Security.valueOf(section.get("security").trim().toUpperCase(java.util.Locale.ROOT)),
                section.get("from").trim(),
                optional(section, "username"),
                optional(section, "password_env"),
                optional(section, "trust_anchors"),
                Duration.ofSeconds(optional(section, "timeout_seconds")
                        .map(Integer::parseInt)
                        .orElse(DEFAULT_TIMEOUT_SECONDS)));
    }

    /** Every wrong, missing or unknown key of {@code section}, in key order. */
    static List<OptionProblem> check(Map<String, String> section) {
        List<OptionProblem> problems = new ArrayList<>();
        for (String key : new TreeSet<>(section.keySet())) {
            if (!KEYS.contains(key)) {
                problems.add(new OptionProblem(
                        key,
                        "'" + key + "' is not a setting of the mail transport" + " (expected: "
                                + String.join(", ", new TreeSet<>(KEYS)) + ")",
                        "remove it or correct its name"));
            }
        }
        String host = value(section, "host");
        if (host == null) {
            problems.add(missing("host", "the SMTP relay's host name, such as smtp.example.fr"));
        } else if (host.length() > 253 || !HOST.matcher(host).matches()) {
            problems.add(new OptionProblem(
                    "host",
                    "host is not a host name or an IP address (expected: such as" + " smtp.example.fr)",
                    "write the relay's host name as its certificate names it"));
        }
        String port = value(section, "port");
        if (port == null) {
            problems.add(missing("port", "the relay's port: 587 for starttls, 465 for tls"));
        } else if (!inRange(port, 1, 65535)) {
            problems.add(new OptionProblem(
                    "port",
                    "port '" + shown(port) + "' is not a port number (expected: 1-65535)",
                    "write the relay's port: 587 for starttls, 465 for tls"));
        }
        String security = value(section, "security");
        if (security == null) {
            problems.add(missing("security", "starttls or tls: TLS is required to the relay"));
        } else if (!security.equals("starttls") && !security.equals("tls")) {
            problems.add(new OptionProblem(
                    "security",
                    "security '" + shown(security) + "' is not allowed: TLS is"
                            + " required to the relay (expected: starttls or tls)",
                    "write starttls (port 587) or tls (implicit TLS, port 465)"));
        }
        String from = value(section, "from");
        if (from == null) {
            problems.add(missing("from", "the gateway's sender address, such as passerelle@example.fr"));
        } else if (!MailAddresses.isPlausible(from)) {
            problems.add(new OptionProblem(
                    "from",
                    "from is not an e-mail address (expected: local-part@domain," + " such as passerelle@example.fr)",
                    "write the gateway's sender address"));
        }
        String username = value(section, "username");
        String passwordEnv = value(section, "password_env");
        if (passwordEnv != null && !ENV_NAME.matcher(passwordEnv).matches()) {
            problems.add(new OptionProblem(
                    "password_env",
                    "password_env is not the name of an environment variable"
                            + " (expected: letters, digits and _, such as GATEWAY_SMTP_PASSWORD)",
                    "write the variable's name, never the password itself"));
        }
        if (username != null && passwordEnv == null) {
            problems.add(new OptionProblem(
                    "password_env",
                    "username is set but password_env is not (expected:"
                            + " both, or neither for a relay that wants no authentication)",
                    "name the environment variable that holds the SMTP password"));
        } else if (username == null && passwordEnv != null) {
            problems.add(new OptionProblem(
                    "username",
                    "password_env is set but username is not (expected: both,"
                            + " or neither for a relay that wants no authentication)",
                    "write the SMTP user name"));
        }
        String timeout = value(section, "timeout_seconds");
        if (timeout != null && !inRange(timeout, 1, 300)) {
            problems.add(new OptionProblem(
                    "timeout_seconds",
                    "timeout_seconds '" + shown(timeout) + "' is out of range (expected: 1-300)",
                    "write a number of seconds, 30 by default"));
        }
        if (section.containsKey("trust_anchors") && value(section, "trust_anchors") == null) {
            problems.add(new OptionProblem(
                    "trust_anchors",
                    "trust_anchors is empty (expected: a PEM file of the"
                            + " relay's CA certificates, relative to gateway.yaml)",
                    "name the file, or remove the key to use the JDK's trust store"));
        }
        return List.copyOf(problems);
    }

    private static OptionProblem missing(String key, String expected) {
        return new OptionProblem(
                key, key + " is missing (expected: " + expected + ")", "add " + key + " under transports.mail");
    }

    private static String value(Map<String, String> section, String key) {
        String value = section.get(key);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static Optional<String> optional(Map<String, String> section, String key) {
        return Optional.ofNullable(value(section, key));
    }

    private static boolean inRange(String text, int min, int max) {
        if (!text.matches("[0-9]{1,6}")) {
            return false;
        }
        int value = Integer.parseInt(text);
        return value >= min && value <= max;
    }

    /** A bad value shown in a message, cut short: it is configuration, not personal data, but may be long. */
    private static String shown(String value) {
        String printable = value.replaceAll("[^\\x20-\\x7E]", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "..." : printable;
    }

    @Override
    public String toString() {
        return "MailSettings[" + host + ":" + port + ", " + security.name().toLowerCase(java.util.Locale.ROOT)
                + (username.isPresent() ? ", authenticated" : "") + ", timeout " + timeout.toSeconds() + " s]";
    }
}
