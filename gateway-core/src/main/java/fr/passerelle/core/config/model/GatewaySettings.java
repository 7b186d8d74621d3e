package fr.passerelle.core.config.model;

import fr.passerelle.core.crypto.KeyLocation;
import fr.passerelle.core.partner.PartnerKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code gateway.yaml} says, after environment overrides. Relative paths in the file are resolved against
 * the folder that holds it.
 *
 * @param file           the gateway.yaml this came from
 * @param host           listen address
 * @param port           listen port; 0 picks a free one
 * @param pkiDir         folder of the PKI that {@code pki init} writes
 * @param tlsCertificate the gateway's TLS certificate chain (PEM)
 * @param tlsKey         its private key: a PEM file, or a key in a PKCS#11 token ({@code tls.key: pkcs11:object=…})
 * @param clientCa       trust anchors for partner and admin client certificates (PEM)
 * @param dataDir        the gateway's data folder (the embedded database lives in {@code dataDir/postgres})
 * @param retention      how long the content of referrals is kept, per type, after their end and after their
 *                       submission at most ({@code retention:}; {@link Retention#standard()} for what it leaves out)
 * @param limits         protective limits of the HTTP server
 * @param signingCertificate the certificate chain (PEM) of the key that signs what the gateway sends;
 *                       {@code signing.certificate}, by default {@code <pkiDir>/gateway-signing.pem}
 * @param signingKey     its private key: a PEM file or a key in a PKCS#11 token; {@code signing.key}, by default
 *                       {@code <pkiDir>/gateway-signing-key.pem}
 * @param masterKeys     the key file holding the master keys that protect stored payloads; {@code keys.file}, by
 *                       default {@code <dataDir>/keys/master.keys}; the environment variable
 *                       {@code GATEWAY_MASTER_KEYS} wins over both
 * @param audit          when the gateway signs a new head of its audit log
 * @param transports     the gateway-wide settings of each transport ({@code transports.<id>:}), as text, checked
 *                       by the transport's provider
 * @param delivery       how the delivery worker pushes ({@code delivery:}): senders, polling, lease, retries
 * @param receiptLinks   the public listener of the single-use receipt links that secure mail carries
 *                       ({@code receipt_links:}); required when a partner's transport answers by links
 * @param versionPoll    how often the instance looks for a new configuration version ({@code versions.poll_millis},
 *                       2 s by default)
 * @param logging        the gateway's log lines: level and format ({@code logging:})
 * @param management     the management listener of probes and metrics ({@code management:}); empty when
 *                       {@code management.enabled} is false
 * @param purgeLog       the purge log, outside the database and its backups ({@code keys.purge_log}, by default
 *                       {@code purge.log} beside the master key file; {@code GATEWAY_PURGE_LOG} wins): where the
 *                       master keys are a read-only secret, a writable volume that every instance shares
 * @param revocation     whether and how the revocation of client certificates is checked at the handshake
 *                       ({@code revocation:}; off by default)
 */
public record GatewaySettings(
        Path file,
        String host,
        int port,
        Path pkiDir,
        Path tlsCertificate,
        KeyLocation tlsKey,
        Path clientCa,
        DatabaseSettings database,
        Path dataDir,
        Retention retention,
        Limits limits,
        Path signingCertificate,
        KeyLocation signingKey,
        Path masterKeys,
        AuditSettings audit,
        Map<String, Map<String, String>> transports,
        DeliverySettings delivery,
        Optional<ReceiptLinkSettings> receiptLinks,
        StatsSettings stats,
        Duration versionPoll,
        LogSettings logging,
        Optional<ManagementSettings> management,
        Path purgeLog,
        RevocationSettings revocation) {

    /** How often an instance looks for a new configuration version by default. */
    public static final Duration VERSION_POLL = Duration.ofSeconds(2);

    public GatewaySettings {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(pkiDir, "pkiDir");
        Objects.requireNonNull(tlsCertificate, "tlsCertificate");
        Objects.requireNonNull(tlsKey, "tlsKey");
        Objects.requireNonNull(clientCa, "clientCa");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(signingCertificate, "signingCertificate");
        Objects.requireNonNull(signingKey, "signingKey");
        Objects.requireNonNull(masterKeys, "masterKeys");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(logging, "logging");
        transports = transports.entrySet().stream()
                .collect(java.util.stream.Collectors.toUnmodifiableMap(
                        Map.Entry::getKey, e -> Map.copyOf(e.getValue())));
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(receiptLinks, "receiptLinks");
        Objects.requireNonNull(stats, "stats");
        Objects.requireNonNull(versionPoll, "versionPoll");
        Objects.requireNonNull(management, "management");
        Objects.requireNonNull(purgeLog, "purgeLog");
        Objects.requireNonNull(revocation, "revocation");
    }

    /**
     * Settings with the default {@code stats:} and {@code logging:} sections, polling for configuration versions
     * every {@link #VERSION_POLL}, without a management listener (settings made in code bind no extra port), with
     * both keys in PEM files and no revocation check.
     */
    public GatewaySettings(
            Path file,
            String host,
            int port,
            Path pkiDir,
            Path tlsCertificate,
            Path tlsKey,
            Path clientCa,
            DatabaseSettings database,
            Path dataDir,
            Retention retention,
            Limits limits,
            Path signingCertificate,
            Path signingKey,
            Path masterKeys,
            AuditSettings audit,
            Map<String, Map<String, String>> transports,
            DeliverySettings delivery,
            Optional<ReceiptLinkSettings> receiptLinks) {
        this(
                file,
                host,
                port,
                pkiDir,
                tlsCertificate,
                new KeyLocation.InFile(tlsKey),
                clientCa,
                database,
                dataDir,
                retention,
                limits,
                signingCertificate,
                new KeyLocation.InFile(signingKey),
                masterKeys,
                audit,
                transports,
                delivery,
                receiptLinks,
                StatsSettings.defaults(),
                VERSION_POLL,
                LogSettings.defaults(),
                Optional.empty(),
                defaultPurgeLog(masterKeys),
                RevocationSettings.off());
    }

    /** {@code purge.log} beside the master key file, where {@code keys.purge_log} does not say otherwise. */
    public static Path defaultPurgeLog(Path masterKeys) {
        return masterKeys.toAbsolutePath().resolveSibling("purge.log");
    }

    /**
     * The management listener: {@code /livez}, {@code /readyz} and {@code /metrics} in plain HTTP, without TLS
     * or client certificate, for the load balancer, the orchestrator and the operator's Prometheus. It reveals
     * no configuration, but anyone who reaches it may read the metrics: bind it to the loopback or a private
     * interface only.
     *
     * @param host listen address
     * @param port listen port; 0 picks a free one
     */
    public record ManagementSettings(String host, int port) {
        public ManagementSettings {
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("management port " + port + " (expected: 0-65535)");
            }
        }
    }

    /**
     * The {@code logging:} section, after the {@code GATEWAY_LOG_LEVEL} and {@code GATEWAY_LOG_FORMAT} overrides:
     * the level of the gateway's own log lines, and their format: {@code text} for a person at a terminal,
     * {@code json} (one object per line, UTC ISO-8601 time) for a log collector.
     */
    public record LogSettings(Level level, Format format) {
        public enum Level {
            ERROR,
            WARN,
            INFO,
            DEBUG,
            TRACE
        }

        public enum Format {
            TEXT,
            JSON
        }

        public LogSettings {
            Objects.requireNonNull(level, "level");
            Objects.requireNonNull(format, "format");
        }

        public static LogSettings defaults() {
            return new LogSettings(Level.INFO, Format.TEXT);
        }
    }

    /**
     * The {@code revocation:} section: whether the gateway asks a client certificate's OCSP responder (else its CRL
     * distribution point) if it was revoked, at the TLS handshake of the main API.
     *
     * @param mode     {@code off}: never asked; {@code soft-fail}: a revoked certificate is refused, one whose
     *                 status cannot be obtained is accepted with a warning; {@code hard-fail}: both are refused
     * @param cacheFor how long an answer is kept per certificate, less when the answer says it is valid for less
     * @param timeout  the longest one handshake waits for the answers of its certificates
     */
    public record RevocationSettings(Mode mode, Duration cacheFor, Duration timeout) {
        public enum Mode {
            OFF,
            SOFT_FAIL,
            HARD_FAIL
        }

        public RevocationSettings {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(cacheFor, "cacheFor");
            Objects.requireNonNull(timeout, "timeout");
            if (cacheFor.isNegative()) {
                throw new IllegalArgumentException("revocation cacheFor " + cacheFor + " (expected: 0 or more)");
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("revocation timeout " + timeout + " (expected: more than 0)");
            }
        }

        /** No check, with the schema's defaults for the rest. */
        public static RevocationSettings off() {
            return new RevocationSettings(Mode.OFF, Duration.ofSeconds(300), Duration.ofSeconds(4));
        }
    }

    /**
     * The {@code stats:} section: statistics for the prefect's evaluation show no group of fewer than
     * {@code minGroup} referrals ({@code min_group}, 5 by default).
     */
    public record StatsSettings(int minGroup) {
        public static final int DEFAULT_MIN_GROUP = 5;

        public StatsSettings {
            if (minGroup < 2 || minGroup > 1000) {
                throw new IllegalArgumentException("minGroup " + minGroup + " (expected: 2-1000)");
            }
        }

        public static StatsSettings defaults() {
            return new StatsSettings(DEFAULT_MIN_GROUP);
        }
    }

    /**
     * How pushed deliveries leave: {@code senders} at once, the outbox polled every {@code poll} (and at once
     * when a referral is stored), each claim held for {@code lease} (longer than any transport's timeout: a claim
     * of an instance that died is taken over when it ends), failures retried from {@code firstRetry}, doubling up
     * to {@code maxRetry}, until {@code maxAttempts} attempts or {@code maxAge}; a partner entry may lower or raise
     * the last two. A partner whose last {@code breakerFailures} attempts all failed is left alone for
     * {@code breakerPause} on this instance (its circuit breaker opens), so that it does not hold the senders.
     */
    public record DeliverySettings(
            int senders,
            Duration poll,
            Duration lease,
            Duration firstRetry,
            Duration maxRetry,
            int maxAttempts,
            Duration maxAge,
            int breakerFailures,
            Duration breakerPause) {
        public DeliverySettings {
            Objects.requireNonNull(poll, "poll");
            Objects.requireNonNull(lease, "lease");
            Objects.requireNonNull(firstRetry, "firstRetry");
            Objects.requireNonNull(maxRetry, "maxRetry");
            Objects.requireNonNull(maxAge, "maxAge");
            Objects.requireNonNull(breakerPause, "breakerPause");
            if (breakerFailures < 1 || breakerFailures > 100) {
                throw new IllegalArgumentException("breakerFailures " + breakerFailures + " (expected: 1-100)");
            }
            if (breakerPause.isNegative() || breakerPause.isZero()) {
                throw new IllegalArgumentException("breakerPause " + breakerPause + " (expected: more than zero)");
            }
        }

        /** The settings without a circuit breaker of their own: the default one (5 failures, 60 s). */
        public DeliverySettings(
                int senders,
                Duration poll,
                Duration lease,
                Duration firstRetry,
                Duration maxRetry,
                int maxAttempts,
                Duration maxAge) {
            this(
                    senders,
                    poll,
                    lease,
                    firstRetry,
                    maxRetry,
                    maxAttempts,
                    maxAge,
                    DEFAULT_BREAKER_FAILURES,
                    DEFAULT_BREAKER_PAUSE);
        }

        private static final int DEFAULT_BREAKER_FAILURES = 5;
        private static final Duration DEFAULT_BREAKER_PAUSE = Duration.ofSeconds(60);

        public static DeliverySettings defaults() {
            return new DeliverySettings(
                    4,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(360),
                    Duration.ofSeconds(5),
                    Duration.ofHours(1),
                    20,
                    Duration.ofHours(48),
                    DEFAULT_BREAKER_FAILURES,
                    DEFAULT_BREAKER_PAUSE);
        }
    }

    /** Shows which transports have settings, not the settings: one may name a secret's variable or a relay. */
    @Override
    public String toString() {
        return "GatewaySettings[file=" + file + ", host=" + host + ", port=" + port + ", database=" + database
                + ", dataDir=" + dataDir + ", transports=" + transports.keySet() + ", receiptLinks=" + receiptLinks
                + ", management=" + management + "]";
    }

    /**
     * The public listener of single-use receipt links: TLS with the gateway's server certificate, no client
     * certificate asked, since association staff open the links in a browser.
     *
     * @param host      listen address
     * @param port      listen port; 0 picks a free one
     * @param publicUrl what the links in mails start with ({@code https://host:port}), as the staff's browsers
     *                  reach the listener (through a reverse proxy, perhaps); empty for
     *                  {@code https://localhost:<port>}, for a gateway tried on one machine
     * @param validity  how long a link works after the referral was sealed
     */
    public record ReceiptLinkSettings(String host, int port, Optional<String> publicUrl, Duration validity) {
        public ReceiptLinkSettings {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(publicUrl, "publicUrl");
            Objects.requireNonNull(validity, "validity");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " (expected: 0-65535)");
            }
        }
    }

    /**
     * The audit log's promise: every entry is covered by a signed tree head within {@code maxMergeDelay} of when it
     * was appended. The sequencer runs every tenth of it, at least every second.
     */
    public record AuditSettings(Duration maxMergeDelay) {
        public AuditSettings {
            Objects.requireNonNull(maxMergeDelay, "maxMergeDelay");
            if (maxMergeDelay.compareTo(Duration.ofMillis(100)) < 0
                    || maxMergeDelay.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException(
                        "maxMergeDelay " + maxMergeDelay.toMillis() + " ms (expected: 100 to 3600000)");
            }
        }

        public static AuditSettings defaults() {
            return new AuditSettings(Duration.ofSeconds(1));
        }
    }

    /**
     * Where the database is. An empty url means: start the embedded PostgreSQL in {@code dataDir/postgres}.
     * The password never appears in {@link #toString()}, nor in the message of a refused url.
     *
     * @throws IllegalArgumentException when the url is not a PostgreSQL JDBC url or the pool holds no connection,
     *                                  naming the gateway.yaml key
     */
    public record DatabaseSettings(
            Optional<String> url, Optional<String> user, Optional<String> password, int maxPoolSize) {
        private static final String JDBC_PREFIX = "jdbc:postgresql:";

        public DatabaseSettings {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
            url.filter(u -> !u.startsWith(JDBC_PREFIX)).ifPresent(u -> {
                throw new IllegalArgumentException("database.url '" + maskUrl(u) + "' is not a PostgreSQL JDBC url"
                        + " (expected: jdbc:postgresql://host:port/database)");
            });
            if (maxPoolSize < 1) {
                throw new IllegalArgumentException(
                        "database.max_pool_size " + maxPoolSize + " is out of range (expected: at least 1)");
            }
        }

        public static DatabaseSettings embedded() {
            return new DatabaseSettings(Optional.empty(), Optional.empty(), Optional.empty(), 10);
        }

        @Override
        public String toString() {
            return "DatabaseSettings[url=" + url.map(DatabaseSettings::maskUrl).orElse("<embedded>") + ", user="
                    + user.orElse("") + ", password=" + (password.isPresent() ? "<masked>" : "") + ", maxPoolSize="
                    + maxPoolSize + "]";
        }

        /** Masks {@code password=} query parameters, which JDBC URLs may carry. */
        public static String maskUrl(String url) {
            return url.replaceAll("(?i)(password=)[^&;]*", "$1<masked>");
        }
    }

    /**
     * Protective limits of the HTTP server.
     *
     * @param maxBodyBytes largest request body accepted
     * @param idleTimeout  a connection silent for this long is closed (slow or half-open clients)
     * @param workers      threads that run the core services off the event loop
     * @param quotas       what each partner may ask of the main API ({@code limits:}), unless its kind or its entry
     *                     says otherwise
     * @param connections  how many connections the main API holds open, before authentication ({@code limits:})
     * @param quotasByKind the quotas of the partners of a kind ({@code limits.by_kind:}), over {@code quotas}
     */
    public record Limits(
            int maxBodyBytes,
            Duration idleTimeout,
            int workers,
            Quotas quotas,
            ConnectionCaps connections,
            Map<PartnerKind, QuotaOverrides> quotasByKind) {
        public Limits {
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            Objects.requireNonNull(quotas, "quotas");
            Objects.requireNonNull(connections, "connections");
            quotasByKind = Map.copyOf(quotasByKind);
        }

        /** The limits where every partner kind has the same quotas. */
        public Limits(int maxBodyBytes, Duration idleTimeout, int workers, Quotas quotas, ConnectionCaps connections) {
            this(maxBodyBytes, idleTimeout, workers, quotas, connections, Map.of());
        }

        public Limits(int maxBodyBytes, Duration idleTimeout, int workers, Quotas quotas) {
            this(maxBodyBytes, idleTimeout, workers, quotas, ConnectionCaps.defaults());
        }

        public Limits(int maxBodyBytes, Duration idleTimeout, int workers) {
            this(maxBodyBytes, idleTimeout, workers, Quotas.defaults());
        }

        public static Limits defaults() {
            return new Limits(1024 * 1024, Duration.ofSeconds(30), 16);
        }

        /**
         * The quotas of a partner, key by key: its own entry's value ({@code own}), else its kind's
         * ({@code limits.by_kind}), else gateway.yaml's {@code limits:}.
         */
        public Quotas quotasOf(PartnerKind kind, QuotaOverrides own) {
            return own.over(
                    quotasByKind.getOrDefault(kind, QuotaOverrides.none()).over(quotas));
        }
    }

    /**
     * The connections that the main API holds open at once, counted from the TCP accept, before the TLS handshake
     * authenticates anyone: in all, and from one client address. A connection over either cap is closed at once.
     *
     * @param total      open connections in all, at least 1
     * @param perAddress open connections from one IP address, from 1 to {@code total}
     */
    public record ConnectionCaps(int total, int perAddress) {
        public static final int DEFAULT_TOTAL = 2048;
        public static final int DEFAULT_PER_ADDRESS = 64;

        public ConnectionCaps {
            if (total < 1 || perAddress < 1 || perAddress > total) {
                throw new IllegalArgumentException("connection caps: total " + total + ", per address " + perAddress
                        + " (expected: 1 <= per address <= total)");
            }
        }

        /** Far above a partner's real needs, far below the process's file-descriptor limit. */
        public static ConnectionCaps defaults() {
            return new ConnectionCaps(DEFAULT_TOTAL, DEFAULT_PER_ADDRESS);
        }
    }

    /**
     * Each partner's quotas on the main API: token buckets (a rate, refilled continuously, and a burst, the bucket's
     * size) for its submissions ({@code POST /v1/referrals}) and for all its requests, and a number of submissions
     * per day (UTC). Every value is at least 1.
     */
    public record Quotas(
            int submissionsPerSecond,
            int submissionBurst,
            int requestsPerSecond,
            int requestBurst,
            int submissionsPerDay) {
        public Quotas {
            if (submissionsPerSecond < 1
                    || submissionBurst < 1
                    || requestsPerSecond < 1
                    || requestBurst < 1
                    || submissionsPerDay < 1) {
                throw new IllegalArgumentException("quotas must be at least 1: " + submissionsPerSecond + ", "
                        + submissionBurst + ", " + requestsPerSecond + ", " + requestBurst + ", " + submissionsPerDay);
            }
        }

        /** Generous: far above any partner's real traffic, far below a flood. */
        public static Quotas defaults() {
            return new Quotas(20, 200, 100, 1000, 50_000);
        }
    }
}
