package fr.passerelle.core.referral;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.internal.Text;
import java.time.ZoneId;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A French department by its INSEE code: 01–19, 2A, 2B, 21–95, and the overseas departments of article 73 of
 * the Constitution, 971–974 and 976, where the instruction applies too.
 */
public record Department(String code) implements Comparable<Department> {
    private static final Pattern METROPOLITAN = Pattern.compile("0[1-9]|1[0-9]|2[AB]|2[1-9]|[3-8][0-9]|9[0-5]");
    private static final Pattern OVERSEAS = Pattern.compile("97[1-46]");
    static final String EXPECTED = "expected 01-19, 2A, 2B, 21-95, 971-974 or 976";

    public Department {
        Objects.requireNonNull(code, "code");
        if (!METROPOLITAN.matcher(code).matches() && !OVERSEAS.matcher(code).matches()) {
            throw new GatewayException(
                    ErrorCode.DEPARTMENT_INVALID,
                    "department '" + Text.token(code, 8) + "' is not valid (" + why(code) + ")");
        }
    }

    public static Department of(String code) {
        return new Department(code);
    }

    private static String why(String code) {
        if (code.equals("20")) {
            return "Corsica is 2A or 2B since 1976; " + EXPECTED;
        }
        if (code.matches("97[578]|98[0-9]")) {
            return code + " is an overseas collectivity, not a department, and the instruction does not apply"
                    + " there; " + EXPECTED;
        }
        if (code.matches("[1-9]")) {
            return "write two digits: 0" + code + "; " + EXPECTED;
        }
        if (code.equals("2a") || code.equals("2b")) {
            return "write Corsica in upper case: 2A or 2B; " + EXPECTED;
        }
        return EXPECTED;
    }

    public boolean isOverseas() {
        return code.length() == 3;
    }

    /**
     * Metropolitan France's legal time: the zone of the departments of the mainland and Corsica, and the one the
     * gateway counts days in when no department says otherwise (a submission's day, a protection's end, the
     * console's dates without a department).
     */
    public static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    /**
     * The time zone people of this department read times in: a mail or a page shows a deadline in Mayotte's time
     * to Mayotte's association, not in Paris's.
     */
    public ZoneId zone() {
        return switch (code) {
            case "971" -> ZoneId.of("America/Guadeloupe");
            case "972" -> ZoneId.of("America/Martinique");
            case "973" -> ZoneId.of("America/Cayenne");
            case "974" -> ZoneId.of("Indian/Reunion");
            case "976" -> ZoneId.of("Indian/Mayotte");
            default -> PARIS;
        };
    }

    @Override
    public int compareTo(Department other) {
        return code.compareTo(other.code);
    }

    @Override
    public String toString() {
        return code;
    }
}
