package fr.passerelle.server.console;

import java.util.List;
import java.util.Objects;

/**
 * What the statistics page shows, already in French: the form as it was filled, and the report's figures as text,
 * a hidden count as « &lt; 5 » and a hidden time as « masqué ». Figures only, no personal data.
 *
 * @param form     the period, department and type asked for, and the types the administrator may choose
 * @param outcomes the outcome columns' headings, in the order of every line's {@link Line#outcomes()}
 * @param lines    one per department and type, sorted by department, then type
 * @param total    the report's total and times, its outcomes empty
 * @param csv      the CSV export's link, with the same parameters
 */
public record StatisticsView(
        String administrator,
        Form form,
        List<String> outcomes,
        List<Line> lines,
        Line total,
        int minGroup,
        String csv) {
    public StatisticsView {
        Objects.requireNonNull(administrator, "administrator");
        Objects.requireNonNull(form, "form");
        outcomes = List.copyOf(outcomes);
        lines = List.copyOf(lines);
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(csv, "csv");
    }

    /** The form's values: days as {@code YYYY-MM-DD}, an empty department or type for all. */
    public record Form(String from, String to, String department, String type, List<Choice> types) {
        public Form {
            types = List.copyOf(types);
        }
    }

    /** A type the administrator may choose. */
    public record Choice(String code, String label, boolean selected) {}

    /**
     * A department and type's figures.
     *
     * @param acknowledgment the median and 90th percentile time to the first acknowledgment, or « masqué »
     */
    public record Line(
            String department,
            String type,
            String referrals,
            List<String> outcomes,
            String acknowledgment,
            String acceptance) {
        public Line {
            outcomes = List.copyOf(outcomes);
        }
    }
}
