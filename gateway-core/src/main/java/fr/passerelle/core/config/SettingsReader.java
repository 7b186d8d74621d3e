package fr.passerelle.core.config;

import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.config.model.GatewaySettings.AuditSettings;
import fr.passerelle.core.config.model.GatewaySettings.DatabaseSettings;
import fr.passerelle.core.config.model.GatewaySettings.DeliverySettings;
import fr.passerelle.core.config.model.GatewaySettings.Limits;
import fr.passerelle.core.config.model.GatewaySettings.ManagementSettings;
import fr.passerelle.core.config.model.GatewaySettings.ReceiptLinkSettings;
import fr.passerelle.core.config.model.QuotaOverrides;
import fr.passerelle.core.config.model.Retention;
import fr.passerelle.core.crypto.KeyLocation;
import fr.passerelle.core.crypto.Pkcs11Token;
import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.core.spi.TransportProvider;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Reads {@code gateway.yaml} into {@link GatewaySettings}, then applies the {@code GATEWAY_*} overrides. */
final class SettingsReader {
    private static final ConfigSchema SCHEMA = ConfigSchema.named("gateway");
    private static final String JDBC_PREFIX = "jdbc:postgresql:";
    /** A listen address: an IPv4 or IPv6 literal or a host name, nothing a shell or a URL would split. */
    private static final java.util.regex.Pattern LISTEN_ADDRESS =
            java.util.regex.Pattern.compile("[A-Za-z0-9._:%\\[\\]-]{1,253}");

    private final YamlNode root;
    private final Path dir;
    private final Map<String, String> env;
    private final Function<String, Optional<TransportProvider>> transport;
    /** The paths of the nodes that broke the schema: reported, and read as left out. */
    private final Set<String> invalid;

    private boolean complete;
    /** The {@code pkcs11:} token, once a key setting has named a key in it. */
    private final Map<String, Optional<Pkcs11Token>> tokens = new java.util.HashMap<>();

    private SettingsReader(
            YamlNode root,
            Map<String, String> env,
            Function<String, Optional<TransportProvider>> transport,
            Set<String> invalid) {
        this.root = root;
        this.invalid = invalid;
        this.complete = invalid.isEmpty();
        this.transport = transport;
        this.dir = root.file().toAbsolutePath().getParent();
        this.env = env;
    }

    /** @return the settings, or empty when an error was reported */
    static Optional<GatewaySettings> read(
            YamlFile file,
            Map<String, String> env,
            Problems problems,
            Function<String, Optional<TransportProvider>> transport) {
        YamlNode root = YamlNode.root(file, problems);
        if (!root.requireObject("keys such as server:, pki:, data_dir:")) {
            return Optional.empty();
        }
        return new SettingsReader(root, env, transport, SCHEMA.validate(root)).settings();
    }

    private Optional<GatewaySettings> settings() {
        String host = overrideHost("GATEWAY_HOST", "server.host", "server");
        int port = overridePort(node("server.port"), number("server.port"));
        Limits limits = limits();

        Path pkiDir = overridePath(
                "GATEWAY_PKI_DIR",
                node("pki.dir").flatMap(this::path),
                "folder path (expected: a path such as /etc/passerelle/pki)");
        Path certificate = tlsPath("tls.certificate", pkiDir, "gateway-tls.pem");
        KeyLocation key = keyLocation("tls.key", pkiDir, "gateway-tls-key.pem");
        Path clientCa = tlsPath("tls.client_ca", pkiDir, "ca.pem");
        Path signingCertificate = tlsPath("signing.certificate", pkiDir, "gateway-signing.pem");
        KeyLocation signingKey = keyLocation("signing.key", pkiDir, "gateway-signing-key.pem");

        DatabaseSettings database = database();
        Optional<Path> dataDir = node("data_dir").flatMap(this::path);
        Path masterKeys = overridePath(
                "GATEWAY_MASTER_KEYS",
                node("keys.file")
                        .flatMap(this::path)
                        .or(() -> dataDir.map(d -> d.resolve("keys").resolve("master.keys"))),
                "file path (expected: a path" + " such as /etc/passerelle/keys/master.keys)");
        Path purgeLog = overridePath(
                "GATEWAY_PURGE_LOG",
                node("keys.purge_log").flatMap(this::path),
                "file path (expected: a path such as /var/lib/passerelle/purge/purge.log)");
        Optional<Retention> retention = ok(RetentionReader.read(node("retention")));
        AuditSettings audit = new AuditSettings(Duration.ofMillis(number("audit.max_merge_delay_ms")));
        Map<String, Map<String, String>> transportSettings = transports(node("transports"));
        DeliverySettings delivery = delivery();
        Optional<ReceiptLinkSettings> receiptLinks = receiptLinks(node("receipt_links"));
        GatewaySettings.StatsSettings stats = new GatewaySettings.StatsSettings(number("stats.min_group"));
        Duration versionPoll = Duration.ofMillis(number("versions.poll_millis"));
        GatewaySettings.LogSettings logging = logging();
        Optional<ManagementSettings> management = management();

        if (!complete || pkiDir == null || dataDir.isEmpty() || masterKeys == null) {
            return Optional.empty();
        }
        return Optional.of(new GatewaySettings(
                root.file().toAbsolutePath().normalize(),
                host,
                port,
                pkiDir,
                certificate,
                key,
                clientCa,
                database,
                dataDir.get(),
                retention.get(),
                limits,
                signingCertificate,
                signingKey,
                masterKeys,
                audit,
                transportSettings,
                delivery,
                receiptLinks,
                stats,
                versionPoll,
                logging,
                management,
                purgeLog != null ? purgeLog : GatewaySettings.defaultPurgeLog(masterKeys),
                revocation()));
    }

    /** {@code revocation:}, whose mode the schema checked: {@code soft-fail} is {@code SOFT_FAIL}. */
    private GatewaySettings.RevocationSettings revocation() {
        String mode = text("revocation.mode")
                .orElseGet(() -> SCHEMA.defaultOf("revocation.mode").asText());
        return new GatewaySettings.RevocationSettings(
                GatewaySettings.RevocationSettings.Mode.valueOf(
                        mode.replace('-', '_').toUpperCase(java.util.Locale.ROOT)),
                Duration.ofSeconds(number("revocation.cache_seconds")),
                Duration.ofSeconds(number("revocation.timeout_seconds")));
    }

    /**
     * {@code management:}, then {@code GATEWAY_MANAGEMENT_HOST} and {@code GATEWAY_MANAGEMENT_PORT}, which win over
     * it; both are checked even when the listener is off, so that a mistake shows before someone turns it on.
     */
    private Optional<ManagementSettings> management() {
        String host = overrideHost("GATEWAY_MANAGEMENT_HOST", "management.host", "management");
        int port = overridePort("GATEWAY_MANAGEMENT_PORT", node("management.port"), number("management.port"));
        boolean enabled = node("management.enabled")
                .map(n -> n.value().asBoolean())
                .orElseGet(() -> SCHEMA.defaultOf("management.enabled").asBoolean());
        return enabled ? Optional.of(new ManagementSettings(host, port)) : Optional.empty();
    }

    /**
     * The listen address at {@code key} ({@code server.host}), or its default, then {@code variable}, which wins over
     * it: a container listens on every interface ({@code 0.0.0.0}) where the same file on a host keeps loopback.
     */
    private String overrideHost(String variable, String key, String section) {
        String host = text(key).orElse(SCHEMA.defaultOf(key).asText());
        String value = env.get(variable);
        if (value == null) {
            return host;
        }
        if (LISTEN_ADDRESS.matcher(value.strip()).matches()) {
            return value.strip();
        }
        envError(
                node(key).or(() -> node(section)).map(YamlNode::line).orElse(0),
                variable + " is '" + shown(value) + "' (expected: a listen address such as 127.0.0.1, 0.0.0.0 or"
                        + " 10.0.0.5)",
                "set it to an address of this machine (0.0.0.0: every interface), or unset it to use " + key);
        return host;
    }

    /** A variable's value as an error may show it: short, without control characters. */
    private static String shown(String value) {
        String shown = value.length() > 12 ? value.substring(0, 12) + "…" : value;
        return shown.replaceAll("\\p{Cntrl}", "?");
    }

    /** {@code logging:}, then {@code GATEWAY_LOG_LEVEL} and {@code GATEWAY_LOG_FORMAT}, which win over it. */
    private GatewaySettings.LogSettings logging() {
        return new GatewaySettings.LogSettings(
                choice(
                        "GATEWAY_LOG_LEVEL",
                        "logging.level",
                        GatewaySettings.LogSettings.Level.class,
                        "error, warn, info, debug or trace"),
                choice(
                        "GATEWAY_LOG_FORMAT",
                        "logging.format",
                        GatewaySettings.LogSettings.Format.class,
                        "text or json"));
    }

    /** An enum's constant from a variable, else the file (checked by the schema), else the schema's default. */
    private <E extends Enum<E>> E choice(String variable, String path, Class<E> type, String expected) {
        String fromFile = text(path).orElseGet(() -> SCHEMA.defaultOf(path).asText());
        String value = env.get(variable);
        if (value != null) {
            try {
                return Enum.valueOf(type, value.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                envError(
                        node(path).map(YamlNode::line).orElse(0),
                        variable + " is '" + shown(value) + "' (expected: " + expected + ")",
                        "set it to " + expected + ", or unset it to use the file's setting");
            }
        }
        try {
            return Enum.valueOf(type, fromFile.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            // The schema reported it; the default keeps the rest of the check going.
            return Enum.valueOf(type, SCHEMA.defaultOf(path).asText().toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** {@code server:} and {@code limits:}; the quotas by kind are read as a partner's are. */
    private Limits limits() {
        GatewaySettings.Quotas quotas = new GatewaySettings.Quotas(
                number("limits.submissions_per_second"),
                number("limits.submission_burst"),
                number("limits.requests_per_second"),
                number("limits.request_burst"),
                number("limits.submissions_per_day"));
        Map<PartnerKind, QuotaOverrides> quotasByKind = ok(node("limits.by_kind")
                        .map(QuotaReader::byKind)
                        .orElse(Optional.of(Map.of())))
                .orElse(Map.of());
        int maxConnections = number("limits.max_connections");
        Optional<YamlNode> perAddressNode = node("limits.max_connections_per_address");
        int maxConnectionsPerAddress = perAddressNode.isPresent()
                ? number("limits.max_connections_per_address")
                : Math.min(number("limits.max_connections_per_address"), maxConnections);
        if (maxConnectionsPerAddress > maxConnections) {
            perAddressNode
                    .orElseThrow()
                    .error(
                            "'limits.max_connections_per_address' (" + maxConnectionsPerAddress + ") is above"
                                    + " 'limits.max_connections' (" + maxConnections + ")",
                            "make max_connections_per_address at most max_connections");
            complete = false;
            maxConnectionsPerAddress = maxConnections;
        }
        return new Limits(
                number("server.max_body_bytes"),
                Duration.ofSeconds(number("server.idle_timeout_seconds")),
                number("server.workers"),
                quotas,
                new GatewaySettings.ConnectionCaps(maxConnections, maxConnectionsPerAddress),
                quotasByKind);
    }

    private DeliverySettings delivery() {
        DeliverySettings delivery = new DeliverySettings(
                number("delivery.senders"),
                Duration.ofMillis(number("delivery.poll_millis")),
                Duration.ofSeconds(number("delivery.lease_seconds")),
                Duration.ofSeconds(number("delivery.first_retry_seconds")),
                Duration.ofSeconds(number("delivery.max_retry_seconds")),
                number("delivery.max_attempts"),
                Duration.ofHours(number("delivery.max_age_hours")),
                number("delivery.breaker_failures"),
                Duration.ofSeconds(number("delivery.breaker_pause_seconds")));
        if (delivery.maxRetry().compareTo(delivery.firstRetry()) < 0) {
            node("delivery")
                    .orElseThrow()
                    .error(
                            "'delivery.max_retry_seconds' is below" + " 'delivery.first_retry_seconds'",
                            "make max_retry_seconds at least first_retry_seconds");
            complete = false;
        }
        return delivery;
    }

    /** {@code transports:}: one section per transport id, each checked by its provider. */
    private Map<String, Map<String, String>> transports(Optional<YamlNode> node) {
        Map<String, Map<String, String>> settings = new java.util.TreeMap<>();
        if (node.isEmpty()) {
            return settings;
        }
        for (java.util.Iterator<String> ids = node.get().value().fieldNames(); ids.hasNext(); ) {
            String id = ids.next();
            Optional<YamlNode> section = node.get().field(id);
            if (section.isEmpty()) {
                continue;
            }
            Optional<TransportProvider> provider = transport.apply(id);
            if (id.equals(TransportProvider.INBOX) || provider.isEmpty()) {
                section.get()
                        .error(
                                "no transport '" + id + "' takes settings"
                                        + (id.equals(TransportProvider.INBOX) ? " (the pull inbox has none)" : ""),
                                "remove the section, or correct its name (https, mail)");
                complete = false;
                continue;
            }
            Optional<Map<String, String>> options = TransportOptions.read(section.get(), Set.of())
                    .map(read -> id.equals("mail") ? mailOverrides(read) : read);
            if (ok(options).isPresent()
                    && ok(TransportOptions.report(
                            section.get(), provider.get().checkSettings(options.get()), provider.get()))) {
                settings.put(id, options.get());
            }
        }
        if (node.get().field("mail").isEmpty() && (env.containsKey(MAIL_HOST) || env.containsKey(MAIL_PORT))) {
            envError(
                    node.get().line(),
                    MAIL_HOST + " or " + MAIL_PORT + " is set, but gateway.yaml has no transports.mail section",
                    "add transports: mail: (security, from, and the relay's host and port) to gateway.yaml");
        }
        return settings;
    }

    /**
     * {@code GATEWAY_MAIL_HOST} and {@code GATEWAY_MAIL_PORT} in place of {@code transports.mail}'s host and port:
     * the mail relay is where a deployment is; the mail transport checks the values as it checks the file's.
     */
    private Map<String, String> mailOverrides(Map<String, String> options) {
        Map<String, String> overridden = new java.util.LinkedHashMap<>(options);
        Optional.ofNullable(env.get(MAIL_HOST)).map(String::strip).ifPresent(host -> overridden.put("host", host));
        Optional.ofNullable(env.get(MAIL_PORT)).ifPresent(port -> {
            int line = node("transports.mail").map(YamlNode::line).orElse(0);
            int number = overridePort(MAIL_PORT, node("transports.mail"), -1);
            if (number > 0) {
                overridden.put("port", Integer.toString(number));
            } else if (number == 0) {
                envError(line, MAIL_PORT + " is 0 (expected: the relay's port, such as 465 or 587)", "set it");
            }
        });
        return overridden;
    }

    private Optional<ReceiptLinkSettings> receiptLinks(Optional<YamlNode> section) {
        if (section.isEmpty()) {
            return Optional.empty();
        }
        String host = overrideHost("GATEWAY_RECEIPT_LINKS_HOST", "receipt_links.host", "receipt_links");
        int port = overridePort("GATEWAY_RECEIPT_LINKS_PORT", node("receipt_links.port"), number("receipt_links.port"));
        Optional<YamlNode> urlNode = node("receipt_links.public_url");
        String fromEnv = env.get(PUBLIC_URL);
        Optional<String> url = fromEnv != null
                ? Optional.of(fromEnv.strip()).filter(u -> !u.isEmpty())
                : urlNode.flatMap(this::nonBlank);
        String example = "https://passerelle.example.fr:"
                + SCHEMA.defaultOf("receipt_links.port").asInt();
        if (url.isPresent() && !url.get().matches("https://[^/?#@\\s]+(/[^?#\\s]*)?")) {
            if (fromEnv != null) {
                envError(
                        urlNode.or(() -> section).map(YamlNode::line).orElse(0),
                        PUBLIC_URL + " is not an https:// URL without query or fragment",
                        "set it to the address association staff's browsers reach, such as " + example
                                + ", or unset it to use the file's setting");
            } else {
                urlNode.get()
                        .error(
                                "'receipt_links.public_url' is not an https:// URL without query or fragment",
                                "write the address association staff's browsers reach, such as " + example);
                complete = false;
            }
            return Optional.empty();
        }
        return Optional.of(new ReceiptLinkSettings(
                host,
                port,
                url.map(u -> u.replaceAll("/+$", "")),
                Duration.ofDays(number("receipt_links.valid_days"))));
    }

    /** {@code database:}; its url's form is the schema's to check, the environment's the reader's. */
    private DatabaseSettings database() {
        Optional<String> url = node("database.url").flatMap(n -> ok(n.text())).filter(u -> !u.isBlank());
        Optional<String> user = node("database.user").flatMap(n -> ok(n.text())).filter(u -> !u.isBlank());
        Optional<String> password =
                node("database.password").flatMap(n -> ok(n.text())).filter(p -> !p.isEmpty());
        int pool = number("database.max_pool_size");

        Optional<YamlNode> section = node("database");
        int line = section.map(YamlNode::line).orElse(0);
        if (env.containsKey("GATEWAY_DATABASE_URL")) {
            String value = env.get("GATEWAY_DATABASE_URL");
            if (value.isBlank()) {
                url = Optional.empty();
            } else if (value.startsWith(JDBC_PREFIX)) {
                url = Optional.of(value);
            } else {
                envError(
                        line,
                        "GATEWAY_DATABASE_URL is not a PostgreSQL JDBC URL (expected: " + JDBC_PREFIX
                                + "//host:5432/database)",
                        "set it to a jdbc:postgresql: URL, or to an empty value for the" + " embedded database");
            }
        }
        if (env.containsKey("GATEWAY_DATABASE_USER")) {
            String value = env.get("GATEWAY_DATABASE_USER");
            if (value.isBlank() || !value.strip().equals(value)) {
                envError(
                        line,
                        "GATEWAY_DATABASE_USER is blank or has surrounding spaces (expected: a database"
                                + " role name)",
                        "set it to the role name, or unset it to use database.user");
            } else {
                user = Optional.of(value);
            }
        }
        if (env.containsKey("GATEWAY_DATABASE_PASSWORD")) {
            String value = env.get("GATEWAY_DATABASE_PASSWORD");
            password = value.isEmpty() ? Optional.empty() : Optional.of(value);
        }
        return new DatabaseSettings(url, user, password, pool);
    }

    private int overridePort(Optional<YamlNode> node, int fromFile) {
        return overridePort("GATEWAY_PORT", node, fromFile);
    }

    private int overridePort(String variable, Optional<YamlNode> node, int fromFile) {
        String value = env.get(variable);
        if (value == null) {
            return fromFile;
        }
        try {
            int port = Integer.parseInt(value.strip());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below, like a number out of range
        }
        envError(
                node.map(YamlNode::line).orElse(0),
                variable + " is '" + shown(value) + "' (expected: a port number 0-65535)",
                "set it to a number from 0 to 65535, or unset it");
        return fromFile;
    }

    private Path overridePath(String variable, Optional<Path> fromFile, String expected) {
        String value = env.get(variable);
        if (value == null) {
            return fromFile.orElse(null);
        }
        try {
            if (!value.isBlank()) {
                // Relative to where the gateway was started, as a shell user expects of a variable.
                return Path.of(value).toAbsolutePath().normalize();
            }
        } catch (InvalidPathException e) {
            // reported below
        }
        envError(
                0,
                variable + " is not a usable " + expected,
                "set it to the " + expected.substring(0, expected.indexOf(' '))
                        + ", or unset it to use the file's setting");
        return fromFile.orElse(null);
    }

    /** A path of a section ({@code tls.key}, {@code signing.key}), or its default inside the PKI folder. */
    private Path tlsPath(String key, Path pkiDir, String defaultName) {
        Optional<Path> configured = node(key).flatMap(this::path);
        if (configured.isPresent()) {
            return configured.get();
        }
        return pkiDir == null ? null : pkiDir.resolve(defaultName);
    }

    /**
     * A key setting ({@code tls.key}): a {@code pkcs11:} URI naming a key in the token of {@code pkcs11:}, else a
     * path as {@link #tlsPath} reads it; null when an error was reported.
     */
    private KeyLocation keyLocation(String key, Path pkiDir, String defaultName) {
        Optional<YamlNode> node = node(key).filter(n -> n.value().isTextual());
        if (node.isEmpty() || !node.get().value().asText().startsWith(KeyLocation.InToken.SCHEME)) {
            Path file = tlsPath(key, pkiDir, defaultName);
            return file == null ? null : new KeyLocation.InFile(file);
        }
        try {
            String object = KeyLocation.InToken.objectOf(node.get().value().asText());
            // Read once, for whichever key names it first: its errors are reported once.
            return tokens.computeIfAbsent("pkcs11", section -> pkcs11Token(key, node.get()))
                    .map(token -> new KeyLocation.InToken(token, object))
                    .orElse(null);
        } catch (IllegalArgumentException e) {
            node.get()
                    .error(
                            "'" + key + "': " + e.getMessage(),
                            "write pkcs11:object=<label>, such as"
                                    + " pkcs11:object=gateway-tls, or the path of a PEM key file");
            complete = false;
            return null;
        }
    }

    /**
     * {@code pkcs11:}, with the PIN from {@code GATEWAY_PKCS11_PIN}, for the key setting {@code key} that names a
     * key in a token; empty when an error was reported.
     */
    private Optional<Pkcs11Token> pkcs11Token(String key, YamlNode user) {
        Optional<YamlNode> section = node("pkcs11");
        if (section.isEmpty()) {
            user.error(
                    "'" + key + "' names a key in a PKCS#11 token, but gateway.yaml has no pkcs11: section",
                    "add pkcs11: with library: (such as /usr/lib/softhsm/libsofthsm2.so) and slot: or slot_index:");
            complete = false;
            return Optional.empty();
        }
        Optional<Path> library = node("pkcs11.library").flatMap(this::path);
        Optional<YamlNode> slot = node("pkcs11.slot");
        Optional<YamlNode> slotIndex = node("pkcs11.slot_index");
        if (slot.isPresent() && slotIndex.isPresent()) {
            section.get().error("pkcs11: has both slot and slot_index", "keep one of them");
            complete = false;
        }
        if (library.isPresent() && !java.nio.file.Files.isRegularFile(library.get())) {
            node("pkcs11.library")
                    .orElseThrow()
                    .error(
                            "'pkcs11.library' " + library.get() + " does not exist",
                            "install the token's PKCS#11 module and write its path, such as"
                                    + " /usr/lib/softhsm/libsofthsm2.so");
            complete = false;
        }
        String pin = env.get(Pkcs11Token.PIN_VARIABLE);
        if (pin == null || pin.isEmpty()) {
            envError(
                    section.get().line(),
                    Pkcs11Token.PIN_VARIABLE + " is not set (expected: the user PIN of the token that pkcs11: names)",
                    "set it in the gateway's environment, from a secret; the PIN never goes in gateway.yaml");
        }
        if (!complete || library.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Pkcs11Token(
                library.get(),
                slot.map(n -> java.util.OptionalLong.of(n.value().asLong())).orElse(java.util.OptionalLong.empty()),
                number("pkcs11.slot_index"),
                pin));
    }

    /**
     * The node at {@code path} ({@code delivery.senders}); empty when the key is left out, has no value or broke
     * the schema (already reported).
     */
    private Optional<YamlNode> node(String path) {
        if (invalid.contains(path)) {
            return Optional.empty();
        }
        Optional<YamlNode> node = Optional.of(root);
        for (String key : path.split("\\.")) {
            node = node.flatMap(n -> n.field(key));
        }
        return node;
    }

    /** The whole number at {@code path}, or the schema's default when it is left out or invalid. */
    private int number(String path) {
        return node(path).map(n -> n.value().asInt()).orElseGet(() -> SCHEMA.defaultOf(path)
                .asInt());
    }

    private Optional<String> text(String path) {
        return node(path).flatMap(this::nonBlank);
    }

    private Optional<String> nonBlank(YamlNode node) {
        Optional<String> text = ok(node.text());
        if (text.isPresent() && text.get().isBlank()) {
            node.error(node.name() + " is empty", "write a value or remove the key to use the default");
            complete = false;
            return Optional.empty();
        }
        return text;
    }

    /** A path from the file, relative to the folder of gateway.yaml. */
    private Optional<Path> path(YamlNode node) {
        Optional<String> text = nonBlank(node);
        try {
            return text.map(t -> dir.resolve(t).normalize());
        } catch (InvalidPathException e) {
            node.error(node.name() + " is not a valid path", "write a folder path, relative to " + dir);
            complete = false;
            return Optional.empty();
        }
    }

    /** Marks the settings incomplete when a read failed: an invalid setting is never replaced by a default. */
    private boolean ok(boolean read) {
        complete &= read;
        return read;
    }

    private <T> Optional<T> ok(Optional<T> read) {
        complete &= read.isPresent();
        return read;
    }

    static final String PUBLIC_URL = "GATEWAY_RECEIPT_LINKS_PUBLIC_URL";
    static final String MAIL_HOST = "GATEWAY_MAIL_HOST";
    static final String MAIL_PORT = "GATEWAY_MAIL_PORT";

    private void envError(int line, String message, String fix) {
        root.errorAt(line, "environment variable " + message, fix);
        complete = false;
    }
}
