package fr.passerelle.server.console;

import java.util.List;
import java.util.Objects;

/**
 * What the routing table page shows, already in French: one line per route of the current configuration version.
 *
 * @param administrator the id of the administrator who looks
 * @param canEdit       whether the administrator may change routes (role admin, configuration versions in use)
 * @param notice        the confirmation of the change just made, or empty
 * @param readOnly      why nothing can be changed here, or empty
 * @param version       the configuration version shown, or empty when the gateway runs without versions
 */
public record RouteTable(
        String administrator, boolean canEdit, String notice, String readOnly, String version, List<Line> lines) {
    public RouteTable {
        Objects.requireNonNull(administrator, "administrator");
        Objects.requireNonNull(notice, "notice");
        Objects.requireNonNull(readOnly, "readOnly");
        Objects.requireNonNull(version, "version");
        lines = List.copyOf(lines);
    }

    /**
     * One route.
     *
     * @param type        its type in French
     * @param from        the sender kinds in French
     * @param departments its departments, or « tous »
     * @param to          its recipients, one per entry
     * @param subject     whom it carries referrals about, in French
     * @param fields      how many fields it lists
     */
    public record Line(
            String id, String type, String from, String departments, List<String> to, String subject, int fields) {
        public Line {
            to = List.copyOf(to);
        }
    }
}
