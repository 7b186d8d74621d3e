package fr.passerelle.server.lifecycle;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import fr.passerelle.core.config.model.GatewaySettings.LogSettings;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code logging:} of gateway.yaml (or {@code GATEWAY_LOG_LEVEL} and {@code GATEWAY_LOG_FORMAT}) to the
 * running Logback, once {@code gateway serve} has read its settings: the level of the gateway's own lines, and their
 * format. {@code json} replaces the console appenders of logback.xml with one that writes, to standard error, one
 * JSON object per line: {@code @timestamp} (ISO-8601, UTC), {@code level}, {@code logger_name},
 * {@code thread_name}, {@code message}, the MDC's {@code partner} and {@code referral} where known, and
 * {@code stack_trace}. The lines carry identifiers only, as in text.
 */
public final class Logs {
    static final String JSON_APPENDER = "passerelle-json";

    private Logs() {}

    public static void apply(LogSettings settings) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.getLogger("fr.passerelle")
                .setLevel(Level.toLevel(settings.level().name()));
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        if (settings.format() == LogSettings.Format.JSON && root.getAppender(JSON_APPENDER) == null) {
            for (Appender<ILoggingEvent> console : consoles(root)) {
                root.detachAppender(console);
                console.stop();
            }
            root.addAppender(jsonAppender(context));
        }
    }

    static ConsoleAppender<ILoggingEvent> jsonAppender(LoggerContext context) {
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(context);
        encoder.setTimeZone("UTC");
        // The context's name and properties say nothing an operator needs on every line.
        encoder.setIncludeContext(false);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(JSON_APPENDER);
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.start();
        return appender;
    }

    private static List<Appender<ILoggingEvent>> consoles(Logger root) {
        List<Appender<ILoggingEvent>> consoles = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> appender = it.next();
            if (appender instanceof ConsoleAppender) {
                consoles.add(appender);
            }
        }
        return consoles;
    }
}
