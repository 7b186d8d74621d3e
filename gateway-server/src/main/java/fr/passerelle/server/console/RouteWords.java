package fr.passerelle.server.console;

import fr.passerelle.adapters.words.FrenchLabels;
import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.core.referral.ReferralType;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The French words of the routing pages: partner kinds, whom a route serves, types, and a route's table line. */
final class RouteWords {
    private static final Map<PartnerKind, String> KINDS = new EnumMap<>(Map.ofEntries(
            Map.entry(PartnerKind.POLICE, "police"),
            Map.entry(PartnerKind.GENDARMERIE, "gendarmerie"),
            Map.entry(PartnerKind.ASSOCIATION, "association"),
            Map.entry(PartnerKind.SOCIAL, "service social"),
            Map.entry(PartnerKind.SIAO, "SIAO"),
            Map.entry(PartnerKind.PREFECTURE, "préfecture"),
            Map.entry(PartnerKind.CRIP, "CRIP"),
            Map.entry(PartnerKind.PROSECUTOR, "parquet"),
            Map.entry(PartnerKind.LABOUR, "inspection du travail"),
            Map.entry(PartnerKind.URSSAF, "URSSAF"),
            Map.entry(PartnerKind.MONITORING, "centre de veille"),
            Map.entry(PartnerKind.DGCS, "DGCS"),
            Map.entry(PartnerKind.MIPROF, "MIPROF"),
            Map.entry(PartnerKind.SECURITY, "cabinet du préfet"),
            Map.entry(PartnerKind.COHESION, "cohésion sociale"),
            Map.entry(PartnerKind.HOUSING, "hébergement d'urgence de l'État"),
            Map.entry(PartnerKind.HEALTH, "ARS"),
            Map.entry(PartnerKind.CAF, "CAF"),
            Map.entry(PartnerKind.CPAM, "CPAM"),
            Map.entry(PartnerKind.TAX, "finances publiques"),
            Map.entry(PartnerKind.CUSTOMS, "douane"),
            Map.entry(PartnerKind.EMPLOYMENT, "France Travail"),
            Map.entry(PartnerKind.FUNDER, "financeur public")));
    private static final Map<String, String> SUBJECTS =
            Map.of("", "toute personne", "adult", "adultes seulement", "minor", "mineurs seulement");

    private RouteWords() {}

    /** A route's line of the table, in French. */
    static RouteTable.Line line(RouteForm form) {
        return new RouteTable.Line(
                form.id(),
                ReferralType.find(form.type()).map(FrenchLabels::type).orElse(form.type()),
                String.join(", ", form.from().stream().map(RouteWords::kind).toList()),
                form.departments().isEmpty() ? "tous" : form.departments(),
                form.recipients(),
                SUBJECTS.getOrDefault(form.subject(), form.subject()),
                form.fieldPaths().size());
    }

    /** A kind of partner in French. */
    static String kind(PartnerKind kind) {
        return KINDS.get(kind);
    }

    private static String kind(String code) {
        return Arrays.stream(PartnerKind.values())
                .filter(kind -> kind.code().equals(code))
                .findFirst()
                .map(RouteWords::kind)
                .orElse(code);
    }

    static List<RoutePage.Option> types() {
        return Arrays.stream(ReferralType.values())
                .filter(ReferralType::routed)
                .map(t -> new RoutePage.Option(t.code(), FrenchLabels.type(t)))
                .toList();
    }

    static List<RoutePage.Option> kinds() {
        return Arrays.stream(PartnerKind.values())
                .map(k -> new RoutePage.Option(k.code(), kind(k)))
                .toList();
    }

    /** Whom a route serves, as the select offers it: any first, then adults, then minors. */
    static List<RoutePage.Option> subjects() {
        return SUBJECTS.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> new RoutePage.Option(e.getKey(), e.getValue()))
                .toList();
    }
}
