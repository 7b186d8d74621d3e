package fr.passerelle.server;

import fr.passerelle.core.audit.LogRoot;
import fr.passerelle.core.audit.TreeHeads;
import fr.passerelle.core.config.CertificateExpiry;
import fr.passerelle.core.config.ConfigChecks;
import fr.passerelle.core.config.ConfigLoader;
import fr.passerelle.core.config.ConfigReport;
import fr.passerelle.core.config.Deployment;
import fr.passerelle.core.config.versions.ConfigWatcher;
import fr.passerelle.core.config.versions.LiveDeployment;
import fr.passerelle.core.config.versions.VersionedConfig;
import fr.passerelle.server.api.PartnerApi;
import fr.passerelle.server.api.admin.AdminApi;
import fr.passerelle.server.api.admin.ConfigEndpoints;
import fr.passerelle.core.config.GatewaySettings;
import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.crypto.CmsSealer;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.config.Partner;
import fr.passerelle.core.delivery.CircuitBreaker;
import fr.passerelle.core.delivery.DeliveryWorker;
import fr.passerelle.core.delivery.RetryPolicy;
import fr.passerelle.core.store.Outbox;
import fr.passerelle.core.store.ReceiptLinks;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.server.receipts.ReceiptLinkServer;
import fr.passerelle.core.exchange.DeadlineWatch;
import fr.passerelle.core.exchange.Exchange;
import fr.passerelle.core.exchange.NoticeWriter;
import fr.passerelle.core.exchange.Reminders;
import fr.passerelle.core.protection.ProtectionRegister;
import fr.passerelle.core.protection.RegisterKeys;
import fr.passerelle.core.store.Notices;
import fr.passerelle.core.keys.KeyRotation;
import fr.passerelle.core.keys.PayloadCipher;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.Domain;
import fr.passerelle.core.referral.ReferralValidator;
import fr.passerelle.core.spi.DeliveryOutcome;
import fr.passerelle.core.spi.Adapters;
import fr.passerelle.core.store.Database;
import fr.passerelle.core.store.JdbcReferralStore;
import fr.passerelle.core.store.PurgeLog;
import fr.passerelle.core.store.Purges;
import fr.passerelle.server.http.ApiHandler;
import fr.passerelle.server.http.PartnerQuotas;
import fr.passerelle.server.http.EndpointTable;
import fr.passerelle.server.lifecycle.Housekeeping;
import fr.passerelle.server.tls.ServerTls;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: configuration, adapters, database, exchange and HTTPS server, wired together. Closing it
 * stops accepting, lets in-flight requests finish for a bounded time, then closes the database.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    /** Requests waiting for a worker, per worker: with bodies up to 1 MiB, 16 workers hold at most 128 MiB. */
    static final int QUEUE_PER_WORKER = 8;

    static {
        // TLS 1.2 lets a client renegotiate: a second handshake whose certificate nobody reads, and a cheap way
        // to burn the server's CPU. TLS 1.3 has no renegotiation.
        if (System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation") == null) {
            System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        }
    }

    private final LiveDeployment deployment;
    private final Optional<ConfigRuntime> config;
    private final Database database;
    private final Exchange exchange;
    private final ThreadPoolExecutor workers;
    private final Housekeeping housekeeping;
    private final GatewayServer server;
    private final Transports transports;
    private final DeliveryWorker delivery;
    private final Optional<ReceiptLinkServer> receipts;
    private final DeadlineWatch deadlines;
    private final Reminders reminders;
    private final Purges purges;
    private final EndpointTable endpoints;

    private Gateway(LiveDeployment deployment, Optional<ConfigRuntime> config, Database database, Exchange exchange,
                    ThreadPoolExecutor workers, Housekeeping housekeeping, GatewayServer server,
                    Transports transports, DeliveryWorker delivery, Optional<ReceiptLinkServer> receipts,
                    DeadlineWatch deadlines, Reminders reminders, Purges purges, EndpointTable endpoints) {
        this.purges = purges;
        this.deadlines = deadlines;
        this.reminders = reminders;
        this.receipts = receipts;
        this.endpoints = endpoints;
        this.deployment = deployment;
        this.config = config;
        this.database = database;
        this.exchange = exchange;
        this.workers = workers;
        this.housekeeping = housekeeping;
        this.server = server;
        this.transports = transports;
        this.delivery = delivery;
    }

    /** The operations this gateway serves, for the test that holds the OpenAPI document to them. */
    EndpointTable endpoints() {
        return endpoints;
    }

    /** The checks that tie configuration to the adapters and schemas present. */
    public static ConfigChecks checks(Adapters adapters, ReferralValidator validator) {
        return new ConfigChecks(adapters::hasInbound, adapters::hasOutbound, validator::fieldPaths,
                adapters::findTransport);
    }

    /** The schemas beside gateway.yaml ({@code schemas/}), or the shipped ones when that folder is absent. */
    public static ReferralValidator validatorFor(Path gatewayYaml) {
        Path schemas = gatewayYaml.toAbsolutePath().getParent().resolve("schemas");
        return Files.isDirectory(schemas) ? ReferralValidator.fromDirectory(schemas) : ReferralValidator.fromClasspath();
    }

    /** Validates everything under the configuration folder, collecting every problem. */
    public static ConfigReport check(Path gatewayYaml, Map<String, String> env) {
        return ConfigLoader.check(gatewayYaml, env, checks(Adapters.load(), validatorFor(gatewayYaml)));
    }

    /**
     * Reads gateway.yaml, opens the database and starts on the current configuration version, which the first
     * start makes of config/ (see {@link ConfigBoot}); then follows every new version without restart.
     */
    public static Gateway start(Path gatewayYaml, Map<String, String> env) {
        return start(gatewayYaml, env, Clock.systemUTC());
    }

    /** As {@link #start(Path, Map)}, on a given clock (tests of deadlines). */
    public static Gateway start(Path gatewayYaml, Map<String, String> env, Clock clock) {
        Adapters adapters = Adapters.load();
        ReferralValidator validator = validatorFor(gatewayYaml);
        GatewaySettings settings = ConfigLoader.settings(gatewayYaml, env);
        Database database = Database.open(settings.database(), settings.dataDir());
        ConfigBoot boot;
        try {
            boot = ConfigBoot.start(gatewayYaml, env, checks(adapters, validator), database.dataSource());
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        return start(boot.live(), Optional.of(boot), database, adapters, validator, clock);
    }

    /**
     * Starts on the files of config/ as they are, ignoring the configuration versions of the database: for tests
     * whose instances must differ in their partners' settings, and tools. Nothing is stored as a version.
     */
    public static Gateway startOnFiles(Path gatewayYaml, Map<String, String> env) {
        Adapters adapters = Adapters.load();
        ReferralValidator validator = validatorFor(gatewayYaml);
        return start(ConfigLoader.load(gatewayYaml, env, checks(adapters, validator)), adapters, validator);
    }

    /** Starts on a fixed deployment, which no configuration version replaces (tools and benchmarks). */
    public static Gateway start(Deployment deployment, Adapters adapters, ReferralValidator validator) {
        Database database = Database.open(deployment.settings().database(), deployment.settings().dataDir());
        return start(new LiveDeployment(0, deployment), Optional.empty(), database, adapters, validator,
                Clock.systemUTC());
    }

    private static Gateway start(LiveDeployment live, Optional<ConfigBoot> boot, Database database,
                                 Adapters adapters, ReferralValidator validator, Clock clock) {
        Deployment deployment = live.get();
        GatewaySettings settings = deployment.settings();
        SslContext tls = ServerTls.forServer(settings.tlsCertificate(), settings.tlsKey(), settings.clientCa());
        CertificateExpiry.expiringWithin(deployment, CertificateExpiry.WARNING_WINDOW, clock)
                .forEach(line -> log.warn("{}: renew it before it does", line));
        ThreadPoolExecutor workers = null;
        Housekeeping housekeeping = null;
        Transports transports = null;
        DeliveryWorker delivery = null;
        Optional<ReceiptLinkServer> receipts = Optional.empty();
        try {
            CertifiedKey signer = PemFiles.readCertifiedKey(settings.signingCertificate(), settings.signingKey());
            CmsSealer sealer = new CmsSealer(signer, clock);
            PayloadCipher cipher = new PayloadCipher(masterKeys(settings.masterKeys(), clock));
            GatewayMetrics metrics = new GatewayMetrics(clock);
            transports = Transports.open(deployment, adapters, System::getenv, clock);
            Outbox outbox = new Outbox(database.dataSource(), cipher, clock);
            CircuitBreaker breaker = CircuitBreaker.of(settings.delivery(), clock);
            List<PartnerId> pushed = deployment.sortedPartners().stream().filter(p -> p.delivery().pushed())
                    .map(Partner::id).toList();
            metrics.watch(pushed);
            metrics.breakers(pushed, breaker::isOpen);
            delivery = new DeliveryWorker(outbox, transports.open(), live,
                    RetryPolicy.of(settings.delivery()), breaker, clock, settings.delivery().senders(),
                    settings.delivery().poll(), settings.delivery().lease(), (claim, outcome) -> {
                        metrics.delivery(claim.transport(), outcome.result().name().toLowerCase(java.util.Locale.ROOT));
                        if (outcome.result() == DeliveryOutcome.Result.DELIVERED) {
                            metrics.delivered(claim.transport(), Duration.between(claim.createdAt(), clock.instant()));
                        }
                    }).start();
            PurgeLog purgeLog = PurgeLog.beside(settings.masterKeys());
            JdbcReferralStore store = new JdbcReferralStore(database.dataSource(), clock, cipher, Optional.of(purgeLog));
            Purges purges = new Purges(database.dataSource(), clock, () -> live.get().settings().retention(), purgeLog);
            workers = workers(settings.limits().workers());
            receipts = receiptLinks(settings, database, live, workers, clock);
            Supplier<ReceiptLinks.Issued> links = receiptLinkIssuer(settings, receipts, clock);
            RegisterKeys registerKeys = RegisterKeys.open(RegisterKeys.beside(settings.masterKeys()), clock);
            ProtectionRegister register = new ProtectionRegister(database.dataSource(), registerKeys, clock);
            log.info("Protection register: {} protection(s), register key {}", register.size(),
                    registerKeys.currentId());
            Exchange exchange = new Exchange(live, adapters, validator, store, sealer, clock, delivery::wake,
                    links, Optional.of(register));
            NoticeWriter notices = new NoticeWriter(adapters, sealer, clock);
            DeadlineWatch deadlines = new DeadlineWatch(live, new Notices(database.dataSource(), cipher, clock),
                    notices, clock, delivery::wake);
            Reminders reminders = new Reminders(live, register, notices, cipher, clock, delivery::wake);
            housekeeping = Housekeeping.start("passerelle-housekeeping", Duration.ofSeconds(DRAIN_SECONDS));
            Transports opened = transports;
            Optional<ConfigRuntime> config = boot.map(b -> new ConfigRuntime(b.versioned(), new ConfigWatcher(
                    b.versioned().versions(), live, b::load, opened::openFor)));
            Housekeeping tasks = housekeeping;
            config.ifPresent(c -> tasks.every("configuration watch", settings.versionPoll(), settings.versionPoll(),
                    c.watcher()));
            Duration rewrap = Duration.ofSeconds(REWRAP_PERIOD_SECONDS);
            tasks.every("re-wrap", rewrap, rewrap, () -> rewrapStaleKeys(database, cipher));
            tasks.every("outbox figures", Duration.ZERO, Duration.ofSeconds(OUTBOX_FIGURES_SECONDS),
                    () -> metrics.outbox(outbox.stats()));
            Duration deadlineCheck = Duration.ofMillis(deadlineCheckMillis(deployment));
            tasks.every("deadline watch", deadlineCheck, deadlineCheck, deadlines::run);
            Duration remind = Duration.ofSeconds(REMINDER_CHECK_SECONDS);
            tasks.every("reminders", remind, remind, reminders::run);
            Duration purge = Duration.ofSeconds(PURGE_CHECK_SECONDS);
            tasks.every("purge", purge, purge, () -> purgeDue(purges, metrics, clock));
            Duration headCheck = Duration.ofSeconds(Math.max(1, Math.min(TREE_HEAD_CHECK_SECONDS,
                    settings.audit().treeHeadEvery().toSeconds())));
            LogRoot logRoot = new LogRoot();
            tasks.every("audit tree head", headCheck, headCheck, () -> signTreeHeadIfDue(database, signer,
                    settings.audit(), clock, logRoot));
            EndpointTable.Builder table = EndpointTable.builder();
            PartnerApi.register(table, exchange, database.dataSource(), live, metrics, clock);
            AdminApi.register(table, database.dataSource(), cipher, purges, notices, live, validator, delivery::wake,
                    clock);
            config.ifPresent(c -> ConfigEndpoints.register(table, c.versioned(), c.watcher(), clock));
            EndpointTable endpoints = table.build();
            ThreadPoolExecutor pool = workers;
            PartnerQuotas quotas = new PartnerQuotas(id -> live.get().quotas(id), metrics);
            GatewayInitializer initializer = new GatewayInitializer(tls, settings.limits(), metrics, clock,
                    () -> new ApiHandler(endpoints, live, pool, metrics, quotas));
            GatewayServer server = GatewayServer.start(settings.host(), settings.port(), initializer);
            log.info("Passerelle listening on https://{}:{} with {} partners and {} routes (configuration version {});"
                    + " database: {}", settings.host(), server.port(), deployment.partners().size(),
                    deployment.routes().size(), live.version(), database.description());
            return new Gateway(live, config, database, exchange, workers, housekeeping, server, transports, delivery,
                    receipts, deadlines, reminders, purges, endpoints);
        } catch (RuntimeException e) {
            receipts.ifPresent(ReceiptLinkServer::close);
            if (delivery != null) {
                delivery.close(Duration.ZERO);
            }
            if (transports != null) {
                transports.close();
            }
            if (workers != null) {
                workers.shutdownNow();
            }
            if (housekeeping != null) {
                housekeeping.close();
            }
            database.close();
            throw e;
        }
    }

    /** The public listener of single-use receipt links, when gateway.yaml has {@code receipt_links:}. */
    private static Optional<ReceiptLinkServer> receiptLinks(GatewaySettings settings, Database database,
                                                            LiveDeployment live, ThreadPoolExecutor workers,
                                                            Clock clock) {
        return settings.receiptLinks().map(links -> {
            ReceiptLinkServer server = ReceiptLinkServer.start(links.host(), links.port(),
                    ServerTls.forPublic(settings.tlsCertificate(), settings.tlsKey()),
                    new ReceiptLinks(database.dataSource(), clock), live, workers);
            log.info("Receipt links served on https://{}:{}", links.host(), server.port());
            return server;
        });
    }

    /**
     * Issues the links of one delivery, starting with the configured public URL, or with the listener's own
     * address on this machine when none is configured.
     */
    private static Supplier<ReceiptLinks.Issued> receiptLinkIssuer(GatewaySettings settings,
                                                                  Optional<ReceiptLinkServer> server, Clock clock) {
        if (settings.receiptLinks().isEmpty() || server.isEmpty()) {
            return () -> {
                throw new GatewayException(ErrorCode.CONFIG_INVALID, "a recipient answers by receipt links, but"
                        + " gateway.yaml has no receipt_links section");
            };
        }
        GatewaySettings.ReceiptLinkSettings links = settings.receiptLinks().get();
        String base = links.publicUrl().orElse("https://localhost:" + server.get().port());
        return () -> ReceiptLinks.issue(base, links.validity(), clock);
    }

    /** The port of the receipt-link listener, when it runs. */
    public Optional<Integer> receiptLinkPort() {
        return receipts.map(ReceiptLinkServer::port);
    }

    /**
     * The victim-support master key file, with the police-justice family beside it (see
     * {@link PayloadCipher#familyFile}); a missing file is created with a first key, loudly: without it, nothing
     * stored in its domain can be read again, so each must be backed up apart from the database.
     */
    static Path masterKeys(Path file, Clock clock) {
        for (Path created : PayloadCipher.ensureFamilies(file, clock)) {
            log.warn("Created the master key file {}: back it up apart from the database; without it the stored"
                    + " referrals of its domain cannot be read", created);
        }
        return file;
    }

    /**
     * Re-wraps, in the background, the data keys still under an older master key: after {@code keys rotate}
     * added a key, every running instance converges without a restart.
     */
    private static void rewrapStaleKeys(Database database, PayloadCipher cipher) {
        Map<String, Long> usage = KeyRotation.usage(database.dataSource());
        Set<String> current = Set.of(cipher.currentId(Domain.VICTIM_SUPPORT),
                cipher.currentId(Domain.POLICE_JUSTICE));
        boolean stale = usage.keySet().stream().anyMatch(id -> !current.contains(id));
        if (stale) {
            KeyRotation.Result result = KeyRotation.rewrap(database.dataSource(), cipher, REWRAP_BATCH);
            log.info("Re-wrapped {} data keys under the current master keys {}", result.rewrapped(),
                    new TreeMap<>(result.currentIds()));
        }
    }

    /** Signs a new head of the audit log when the settings say it is due; several instances take turns. */
    private static void signTreeHeadIfDue(Database database, CertifiedKey signer,
                                          GatewaySettings.AuditSettings audit, Clock clock, LogRoot root) {
        TreeHeads.signIfDue(database.dataSource(), signer, audit.treeHeadEveryEntries(), audit.treeHeadEvery(),
                clock, root).ifPresent(head -> log.info("Signed audit tree head of size {}", head.head().size()));
    }

    /**
     * How often the deadlines are checked: ten times within the shortest deadline, at least once a second and at
     * most every 30 s, so that an escalation comes at most a tenth of its deadline late.
     */
    static long deadlineCheckMillis(Deployment deployment) {
        long shortest = deployment.deadlines().stream()
                .flatMap(d -> Stream.of(d.acknowledgeWithin(), d.expireAfter()))
                .flatMap(Optional::stream).mapToLong(Duration::toMillis).min().orElse(DEADLINE_CHECK_MAX_MILLIS);
        return Math.max(1000, Math.min(DEADLINE_CHECK_MAX_MILLIS, shortest / 10));
    }

    /**
     * Erases what is due, then publishes the backlog; a purge a day behind warns. Several instances may run it:
     * each referral is erased once.
     */
    private static void purgeDue(Purges purges, GatewayMetrics metrics, Clock clock) {
        int erased = purges.purgeDue(PURGE_BATCH);
        if (erased > 0) {
            log.info("Purge: {} referral(s) past their retention erased", erased);
        }
        Purges.Backlog backlog = purges.backlog();
        metrics.purge(backlog.overdue(), backlog.oldestDueAt());
        backlog.oldestDueAt().filter(due -> due.isBefore(clock.instant().minus(Duration.ofDays(1))))
                .ifPresent(due -> log.warn("The purge is behind: {} referral(s) past their retention, the oldest"
                        + " due since {}", backlog.overdue(), due));
    }

    static final int OUTBOX_FIGURES_SECONDS = 3;
    static final int REMINDER_CHECK_SECONDS = 60;
    static final int PURGE_CHECK_SECONDS = 300;
    static final int PURGE_BATCH = 200;
    static final long DEADLINE_CHECK_MAX_MILLIS = 30_000;
    static final int TREE_HEAD_CHECK_SECONDS = 5;
    static final int REWRAP_PERIOD_SECONDS = 30;
    static final int REWRAP_BATCH = 500;

    private static ThreadPoolExecutor workers(int count) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(count, count, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(count * QUEUE_PER_WORKER), r -> {
                    Thread thread = new Thread(r, "passerelle-worker-" + n.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    public int port() {
        return server.port();
    }

    /** The deployment this instance runs on now. */
    public Deployment deployment() {
        return deployment.get();
    }

    /** The configuration version this instance runs on; 0 when started on a fixed deployment. */
    public int configVersion() {
        return deployment.version();
    }

    /** The configuration versions and this instance's watcher; empty when started on a fixed deployment. */
    public Optional<ConfigRuntime> config() {
        return config;
    }

    /**
     * The configuration versions of a running gateway, and the watcher that swaps its deployment (run it after a
     * change to swap at once).
     */
    public record ConfigRuntime(VersionedConfig versioned, ConfigWatcher watcher) {
    }

    public Exchange exchange() {
        return exchange;
    }

    public Database database() {
        return database;
    }

    /** The deadline watch, which housekeeping runs on its own; tests on a controlled clock run it when they choose. */
    public DeadlineWatch deadlines() {
        return deadlines;
    }

    /** The register's reminders, which housekeeping sends every minute; tests on a controlled clock run it. */
    public Reminders reminders() {
        return reminders;
    }

    /** The purge, which housekeeping runs every few minutes; tests on a controlled clock run it. */
    public Purges purges() {
        return purges;
    }

    /**
     * Stops in the order that loses nothing: no new connections, then the requests already running finish and
     * their answers are written (10 s at most), then the connections and event loops close, then the database.
     */
    @Override
    public void close() {
        server.stopAccepting();
        // Receipt links are a click each: closing their listener first loses nothing a browser cannot retry.
        receipts.ifPresent(ReceiptLinkServer::close);
        workers.shutdown();
        try {
            if (!workers.awaitTermination(DRAIN_SECONDS, TimeUnit.SECONDS)) {
                log.warn("Stopping with {} requests still running after {} s", workers.getActiveCount(), DRAIN_SECONDS);
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
        // Lets a running re-wrap or tree head finish: interrupting it mid-query breaks its connection.
        housekeeping.close();
        // Deliveries in progress finish (bounded by the transports' timeouts); the rest wait in the outbox.
        delivery.close(Duration.ofSeconds(DRAIN_SECONDS));
        transports.close();
        server.close();
        database.close();
        log.info("Passerelle stopped");
    }

    static final int DRAIN_SECONDS = 10;
}
