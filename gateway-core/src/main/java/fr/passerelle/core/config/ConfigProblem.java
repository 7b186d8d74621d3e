package fr.passerelle.core.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * One problem found in the configuration, where it is and how to fix it. Messages name keys and safe values,
 * never a password.
 *
 * @param file     the file the problem is in
 * @param line     its line, from 1; 0 when the problem concerns the file as a whole
 * @param message  what is wrong and what was expected
 * @param fix      what the administrator should do; empty when the message says it all
 */
public record ConfigProblem(Severity severity, Path file, int line, String message, String fix) {

    /** Errors stop the gateway from starting; warnings do not. */
    public enum Severity {
        ERROR,
        WARNING;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ConfigProblem {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(fix, "fix");
        if (line < 0) {
            throw new IllegalArgumentException("line: " + line + " (expected: 0 or more)");
        }
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code file:line: error: message (fix: ...)}, the way compilers print, so editors can jump to it. */
    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line : "") + ": " + severity + ": " + message
                + (fix.isEmpty() ? "" : " (fix: " + fix + ")");
    }
}
