package fr.passerelle.core.config;

import fr.passerelle.core.config.model.GatewaySettings.AuditSettings;
import fr.passerelle.core.config.model.GatewaySettings.DatabaseSettings;
import fr.passerelle.core.config.model.GatewaySettings.DeliverySettings;
import fr.passerelle.core.config.model.GatewaySettings.Limits;
import fr.passerelle.core.config.model.GatewaySettings.ReceiptLinkSettings;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.config.model.QuotaOverrides;
import fr.passerelle.core.config.model.Retention;
import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.core.spi.TransportProvider;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/** Reads {@code gateway.yaml} into {@link GatewaySettings}, then applies the {@code GATEWAY_*} overrides. */
final class SettingsReader {
    static final int DEFAULT_PORT = 8443;
    static final int DEFAULT_POOL = 10;
    static final int DEFAULT_RECEIPT_PORT = 8444;
    static final int DEFAULT_RECEIPT_DAYS = 7;
    private static final String JDBC_PREFIX = "jdbc:postgresql:";

    private final YamlNode root;
    private final Path dir;
    private final Map<String, String> env;
    private final Function<String, Optional<TransportProvider>> transport;
    private boolean complete = true;

    private SettingsReader(YamlNode root, Map<String, String> env,
                           Function<String, Optional<TransportProvider>> transport) {
        this.root = root;
        this.transport = transport;
        this.dir = root.file().toAbsolutePath().getParent();
        this.env = env;
    }

    /** @return the settings, or empty when an error was reported */
    static Optional<GatewaySettings> read(YamlFile file, Map<String, String> env, Problems problems,
                                          Function<String, Optional<TransportProvider>> transport) {
        YamlNode root = YamlNode.root(file, problems);
        if (!root.requireObject("keys such as server:, pki:, data_dir:")) {
            return Optional.empty();
        }
        return new SettingsReader(root, env, transport).settings();
    }

    private Optional<GatewaySettings> settings() {
        root.allowKeys(keys("server", "pki", "tls", "signing", "keys", "database", "data_dir", "retention", "audit",
                "transports", "receipt_links", "delivery", "stats", "versions", "limits"));
        Optional<YamlNode> server = section(root.field("server"), "host", "port", "max_body_bytes",
                "idle_timeout_seconds", "workers");
        String host = server.flatMap(s -> s.field("host")).flatMap(this::nonBlank).orElse("127.0.0.1");
        int port = overridePort(server.flatMap(s -> s.field("port")),
                server.flatMap(s -> s.field("port")).flatMap(n -> ok(n.integer(0, 65535, "8443")))
                        .orElse(DEFAULT_PORT));
        Limits defaults = Limits.defaults();
        int maxBody = intOr(server, "max_body_bytes", 1, Integer.MAX_VALUE, defaults.maxBodyBytes());
        int idle = intOr(server, "idle_timeout_seconds", 1, 86_400, (int) defaults.idleTimeout().toSeconds());
        int workers = intOr(server, "workers", 1, 1024, defaults.workers());
        Set<String> limitKeys = new LinkedHashSet<>(QuotaReader.NAMES);
        limitKeys.addAll(List.of("max_connections", "max_connections_per_address", "by_kind"));
        Optional<YamlNode> limits = section(root.field("limits"), limitKeys.toArray(String[]::new));
        GatewaySettings.Quotas quotas = ok(limits.map(QuotaReader::values).orElse(Optional.of(QuotaOverrides.none())))
                .orElse(QuotaOverrides.none()).over(GatewaySettings.Quotas.defaults());
        Map<PartnerKind, QuotaOverrides> quotasByKind = ok(limits.flatMap(l -> l.field("by_kind"))
                .map(QuotaReader::byKind).orElse(Optional.of(Map.of()))).orElse(Map.of());
        int maxConnections = intOr(limits, "max_connections", 1, 1_000_000,
                GatewaySettings.ConnectionCaps.DEFAULT_TOTAL);
        int maxConnectionsPerAddress = intOr(limits, "max_connections_per_address", 1, 1_000_000,
                Math.min(GatewaySettings.ConnectionCaps.DEFAULT_PER_ADDRESS, maxConnections));
        if (maxConnectionsPerAddress > maxConnections) {
            limits.orElseThrow().field("max_connections_per_address").orElseThrow().error(
                    "'limits.max_connections_per_address' (" + maxConnectionsPerAddress + ") is above"
                            + " 'limits.max_connections' (" + maxConnections + ")",
                    "make max_connections_per_address at most max_connections");
            complete = false;
            maxConnectionsPerAddress = maxConnections;
        }

        Optional<YamlNode> pki = section(root.required("pki", "pki: {dir: ../pki}"), "dir");
        Path pkiDir = overridePath("GATEWAY_PKI_DIR",
                pki.flatMap(p -> p.required("dir", "dir: ../pki")).flatMap(this::path),
                "folder path (expected: a path such as /etc/passerelle/pki)");
        Optional<YamlNode> tls = section(root.field("tls"), "certificate", "key", "client_ca");
        Path certificate = tlsPath(tls, "certificate", pkiDir, "gateway-tls.pem");
        Path key = tlsPath(tls, "key", pkiDir, "gateway-tls-key.pem");
        Path clientCa = tlsPath(tls, "client_ca", pkiDir, "ca.pem");
        Optional<YamlNode> signing = section(root.field("signing"), "certificate", "key");
        Path signingCertificate = tlsPath(signing, "certificate", pkiDir, "gateway-signing.pem");
        Path signingKey = tlsPath(signing, "key", pkiDir, "gateway-signing-key.pem");

        DatabaseSettings database = database(section(root.field("database"), "url", "user", "password",
                "max_pool_size"));
        Optional<Path> dataDir = root.required("data_dir", "data_dir: ../data").flatMap(this::path);
        Optional<YamlNode> keys = section(root.field("keys"), "file");
        Path masterKeys = overridePath("GATEWAY_MASTER_KEYS", keys.flatMap(k -> k.field("file")).flatMap(this::path)
                .or(() -> dataDir.map(d -> d.resolve("keys").resolve("master.keys"))), "file path (expected: a path"
                + " such as /etc/passerelle/keys/master.keys)");
        Optional<Retention> retention = ok(RetentionReader.read(root.field("retention")));

        Optional<YamlNode> audit = section(root.field("audit"), "tree_head_every_entries", "tree_head_every_seconds");
        AuditSettings auditDefaults = AuditSettings.defaults();
        int headEntries = intOr(audit, "tree_head_every_entries", 1, 1_000_000, auditDefaults.treeHeadEveryEntries());
        int headSeconds = intOr(audit, "tree_head_every_seconds", 1, 86_400,
                (int) auditDefaults.treeHeadEvery().toSeconds());

        Map<String, Map<String, String>> transportSettings = transports(root.field("transports"));
        Optional<YamlNode> deliverySection = section(root.field("delivery"), "senders", "poll_millis", "lease_seconds",
                "first_retry_seconds", "max_retry_seconds", "max_attempts", "max_age_hours", "breaker_failures",
                "breaker_pause_seconds");
        DeliverySettings deliveryDefaults = DeliverySettings.defaults();
        DeliverySettings delivery = new DeliverySettings(
                intOr(deliverySection, "senders", 1, 64, deliveryDefaults.senders()),
                Duration.ofMillis(intOr(deliverySection, "poll_millis", 10, 60_000,
                        (int) deliveryDefaults.poll().toMillis())),
                Duration.ofSeconds(intOr(deliverySection, "lease_seconds", 5, 3600,
                        (int) deliveryDefaults.lease().toSeconds())),
                Duration.ofSeconds(intOr(deliverySection, "first_retry_seconds", 1, 3600,
                        (int) deliveryDefaults.firstRetry().toSeconds())),
                Duration.ofSeconds(intOr(deliverySection, "max_retry_seconds", 1, 86_400,
                        (int) deliveryDefaults.maxRetry().toSeconds())),
                intOr(deliverySection, "max_attempts", 1, 100, deliveryDefaults.maxAttempts()),
                Duration.ofHours(intOr(deliverySection, "max_age_hours", 1, 720,
                        (int) deliveryDefaults.maxAge().toHours())),
                intOr(deliverySection, "breaker_failures", 1, 100, deliveryDefaults.breakerFailures()),
                Duration.ofSeconds(intOr(deliverySection, "breaker_pause_seconds", 1, 3600,
                        (int) deliveryDefaults.breakerPause().toSeconds())));
        if (delivery.maxRetry().compareTo(delivery.firstRetry()) < 0) {
            deliverySection.orElseThrow().error("'delivery.max_retry_seconds' is below 'delivery.first_retry_seconds'",
                    "make max_retry_seconds at least first_retry_seconds");
            complete = false;
        }
        Optional<ReceiptLinkSettings> receiptLinks = receiptLinks(section(root.field("receipt_links"), "host", "port",
                "public_url", "valid_days"));

        Optional<YamlNode> statsSection = section(root.field("stats"), "min_group");
        GatewaySettings.StatsSettings stats = new GatewaySettings.StatsSettings(intOr(statsSection, "min_group", 2,
                1000, GatewaySettings.StatsSettings.DEFAULT_MIN_GROUP));
        Optional<YamlNode> versions = section(root.field("versions"), "poll_millis");
        Duration versionPoll = Duration.ofMillis(intOr(versions, "poll_millis", 100, 600_000,
                (int) GatewaySettings.VERSION_POLL.toMillis()));

        if (!complete || pkiDir == null || dataDir.isEmpty() || masterKeys == null) {
            return Optional.empty();
        }
        return Optional.of(new GatewaySettings(root.file().toAbsolutePath().normalize(), host, port, pkiDir,
                certificate, key, clientCa, database, dataDir.get(), retention.get(),
                new Limits(maxBody, Duration.ofSeconds(idle), workers, quotas,
                        new GatewaySettings.ConnectionCaps(maxConnections, maxConnectionsPerAddress), quotasByKind),
                signingCertificate, signingKey, masterKeys,
                new AuditSettings(headEntries, Duration.ofSeconds(headSeconds)), transportSettings, delivery,
                receiptLinks, stats, versionPoll));
    }

    /** {@code transports:}: one section per transport id, each checked by its provider. */
    private Map<String, Map<String, String>> transports(Optional<YamlNode> node) {
        Map<String, Map<String, String>> settings = new java.util.TreeMap<>();
        if (node.isEmpty() || !ok(node.get().requireObject("transports: {mail: {host: ..., port: 587}}"))) {
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
                section.get().error("no transport '" + id + "' takes settings" + (id.equals(TransportProvider.INBOX)
                        ? " (the pull inbox has none)" : ""), "remove the section, or correct its name (https, mail)");
                complete = false;
                continue;
            }
            Optional<Map<String, String>> options = TransportOptions.read(section.get(), Set.of());
            if (ok(options).isPresent()
                    && ok(TransportOptions.report(section.get(), provider.get().checkSettings(options.get()),
                    provider.get()))) {
                settings.put(id, options.get());
            }
        }
        return settings;
    }

    private Optional<ReceiptLinkSettings> receiptLinks(Optional<YamlNode> section) {
        if (section.isEmpty()) {
            return Optional.empty();
        }
        String host = section.flatMap(s -> s.field("host")).flatMap(this::nonBlank).orElse("127.0.0.1");
        int port = overridePort("GATEWAY_RECEIPT_LINKS_PORT", section.flatMap(s -> s.field("port")),
                intOr(section, "port", 0, 65535, DEFAULT_RECEIPT_PORT));
        int days = intOr(section, "valid_days", 1, 90, DEFAULT_RECEIPT_DAYS);
        Optional<YamlNode> urlNode = section.get().field("public_url");
        Optional<String> url = urlNode.flatMap(this::nonBlank);
        if (url.isPresent() && !url.get().matches("https://[^/?#@\\s]+(/[^?#\\s]*)?")) {
            urlNode.get().error("'receipt_links.public_url' is not an https:// URL without query or fragment",
                    "write the address association staff's browsers reach, such as https://passerelle.example.fr:"
                            + DEFAULT_RECEIPT_PORT);
            complete = false;
            return Optional.empty();
        }
        return Optional.of(new ReceiptLinkSettings(host, port, url.map(u -> u.replaceAll("/+$", "")),
                Duration.ofDays(days)));
    }

    private DatabaseSettings database(Optional<YamlNode> section) {
        Optional<YamlNode> urlNode = section.flatMap(s -> s.field("url"));
        Optional<String> url = urlNode.flatMap(n -> ok(n.text())).filter(u -> !u.isBlank());
        url.filter(u -> !u.startsWith(JDBC_PREFIX)).ifPresent(u -> {
            urlNode.get().error("'database.url' is not a PostgreSQL JDBC URL (expected: " + JDBC_PREFIX
                    + "//host:5432/database)", "write a jdbc:postgresql: URL, or leave it empty for the embedded"
                    + " database");
            complete = false;
        });
        Optional<String> user = section.flatMap(s -> s.field("user")).flatMap(n -> ok(n.text()))
                .filter(u -> !u.isBlank());
        Optional<String> password = section.flatMap(s -> s.field("password")).flatMap(n -> ok(n.text()))
                .filter(p -> !p.isEmpty());
        int pool = intOr(section, "max_pool_size", 1, 1000, DEFAULT_POOL);

        int line = section.map(YamlNode::line).orElse(0);
        if (env.containsKey("GATEWAY_DATABASE_URL")) {
            String value = env.get("GATEWAY_DATABASE_URL");
            if (value.isBlank()) {
                url = Optional.empty();
            } else if (value.startsWith(JDBC_PREFIX)) {
                url = Optional.of(value);
            } else {
                envError(line, "GATEWAY_DATABASE_URL is not a PostgreSQL JDBC URL (expected: " + JDBC_PREFIX
                        + "//host:5432/database)", "set it to a jdbc:postgresql: URL, or to an empty value for the"
                        + " embedded database");
            }
        }
        if (env.containsKey("GATEWAY_DATABASE_USER")) {
            String value = env.get("GATEWAY_DATABASE_USER");
            if (value.isBlank() || !value.strip().equals(value)) {
                envError(line, "GATEWAY_DATABASE_USER is blank or has surrounding spaces (expected: a database"
                        + " role name)", "set it to the role name, or unset it to use database.user");
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
        String shown = value.length() > 12 ? value.substring(0, 12) + "…" : value;
        envError(node.map(YamlNode::line).orElse(0), variable + " is '" + shown.replaceAll("\\p{Cntrl}", "?")
                + "' (expected: a port number 0-65535)", "set it to a number from 0 to 65535, or unset it");
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
        envError(0, variable + " is not a usable " + expected, "set it to the " + expected.substring(0,
                expected.indexOf(' ')) + ", or unset it to use the file's setting");
        return fromFile.orElse(null);
    }

    /** A path of a section ({@code tls:}, {@code signing:}), or its default inside the PKI folder. */
    private Path tlsPath(Optional<YamlNode> tls, String key, Path pkiDir, String defaultName) {
        Optional<Path> configured = tls.flatMap(t -> t.field(key)).flatMap(this::path);
        if (configured.isPresent()) {
            return configured.get();
        }
        return pkiDir == null ? null : pkiDir.resolve(defaultName);
    }

    private Optional<YamlNode> section(Optional<YamlNode> node, String... keys) {
        Optional<YamlNode> section = node.filter(n -> ok(n.requireObject("an indented block of keys")));
        section.ifPresent(s -> s.allowKeys(keys(keys)));
        return section;
    }

    private int intOr(Optional<YamlNode> section, String key, long min, long max, int fallback) {
        return section.flatMap(s -> s.field(key)).flatMap(n -> ok(n.integer(min, max, String.valueOf(fallback))))
                .orElse(fallback);
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

    private void envError(int line, String message, String fix) {
        root.errorAt(line, "environment variable " + message, fix);
        complete = false;
    }

    private static Set<String> keys(String... keys) {
        return new LinkedHashSet<>(List.of(keys));
    }
}
