package fr.passerelle.server.console;

import java.util.List;
import java.util.Map;
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
 * @param bars     the lines' referrals as a bar chart, a hidden count as an empty bar
 * @param communes the referrals by department and commune
 * @param declines the declined copies by department and reason
 */
public record StatisticsView(
        String administrator,
        Form form,
        List<String> outcomes,
        List<Line> lines,
        Line total,
        int minGroup,
        String csv,
        List<Bar> bars,
        List<Cell> communes,
        List<Cell> declines) {
    public StatisticsView {
        Objects.requireNonNull(administrator, "administrator");
        Objects.requireNonNull(form, "form");
        outcomes = List.copyOf(outcomes);
        lines = List.copyOf(lines);
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(csv, "csv");
        bars = List.copyOf(bars);
        communes = List.copyOf(communes);
        declines = List.copyOf(declines);
    }

    /** One cell of a breakdown by department: a commune's code or a decline reason in French, and its count. */
    public record Cell(String department, String label, String count) {}

    /** The chart's height, in the units of its {@link Bar}s. */
    public int chartHeight() {
        return bars.size() * Bar.STEP;
    }

    /**
     * One line of the bar chart, placed by the server so that the SVG needs no script nor style.
     *
     * @param y     the top of the line's label; its bar lies under it
     * @param width the bar's length, from 0 to {@value #WIDTH}
     */
    public record Bar(String label, String value, int y, int width) {
        public static final int WIDTH = 480;
        public static final int STEP = 44;

        public int barY() {
            return y + 20;
        }

        public int valueX() {
            return width + 6;
        }
    }

    /**
     * The form's values: days as {@code YYYY-MM-DD}, an empty department or type for all.
     *
     * @param errors what is wrong with a field, in French, by the field's name; when there is any, the values are
     *               what the administrator typed and the page shows no figures
     */
    public record Form(
            String from, String to, String department, String type, List<Choice> types, Map<String, String> errors) {
        public Form {
            types = List.copyOf(types);
            errors = Map.copyOf(errors);
        }

        /** The field's error, or empty. */
        public String error(String field) {
            return errors.getOrDefault(field, "");
        }
    }

    /** A type the administrator may choose. */
    public record Choice(String code, String label, boolean selected) {}

    /**
     * A department and type's figures.
     *
     * @param acknowledgment the median and 90th percentile time to the first acknowledgment, or « masqué »
     * @param minors         the referrals about a person the gateway treated as a minor
     */
    public record Line(
            String department,
            String type,
            String referrals,
            List<String> outcomes,
            String acknowledgment,
            String acceptance,
            String minors) {
        public Line {
            outcomes = List.copyOf(outcomes);
        }
    }
}
