package fr.passerelle.server.console;

import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.core.spi.TransportProvider;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/** The French words of the partners' pages: kinds of partner and ways of receiving. */
final class PartnerKinds {
    private static final Map<PartnerKind, String> KINDS = Map.ofEntries(
            Map.entry(PartnerKind.POLICE, "Police"),
            Map.entry(PartnerKind.GENDARMERIE, "Gendarmerie"),
            Map.entry(PartnerKind.ASSOCIATION, "Association"),
            Map.entry(PartnerKind.SOCIAL, "Service social"),
            Map.entry(PartnerKind.SIAO, "SIAO (115)"),
            Map.entry(PartnerKind.PREFECTURE, "Préfecture"),
            Map.entry(PartnerKind.CRIP, "CRIP (protection de l'enfance)"),
            Map.entry(PartnerKind.PROSECUTOR, "Parquet"),
            Map.entry(PartnerKind.LABOUR, "Inspection du travail"),
            Map.entry(PartnerKind.URSSAF, "Urssaf"),
            Map.entry(PartnerKind.MONITORING, "Centre de veille"),
            Map.entry(PartnerKind.DGCS, "DGCS"),
            Map.entry(PartnerKind.MIPROF, "Miprof"),
            Map.entry(PartnerKind.SECURITY, "Préfecture — cabinet et sécurité"),
            Map.entry(PartnerKind.COHESION, "Cohésion sociale (DDETS, DEETS)"),
            Map.entry(PartnerKind.HOUSING, "Hébergement d'urgence de l'État (DRIHL, DDETS, DEETS)"),
            Map.entry(PartnerKind.HEALTH, "Agence régionale de santé"),
            Map.entry(PartnerKind.CAF, "CAF"),
            Map.entry(PartnerKind.CPAM, "Assurance maladie (CPAM, CGSS)"),
            Map.entry(PartnerKind.TAX, "Finances publiques (DGFiP)"),
            Map.entry(PartnerKind.CUSTOMS, "Douane"),
            Map.entry(PartnerKind.EMPLOYMENT, "France Travail"),
            Map.entry(PartnerKind.FUNDER, "Financeur public"));

    private PartnerKinds() {}

    static String label(PartnerKind kind) {
        return KINDS.get(kind);
    }

    static Optional<PartnerKind> find(String code) {
        return Arrays.stream(PartnerKind.values())
                .filter(k -> k.code().equals(code))
                .findFirst();
    }

    /** How a partner receives, in French: its transport's id when the console has no word for it. */
    static String transport(String id) {
        return switch (id) {
            case TransportProvider.INBOX -> "Boîte de réception (il relève)";
            case "https" -> "Envoi HTTPS";
            case "mail" -> "Courriel chiffré (S/MIME)";
            default -> id;
        };
    }
}
