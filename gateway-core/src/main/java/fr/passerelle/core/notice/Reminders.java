package fr.passerelle.core.notice;

import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.keys.PayloadCipher;
import fr.passerelle.core.protection.ExitPathways;
import fr.passerelle.core.protection.ProtectionRegister;
import fr.passerelle.core.referral.Notice;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.store.NoticeRows;
import fr.passerelle.core.store.OpenReferral;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the protection register's reminders: on day 25 of a reflection period, and 60 days before a residence card
 * or an exit-pathway authorisation ends, the partners that received the prefecture's decision get a notice with
 * the end date (ids, codes and the date only); and the exit pathway's: 45 days before a term ends, the partners that
 * received the prefect's decision, so that the association applies for renewal ({@link ExitPathways}). Each
 * reminder goes once, however many instances run it.
 */
public final class Reminders {
    private static final Logger log = LoggerFactory.getLogger(Reminders.class);
    static final int BATCH = 100;

    private final Supplier<Deployment> deployment;
    private final ProtectionRegister register;
    private final NoticeWriter writer;
    private final PayloadCipher cipher;
    private final Clock clock;
    private final Runnable stored;

    /** @param stored told after notices were stored, so that the delivery worker pushes them at once */
    public Reminders(
            Supplier<Deployment> deployment,
            ProtectionRegister register,
            NoticeWriter writer,
            PayloadCipher cipher,
            Clock clock,
            Runnable stored) {
        this.deployment = Objects.requireNonNull(deployment, "deployment");
        this.register = Objects.requireNonNull(register, "register");
        this.writer = Objects.requireNonNull(writer, "writer");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.stored = Objects.requireNonNull(stored, "stored");
    }

    /** Sends what is due today; returns how many reminders this run sent. */
    public int run() {
        Deployment current = deployment.get();
        int sent = 0;
        for (ProtectionRegister.Reminder reminder : register.dueReminders(BATCH)) {
            boolean done = register.remind(
                    reminder, c -> tell(c, current, reminder.notice(), reminder.decision(), reminder.until()));
            sent += logged(done, reminder.notice(), reminder.decision());
        }
        ExitPathways pathways = register.exitPathways();
        for (ExitPathways.Reminder reminder : pathways.dueReminders(register.today(), BATCH)) {
            boolean done = pathways.remind(
                    reminder,
                    clock.instant(),
                    c -> tell(c, current, Notice.EXIT_PATHWAY_ENDING, reminder.decision(), reminder.until()));
            sent += logged(done, Notice.EXIT_PATHWAY_ENDING, reminder.decision());
        }
        if (sent > 0) {
            stored.run();
        }
        return sent;
    }

    /** Stores the notices of a reminder to the partners that received {@code decision}; returns who was told. */
    private String tell(Connection c, Deployment current, Notice notice, ReferralId decision, LocalDate until)
            throws SQLException {
        return NoticeRows.tell(
                c,
                cipher,
                decision,
                open -> writer.write(
                        notice,
                        open,
                        recipients(current, open),
                        List.of(),
                        Optional.empty(),
                        partner -> Map.of("until", until.toString())),
                clock.instant().truncatedTo(ChronoUnit.MICROS));
    }

    private static int logged(boolean done, Notice notice, ReferralId decision) {
        if (done) {
            log.info("Reminder '{}' sent for decision {}", notice, decision);
        }
        return done ? 1 : 0;
    }

    /** The partners that received the decision, as far as they are enabled. */
    private static List<Partner> recipients(Deployment deployment, OpenReferral decision) {
        List<Partner> told = new ArrayList<>();
        decision.copies().forEach(copy -> NoticeWriter.enabled(deployment, copy.recipient())
                .ifPresent(told::add));
        return told;
    }
}
