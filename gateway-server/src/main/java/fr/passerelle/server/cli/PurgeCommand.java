package fr.passerelle.server.cli;

import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.store.Database;
import fr.passerelle.core.store.PurgeLog;
import fr.passerelle.core.store.Purges;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gateway purge}: erases now the referrals whose retention ran out (what the running gateway's housekeeping
 * also does every few minutes); {@code --dry-run} lists what would go and when, erasing nothing; {@code --replay
 * FILE} erases again, after a database backup was restored, every referral a purge log lists (docs/DATA-PROTECTION.md).
 */
@Command(
        name = "purge",
        mixinStandardHelpOptions = true,
        description =
                "Erases the content of the referrals whose retention ran out (retention: in gateway.yaml), or lists what would go and when.")
final class PurgeCommand extends ConfiguredCommand {
    static final int BATCH = 500;

    @Option(names = "--dry-run", description = "list what is due now and within --days, erase nothing")
    boolean dryRun;

    @Option(
            names = "--days",
            paramLabel = "N",
            defaultValue = "30",
            description = "with --dry-run, also list what falls due within N days (default: 30)")
    int days;

    @Option(
            names = "--replay",
            paramLabel = "FILE",
            description = "after restoring a database backup: erase again every referral the purge log FILE lists")
    Path replay;

    @Override
    public Integer call() {
        GatewaySettings settings = settings();
        PrintWriter out = out();
        Clock clock = Clock.systemUTC();
        PurgeLog log = new PurgeLog(settings.purgeLog());
        try (Database db = database()) {
            Purges purges = new Purges(db.dataSource(), clock, settings::retention, log);
            if (replay != null) {
                int erased = purges.replay(new PurgeLog(replay).ids());
                out.println("replayed " + replay + ": " + erased + " referral(s) erased again");
            } else if (dryRun) {
                Instant now = clock.instant();
                List<Purges.Due> due = purges.schedule(now.plus(Duration.ofDays(Math.max(0, days))), Integer.MAX_VALUE);
                long overdue = due.stream().filter(d -> !d.dueAt().isAfter(now)).count();
                out.println(overdue + " referral(s) due now, " + (due.size() - overdue) + " within " + days
                        + " days (nothing erased):");
                for (Purges.Due d : due) {
                    out.printf(
                            "  %s  %-26s %-10s %s  %s%n",
                            d.id(),
                            d.type().code(),
                            d.status(),
                            d.dueAt(),
                            d.dueAt().isAfter(now) ? d.reason() : d.reason() + " (due now)");
                }
            } else {
                int erased = 0;
                int batch;
                do {
                    batch = purges.purgeDue(BATCH);
                    erased += batch;
                } while (batch == BATCH);
                out.println(erased + " referral(s) erased; purge log: " + log.file());
            }
        }
        out.flush();
        return 0;
    }
}
