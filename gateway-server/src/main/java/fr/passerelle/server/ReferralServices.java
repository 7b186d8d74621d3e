package fr.passerelle.server;

import fr.passerelle.core.exchange.Exchange;
import fr.passerelle.core.notice.DeadlineWatch;
import fr.passerelle.core.notice.NoticeWriter;
import fr.passerelle.core.notice.Notices;
import fr.passerelle.core.notice.Reminders;
import fr.passerelle.core.receipt.ReceiptLinks;
import fr.passerelle.core.receipt.Receipts;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What happens to referrals: the exchange that takes and hands them over, the notices sent about them, the watch
 * of their deadlines and the protection register's reminders. Built last of the services, as it needs the
 * delivery worker's wake and the receipt links' address; nothing here needs closing.
 */
record ReferralServices(Exchange exchange, NoticeWriter notices, DeadlineWatch deadlines, Reminders reminders) {
    ReferralServices {
        Objects.requireNonNull(exchange, "exchange");
        Objects.requireNonNull(notices, "notices");
        Objects.requireNonNull(deadlines, "deadlines");
        Objects.requireNonNull(reminders, "reminders");
    }

    /**
     * @param links issues the receipt links of one delivery
     * @param wake  tells the delivery worker that something waits in the outbox
     */
    static ReferralServices of(CoreServices core, Supplier<ReceiptLinks.Issued> links, Runnable wake) {
        Exchange exchange = new Exchange(
                core.live(),
                core.adapters(),
                core.validator(),
                core.store(),
                new Receipts(core.database().dataSource(), core.clock()),
                core.sealer(),
                core.clock(),
                wake,
                links,
                Optional.of(core.register()));
        NoticeWriter notices = new NoticeWriter(core.adapters(), core.sealer(), core.clock());
        DeadlineWatch deadlines = new DeadlineWatch(
                core.live(),
                new Notices(core.database().dataSource(), core.cipher(), core.clock()),
                notices,
                core.clock(),
                wake);
        Reminders reminders = new Reminders(core.live(), core.register(), notices, core.cipher(), core.clock(), wake);
        return new ReferralServices(exchange, notices, deadlines, reminders);
    }
}
