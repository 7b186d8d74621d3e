package fr.passerelle.server.console;

import java.util.List;
import java.util.Objects;

/**
 * The partners page: every partner of the current configuration version, in French.
 *
 * @param canChange whether the administrator may add a partner (role admin, versioned configuration)
 * @param banner    the confirmation of the change just made, or empty
 * @param source    where the list comes from: a configuration version, or why it is read-only
 */
public record PartnerList(String administrator, boolean canChange, String banner, String source, List<Line> lines) {
    public PartnerList {
        Objects.requireNonNull(administrator, "administrator");
        Objects.requireNonNull(banner, "banner");
        Objects.requireNonNull(source, "source");
        lines = List.copyOf(lines);
    }

    /**
     * One partner.
     *
     * @param departments its departments, or « national »
     * @param certificate when its certificate expires, or why there is none
     * @param rotation    « rotation en cours jusqu'au … » while an old certificate is still accepted, or empty
     */
    public record Line(
            String id,
            String name,
            String kind,
            String departments,
            String transport,
            boolean enabled,
            String certificate,
            String rotation) {}
}
