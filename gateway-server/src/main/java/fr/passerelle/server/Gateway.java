package fr.passerelle.server;

import fr.passerelle.core.audit.SignerTrust;
import fr.passerelle.core.config.CertificateExpiry;
import fr.passerelle.core.config.ConfigChecks;
import fr.passerelle.core.config.ConfigLoader;
import fr.passerelle.core.config.ConfigReport;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.config.versions.ConfigWatcher;
import fr.passerelle.core.config.versions.LiveDeployment;
import fr.passerelle.core.config.versions.VersionedConfig;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.delivery.DeliveryAdmin;
import fr.passerelle.core.exchange.Exchange;
import fr.passerelle.core.notice.DeadlineWatch;
import fr.passerelle.core.notice.Reminders;
import fr.passerelle.core.referral.ReferralValidator;
import fr.passerelle.core.spi.Adapters;
import fr.passerelle.core.store.Database;
import fr.passerelle.core.store.Purges;
import fr.passerelle.core.store.ReferralSearch;
import fr.passerelle.core.store.Statistics;
import fr.passerelle.server.api.PartnerApi;
import fr.passerelle.server.api.admin.AdminApi;
import fr.passerelle.server.api.admin.ConfigChanges;
import fr.passerelle.server.api.admin.ConfigEndpoints;
import fr.passerelle.server.console.ConsolePages;
import fr.passerelle.server.console.ConsoleServices;
import fr.passerelle.server.console.CsrfTokens;
import fr.passerelle.server.http.EndpointTable;
import fr.passerelle.server.lifecycle.Housekeeping;
import fr.passerelle.server.lifecycle.Lifecycle;
import fr.passerelle.server.tls.ClientRevocation;
import fr.passerelle.server.tls.ServerTls;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: its core (database, keys, stores), delivery, referral services, housekeeping and listeners,
 * wired together, each registered with one lifecycle as it starts. Closing it stops accepting, lets in-flight
 * requests finish for a bounded time, then closes the rest in the reverse of their start, the database last.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    static {
        // TLS 1.2 lets a client renegotiate: a second handshake whose certificate nobody reads, and a cheap way
        // to burn the server's CPU. TLS 1.3 has no renegotiation.
        if (System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation") == null) {
            System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        }
    }

    private final Lifecycle lifecycle;
    private final CoreServices core;
    private final ReferralServices referrals;
    private final Listeners listeners;
    private final Optional<ConfigRuntime> config;
    private final EndpointTable endpoints;

    private Gateway(
            Lifecycle lifecycle,
            CoreServices core,
            ReferralServices referrals,
            Listeners listeners,
            Optional<ConfigRuntime> config,
            EndpointTable endpoints) {
        this.lifecycle = lifecycle;
        this.core = core;
        this.referrals = referrals;
        this.listeners = listeners;
        this.config = config;
        this.endpoints = endpoints;
    }

    /** The operations this gateway serves, for the test that holds the OpenAPI document to them. */
    EndpointTable endpoints() {
        return endpoints;
    }

    /** The checks that tie configuration to the adapters and schemas present. */
    public static ConfigChecks checks(Adapters adapters, ReferralValidator validator) {
        return new ConfigChecks(
                adapters::hasInbound, adapters::hasOutbound, validator::fieldPaths, adapters::findTransport);
    }

    /** The schemas beside gateway.yaml ({@code schemas/}), or the shipped ones when that folder is absent. */
    public static ReferralValidator validatorFor(Path gatewayYaml) {
        Path schemas = gatewayYaml.toAbsolutePath().getParent().resolve("schemas");
        return Files.isDirectory(schemas)
                ? ReferralValidator.fromDirectory(schemas)
                : ReferralValidator.fromClasspath();
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
        return Lifecycle.start(lifecycle -> {
            Database database = lifecycle.add("database", Database.open(settings.database(), settings.dataDir()));
            ConfigBoot boot = ConfigBoot.start(gatewayYaml, env, checks(adapters, validator), database.dataSource());
            return start(boot.live(), Optional.of(boot), database, adapters, validator, clock, lifecycle);
        });
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
        GatewaySettings settings = deployment.settings();
        return Lifecycle.start(lifecycle -> start(
                new LiveDeployment(0, deployment),
                Optional.empty(),
                lifecycle.add("database", Database.open(settings.database(), settings.dataDir())),
                adapters,
                validator,
                Clock.systemUTC(),
                lifecycle));
    }

    /**
     * Wires the services in the order they depend on each other, each registering with {@code lifecycle} what it
     * must close: the database (registered by the caller), the delivery, housekeeping, then the listeners, which
     * thus stop first.
     */
    private static Gateway start(
            LiveDeployment live,
            Optional<ConfigBoot> boot,
            Database database,
            Adapters adapters,
            ReferralValidator validator,
            Clock clock,
            Lifecycle lifecycle) {
        Deployment deployment = live.get();
        GatewaySettings settings = deployment.settings();
        CertificateExpiry.expiringWithin(deployment, CertificateExpiry.WARNING_WINDOW, clock)
                .forEach(line -> log.warn("{}: renew it before it does", line));
        CoreServices core = CoreServices.open(live, database, adapters, validator, clock);
        // Closed after everything that appends to the audit queue, before the database: its last batch numbers them.
        lifecycle.add("audit sequencer", core.sequencer()).start();
        ClientRevocation revocation =
                lifecycle.add("revocation", ClientRevocation.start(settings.revocation(), core.metrics(), clock));
        SslContext tls =
                ServerTls.forServer(settings.tlsCertificate(), settings.tlsKey(), settings.clientCa(), revocation);
        DeliveryService delivery = DeliveryService.start(core, lifecycle, DRAIN);
        Housekeeping housekeeping = lifecycle.add("housekeeping", Housekeeping.start("passerelle-housekeeping", DRAIN));
        Listeners listeners = lifecycle.add("listeners", Listeners.open(core, DRAIN));
        ReferralServices referrals = ReferralServices.of(core, listeners.receiptLinkIssuer(), delivery::wake);
        Optional<ConfigRuntime> config = boot.map(b -> new ConfigRuntime(
                b.versioned(), new ConfigWatcher(b.versioned().versions(), live, b::load, delivery::openFor)));
        scheduleHousekeeping(housekeeping, core, delivery, referrals, config);
        EndpointTable endpoints = endpoints(core, delivery, referrals, config);
        listeners.serve(
                tls, revocation, endpoints, config.map(c -> c.versioned().versions()));
        log.info(
                "Passerelle listening on https://{}:{} with {} partners and {} routes (configuration version {});"
                        + " database: {}",
                settings.host(),
                listeners.port(),
                deployment.partners().size(),
                deployment.routes().size(),
                live.version(),
                database.description());
        return new Gateway(lifecycle, core, referrals, listeners, config, endpoints);
    }

    /** The periodic tasks, on housekeeping's one thread; several instances may run each of them at once. */
    private static void scheduleHousekeeping(
            Housekeeping housekeeping,
            CoreServices core,
            DeliveryService delivery,
            ReferralServices referrals,
            Optional<ConfigRuntime> config) {
        GatewaySettings settings = core.settings();
        config.ifPresent(c ->
                housekeeping.every("configuration watch", settings.versionPoll(), settings.versionPoll(), c.watcher()));
        Duration rewrap = Duration.ofSeconds(REWRAP_PERIOD_SECONDS);
        housekeeping.every("re-wrap", rewrap, rewrap, core::rewrapStaleKeys);
        housekeeping.every(
                "outbox figures",
                Duration.ZERO,
                Duration.ofSeconds(OUTBOX_FIGURES_SECONDS),
                delivery::readOutboxFigures);
        // Escalates and expires what its deadlines overtook.
        Duration deadlineCheck =
                Duration.ofMillis(deadlineCheckMillis(core.live().get()));
        housekeeping.every("deadline watch", deadlineCheck, deadlineCheck, () -> {
            DeadlineWatch.Result watched = referrals.deadlines().run();
            core.metrics().deadlines(watched.escalated(), watched.expired());
        });
        // Sends the protection register's reminders that are due.
        Duration remind = Duration.ofSeconds(REMINDER_CHECK_SECONDS);
        housekeeping.every("reminders", remind, remind, referrals.reminders()::run);
        Duration purge = Duration.ofSeconds(PURGE_CHECK_SECONDS);
        housekeeping.every("purge", purge, purge, core::purgeDue);
        Duration auditFigures = Duration.ofSeconds(AUDIT_FIGURES_SECONDS);
        housekeeping.every("audit figures", Duration.ZERO, auditFigures, core::readAuditFigures);
        // What a certificate's expiry alert reads: the gateway's own and each partner's.
        Duration certificates = Duration.ofSeconds(CERTIFICATE_FIGURES_SECONDS);
        housekeeping.every("certificate figures", Duration.ZERO, certificates, core::readCertificateExpiry);
    }

    /** The partner API's operations, the admin API's and, on configuration versions, the configuration's. */
    private static EndpointTable endpoints(
            CoreServices core, DeliveryService delivery, ReferralServices referrals, Optional<ConfigRuntime> config) {
        EndpointTable.Builder table = EndpointTable.builder();
        DataSource dataSource = core.database().dataSource();
        PartnerApi.register(table, referrals.exchange(), dataSource, core.live(), core.metrics(), core.clock());
        AdminApi.register(
                table,
                dataSource,
                core.cipher(),
                core.purges(),
                referrals.notices(),
                core.live(),
                core.validator(),
                delivery::wake,
                core.clock());
        Optional<ConfigChanges> changes = config.map(c -> new ConfigChanges(c.versioned(), c.watcher()));
        changes.ifPresent(c -> ConfigEndpoints.register(table, c, core.clock()));
        ConsolePages.register(
                table,
                new ConsoleServices(
                        core.live(),
                        delivery::outboxFigures,
                        delivery::pausing,
                        new Statistics(
                                dataSource, core.live().get().settings().stats().minGroup()),
                        new ReferralSearch(dataSource),
                        new DeliveryAdmin(dataSource, core.clock(), core.cipher()),
                        referrals.notices(),
                        delivery::wake,
                        core.validator(),
                        changes,
                        dataSource,
                        SignerTrust.ofChain(core.signer().chain())
                                .orAuthorities(PemFiles.readCertificates(
                                        core.settings().clientCa())),
                        CsrfTokens.fromMasterKeys(core.cipher().ring()),
                        core.clock()));
        return table.build();
    }

    /** The port of the receipt-link listener, when it runs. */
    public Optional<Integer> receiptLinkPort() {
        return listeners.receiptLinkPort();
    }

    /** The port of the management listener (probes and metrics), unless gateway.yaml turns it off. */
    public Optional<Integer> managementPort() {
        return listeners.managementPort();
    }

    /**
     * How often the deadlines are checked: ten times within the shortest deadline, at least once a second and at
     * most every 30 s, so that an escalation comes at most a tenth of its deadline late.
     */
    static long deadlineCheckMillis(Deployment deployment) {
        long shortest = deployment.deadlines().stream()
                .flatMap(d -> Stream.of(d.acknowledgeWithin(), d.expireAfter()))
                .flatMap(Optional::stream)
                .mapToLong(Duration::toMillis)
                .min()
                .orElse(DEADLINE_CHECK_MAX_MILLIS);
        return Math.max(1000, Math.min(DEADLINE_CHECK_MAX_MILLIS, shortest / 10));
    }

    static final int OUTBOX_FIGURES_SECONDS = 3;
    static final int REMINDER_CHECK_SECONDS = 60;
    static final int CERTIFICATE_FIGURES_SECONDS = 60;
    static final int PURGE_CHECK_SECONDS = 300;
    static final long DEADLINE_CHECK_MAX_MILLIS = 30_000;
    static final int AUDIT_FIGURES_SECONDS = 5;
    static final int REWRAP_PERIOD_SECONDS = 30;

    public int port() {
        return listeners.port();
    }

    /** The deployment this instance runs on now. */
    public Deployment deployment() {
        return core.live().get();
    }

    /** The configuration version this instance runs on; 0 when started on a fixed deployment. */
    public int configVersion() {
        return core.live().version();
    }

    /** The configuration versions and this instance's watcher; empty when started on a fixed deployment. */
    public Optional<ConfigRuntime> config() {
        return config;
    }

    /**
     * The configuration versions of a running gateway, and the watcher that swaps its deployment (run it after a
     * change to swap at once).
     */
    public record ConfigRuntime(VersionedConfig versioned, ConfigWatcher watcher) {}

    public Exchange exchange() {
        return referrals.exchange();
    }

    public Database database() {
        return core.database();
    }

    /** The deadline watch, which housekeeping runs on its own; tests on a controlled clock run it when they choose. */
    public DeadlineWatch deadlines() {
        return referrals.deadlines();
    }

    /** The register's reminders, which housekeeping sends every minute; tests on a controlled clock run it. */
    public Reminders reminders() {
        return referrals.reminders();
    }

    /** The purge, which housekeeping runs every few minutes; tests on a controlled clock run it. */
    public Purges purges() {
        return core.purges();
    }

    /**
     * Stops in the order that loses nothing: no new connections, then the requests already running finish and
     * their answers are written (10 s at most), then the connections and event loops close; a running
     * housekeeping task finishes, the deliveries in progress finish (the rest wait in the outbox), the transports
     * close, then the database. Closing again closes nothing.
     */
    @Override
    public void close() {
        lifecycle.close();
        log.info("Passerelle stopped");
    }

    static final int DRAIN_SECONDS = 10;
    private static final Duration DRAIN = Duration.ofSeconds(DRAIN_SECONDS);
}
