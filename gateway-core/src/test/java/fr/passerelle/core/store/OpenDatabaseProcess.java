package fr.passerelle.core.store;

import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.GatewaySettings.DatabaseSettings;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Run in a separate JVM by {@link DatabaseIT}: opens the embedded database in the data folder given as the first
 * argument, and prints {@code result: opened, <n> referrals}, or {@code result: } and the error code and message, on
 * standard output. With a
 * second argument {@code hold}, keeps the database open until the process is killed.
 */
public final class OpenDatabaseProcess {
    static final String RESULT = "result: ";

    private OpenDatabaseProcess() {}

    public static void main(String[] args) throws InterruptedException {
        try (Database database = Database.open(DatabaseSettings.embedded(), Path.of(args[0]))) {
            long referrals =
                    new JdbcReferralStore(database.dataSource(), Clock.systemUTC(), TestKeys.cipher()).countReferrals();
            System.out.println(RESULT + "opened, " + referrals + " referrals");
            System.out.flush();
            if (args.length > 1 && args[1].equals("hold")) {
                Thread.sleep(Long.MAX_VALUE);
            }
        } catch (GatewayException e) {
            System.out.println(RESULT + e.code().code() + ": " + e.getMessage());
            System.exit(1);
        }
    }
}
