package fr.passerelle.server.console;

import fr.passerelle.core.audit.SignerTrust;
import fr.passerelle.core.config.versions.LiveDeployment;
import fr.passerelle.core.delivery.DeliveryAdmin;
import fr.passerelle.core.delivery.Outbox.QueueStats;
import fr.passerelle.core.notice.NoticeWriter;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.ReferralValidator;
import fr.passerelle.core.store.ReferralSearch;
import fr.passerelle.core.store.Statistics;
import fr.passerelle.server.api.admin.ConfigChanges;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * What the console's pages stand on: the same services as the admin API's operations, so that a page and an
 * operation never disagree.
 *
 * @param outbox      the outbox's figures per recipient, read at each view of the dashboard
 * @param breakerOpen whether this instance pauses deliveries to a partner
 * @param statistics  the admin API's figures, with small-group suppression
 * @param referrals   the referral search and timelines of the admin API
 * @param deliveries  the replay of dead letters and the cancellation of a referral
 * @param notices     the notices that a cancellation sends to the partners
 * @param wake        tells the delivery worker that something waits in the outbox
 * @param config      the configuration's versions, partners and routes; empty when the gateway runs on a folder
 *                    without versions (the pages then only read)
 * @param auditSigner the certificate that signs the audit log's tree heads and the CA of those that signed
 *                    earlier heads, to verify them
 */
public record ConsoleServices(
        LiveDeployment live,
        Supplier<Map<PartnerId, QueueStats>> outbox,
        Predicate<PartnerId> breakerOpen,
        Statistics statistics,
        ReferralSearch referrals,
        DeliveryAdmin deliveries,
        NoticeWriter notices,
        Runnable wake,
        ReferralValidator validator,
        Optional<ConfigChanges> config,
        DataSource dataSource,
        SignerTrust auditSigner,
        CsrfTokens csrf,
        Clock clock) {
    public ConsoleServices {
        Objects.requireNonNull(live, "live");
        Objects.requireNonNull(outbox, "outbox");
        Objects.requireNonNull(breakerOpen, "breakerOpen");
        Objects.requireNonNull(statistics, "statistics");
        Objects.requireNonNull(referrals, "referrals");
        Objects.requireNonNull(deliveries, "deliveries");
        Objects.requireNonNull(notices, "notices");
        Objects.requireNonNull(wake, "wake");
        Objects.requireNonNull(validator, "validator");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(auditSigner, "auditSigner");
        Objects.requireNonNull(csrf, "csrf");
        Objects.requireNonNull(clock, "clock");
    }
}
