package fr.passerelle.core.referral;

import com.networknt.schema.ExecutionContext;
import com.networknt.schema.Format;
import java.time.DateTimeException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Our own {@code date-time} and {@code email} formats, replacing the validator library's: its {@code date-time}
 * logs the rejected value at debug level (a value may be personal data), and its {@code email} checks the
 * domain against a frozen list of top-level domains, which refuses the reserved {@code .invalid} domain of our
 * samples and any domain newer than the list.
 */
final class QuietFormats {
    /** RFC 3339 section 5.6 date-time, seconds required, fraction and {@code Z} or offset. */
    private static final Pattern DATE_TIME = Pattern.compile(
            "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?([Zz]|[+-][0-9]{2}:[0-9]{2})");
    /** RFC 5321 mailbox, dot-atom local part, a domain of at least two labels. */
    private static final Pattern EMAIL =
            Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");

    private QuietFormats() {}

    static List<Format> all() {
        return List.of(new Named("date-time", QuietFormats::isDateTime), new Named("email", QuietFormats::isEmail));
    }

    private static boolean isDateTime(String value) {
        if (!DATE_TIME.matcher(value).matches()) {
            return false;
        }
        try {
            OffsetDateTime.parse(value.toUpperCase(Locale.ROOT));
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    private static boolean isEmail(String value) {
        int at = value.lastIndexOf('@');
        return value.length() <= 254
                && at > 0
                && at <= 64
                && EMAIL.matcher(value).matches();
    }

    private record Named(String name, Predicate<String> test) implements Format {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean matches(ExecutionContext context, String value) {
            return test.test(value);
        }
    }
}
