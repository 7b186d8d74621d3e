package fr.passerelle.server;

import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.audit.AuditSequencer;
import fr.passerelle.core.audit.TreeHeads;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.config.versions.LiveDeployment;
import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.crypto.CmsSealer;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.keys.KeyRotation;
import fr.passerelle.core.keys.PayloadCipher;
import fr.passerelle.core.protection.ProtectionRegister;
import fr.passerelle.core.protection.RegisterKeys;
import fr.passerelle.core.referral.Domain;
import fr.passerelle.core.referral.ReferralValidator;
import fr.passerelle.core.spi.Adapters;
import fr.passerelle.core.store.Database;
import fr.passerelle.core.store.JdbcReferralStore;
import fr.passerelle.core.store.PurgeLog;
import fr.passerelle.core.store.Purges;
import fr.passerelle.server.metrics.GatewayMetrics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every other part of a gateway stands on: the deployment it runs on, the database, the keys (the signing key,
 * the master keys, the protection register's), the stores over them and the metrics. Nothing here runs a thread;
 * the database, the one part to close, is registered by whoever opened it.
 */
final class CoreServices {
    private static final Logger log = LoggerFactory.getLogger(CoreServices.class);
    static final int PURGE_BATCH = 200;
    static final int REWRAP_BATCH = 500;

    private final LiveDeployment live;
    private final GatewaySettings settings;
    private final Adapters adapters;
    private final ReferralValidator validator;
    private final Clock clock;
    private final Database database;
    private final CertifiedKey signer;
    private final CmsSealer sealer;
    private final PayloadCipher cipher;
    private final GatewayMetrics metrics;
    private final JdbcReferralStore store;
    private final Purges purges;
    private final ProtectionRegister register;
    private final AuditSequencer sequencer;

    private CoreServices(
            LiveDeployment live, Database database, Adapters adapters, ReferralValidator validator, Clock clock) {
        this.live = live;
        this.settings = live.get().settings();
        this.adapters = adapters;
        this.validator = validator;
        this.clock = clock;
        this.database = database;
        this.signer = settings.signingKey().read(settings.signingCertificate());
        this.sealer = new CmsSealer(signer, clock);
        this.cipher = new PayloadCipher(masterKeys(settings.masterKeys(), clock));
        this.metrics = new GatewayMetrics(clock);
        AuditLog.maxMergeDelay(settings.audit().maxMergeDelay());
        this.sequencer = new AuditSequencer(
                database.dataSource(),
                () -> signer,
                settings.audit().maxMergeDelay(),
                // Wall-clock, as the entries' times (AuditLog), whatever clock the rest of the gateway is given.
                Clock.systemUTC(),
                batch -> metrics.sequenced(batch.entries(), batch.maxWait()));
        PurgeLog purgeLog = new PurgeLog(settings.purgeLog());
        this.store = new JdbcReferralStore(database.dataSource(), clock, cipher, Optional.of(purgeLog));
        this.purges = new Purges(
                database.dataSource(), clock, () -> live.get().settings().retention(), purgeLog);
        RegisterKeys registerKeys = RegisterKeys.open(RegisterKeys.beside(settings.masterKeys()), clock);
        this.register = new ProtectionRegister(database.dataSource(), registerKeys, clock);
        log.info("Protection register: {} protection(s), register key {}", register.size(), registerKeys.currentId());
    }

    /**
     * Reads the keys (creating a missing master key file) and opens the stores on {@code database}.
     *
     * @param live the deployment of the current configuration version; its settings, read at start, hold for
     *             every later version
     */
    static CoreServices open(
            LiveDeployment live, Database database, Adapters adapters, ReferralValidator validator, Clock clock) {
        return new CoreServices(live, database, adapters, validator, clock);
    }

    /**
     * The victim-support master key file, with the police-justice family beside it (see
     * {@link PayloadCipher#familyFile}); a missing file is created with a first key, loudly: without it, nothing
     * stored in its domain can be read again, so each must be backed up apart from the database.
     */
    static Path masterKeys(Path file, Clock clock) {
        for (Path created : PayloadCipher.ensureFamilies(file, clock)) {
            log.warn(
                    "Created the master key file {}: back it up apart from the database; without it the stored"
                            + " referrals of its domain cannot be read",
                    created);
        }
        return file;
    }

    /**
     * Re-wraps the data keys still under an older master key: after {@code keys rotate} added a key, every running
     * instance converges without a restart.
     */
    void rewrapStaleKeys() {
        Map<String, Long> usage = KeyRotation.usage(database.dataSource());
        Set<String> current = Set.of(cipher.currentId(Domain.VICTIM_SUPPORT), cipher.currentId(Domain.POLICE_JUSTICE));
        boolean stale = usage.keySet().stream().anyMatch(id -> !current.contains(id));
        if (stale) {
            KeyRotation.Result result = KeyRotation.rewrap(database.dataSource(), cipher, REWRAP_BATCH);
            log.info(
                    "Re-wrapped {} data keys under the current master keys {}",
                    result.rewrapped(),
                    new TreeMap<>(result.currentIds()));
        }
    }

    /** Numbers the audit queue once started, when this instance wins the sequencer's lock (it tries at every tick). */
    AuditSequencer sequencer() {
        return sequencer;
    }

    /** The audit figures of the metrics: whether this instance sequences, the latest head's time. */
    void readAuditFigures() {
        metrics.sequencing(sequencer.leading());
        // Another instance may have signed the latest: the age alert reads the database's.
        metrics.treeHead(
                TreeHeads.latest(database.dataSource()).map(head -> head.head().signedAt()));
    }

    /** The expiry of the gateway's TLS and signing certificates and of each partner's, for the metrics. */
    void readCertificateExpiry() {
        Map<String, Instant> notAfter = new TreeMap<>();
        PemFiles.readCertificates(settings.tlsCertificate()).stream()
                .findFirst()
                .ifPresent(c -> notAfter.put("gateway-tls", c.getNotAfter().toInstant()));
        notAfter.put("gateway-signing", signer.certificate().getNotAfter().toInstant());
        for (Partner partner : live.get().sortedPartners()) {
            partner.certificate()
                    .ifPresent(c ->
                            notAfter.put(partner.id().value(), c.getNotAfter().toInstant()));
        }
        metrics.certificates(notAfter);
    }

    /**
     * Erases what is due, then publishes the backlog; a purge a day behind warns. Several instances may run it:
     * each referral is erased once.
     */
    void purgeDue() {
        int erased = purges.purgeDue(PURGE_BATCH);
        if (erased > 0) {
            log.info("Purge: {} referral(s) past their retention erased", erased);
        }
        Purges.Backlog backlog = purges.backlog();
        metrics.purge(backlog.overdue(), backlog.oldestDueAt());
        backlog.oldestDueAt()
                .filter(due -> due.isBefore(clock.instant().minus(Duration.ofDays(1))))
                .ifPresent(due -> log.warn(
                        "The purge is behind: {} referral(s) past their retention, the oldest" + " due since {}",
                        backlog.overdue(),
                        due));
    }

    LiveDeployment live() {
        return live;
    }

    /** The settings of gateway.yaml read at start. */
    GatewaySettings settings() {
        return settings;
    }

    Adapters adapters() {
        return adapters;
    }

    ReferralValidator validator() {
        return validator;
    }

    Clock clock() {
        return clock;
    }

    Database database() {
        return database;
    }

    /** The gateway's signing key: it seals, and signs the audit log's tree heads. */
    CertifiedKey signer() {
        return signer;
    }

    CmsSealer sealer() {
        return sealer;
    }

    PayloadCipher cipher() {
        return cipher;
    }

    GatewayMetrics metrics() {
        return metrics;
    }

    JdbcReferralStore store() {
        return store;
    }

    Purges purges() {
        return purges;
    }

    ProtectionRegister register() {
        return register;
    }
}
