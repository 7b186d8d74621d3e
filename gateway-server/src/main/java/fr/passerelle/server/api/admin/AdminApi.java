package fr.passerelle.server.api.admin;

import fr.passerelle.core.config.versions.LiveDeployment;
import fr.passerelle.core.delivery.DeliveryAdmin;
import fr.passerelle.core.keys.PayloadCipher;
import fr.passerelle.core.notice.NoticeWriter;
import fr.passerelle.core.referral.ReferralValidator;
import fr.passerelle.core.store.Holds;
import fr.passerelle.core.store.Purges;
import fr.passerelle.core.store.ReferralSearch;
import fr.passerelle.core.store.Statistics;
import fr.passerelle.server.http.EndpointTable;
import fr.passerelle.server.http.EndpointTable.Access;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * The admin API's table, {@code /admin/v1/}, beside the configuration's ({@link ConfigEndpoints}): deliveries and
 * the replay of dead letters, the search and timeline of referrals, the cancellation, release and erasure of a
 * referral, the dry run, statistics and the OpenAPI document. Reads need role auditor, changes role admin; the
 * statistics are open to role statistics too.
 */
public final class AdminApi {
    private AdminApi() {}

    /**
     * Adds the operations on deliveries and referrals, the dry run, statistics and the OpenAPI document to
     * {@code table}.
     *
     * @param dataSource the database, with the {@code cipher} that opens what it stores
     * @param notices    writes the notices that a cancellation or a release sends to the partners
     * @param wake       tells the delivery worker that something waits in the outbox
     */
    public static void register(
            EndpointTable.Builder table,
            DataSource dataSource,
            PayloadCipher cipher,
            Purges purges,
            NoticeWriter notices,
            LiveDeployment live,
            ReferralValidator validator,
            Runnable wake,
            Clock clock) {
        DeliveryAdmin deliveries = new DeliveryAdmin(dataSource, clock, cipher);
        ReferralSearch referrals = new ReferralSearch(dataSource);
        int statsMinGroup = live.get().settings().stats().minGroup();
        table.add(HttpMethod.GET, "/admin/v1/deliveries", Access.AUDITOR, new DeliveriesEndpoint(deliveries))
                .add(
                        HttpMethod.POST,
                        "/admin/v1/partners/{partner}/dead-letters/replay",
                        Access.ADMIN,
                        new ReplayEndpoint(deliveries, wake))
                .add(
                        HttpMethod.POST,
                        "/admin/v1/partners/{partner}/dead-letters/{delivery}/replay",
                        Access.ADMIN,
                        new ReplayEndpoint(deliveries, wake))
                .add(HttpMethod.GET, "/admin/v1/referrals", Access.AUDITOR, new ReferralsEndpoint(referrals))
                .add(HttpMethod.GET, "/admin/v1/referrals/{id}", Access.AUDITOR, new TimelineEndpoint(referrals))
                .add(
                        HttpMethod.POST,
                        "/admin/v1/referrals/{id}/cancel",
                        Access.ADMIN,
                        new CancelEndpoint(deliveries, notices, live, wake))
                .add(
                        HttpMethod.POST,
                        "/admin/v1/referrals/{id}/release",
                        Access.ADMIN,
                        new ReleaseEndpoint(new Holds(dataSource, cipher, clock), notices, live, wake))
                .add(HttpMethod.POST, "/admin/v1/referrals/{id}/erase", Access.ADMIN, new EraseEndpoint(purges))
                .add(HttpMethod.POST, "/admin/v1/dry-run", Access.AUDITOR, new DryRunEndpoint(live, validator, clock))
                .add(
                        HttpMethod.GET,
                        "/admin/v1/stats",
                        Access.STATISTICS,
                        new StatsEndpoint(new Statistics(dataSource, statsMinGroup), clock))
                .add(HttpMethod.GET, "/admin/v1/openapi.json", Access.AUDITOR, new OpenApiEndpoint());
    }
}
