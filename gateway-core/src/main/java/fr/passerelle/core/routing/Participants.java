package fr.passerelle.core.routing;

import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.core.referral.Referral;
import fr.passerelle.core.referral.ReferralType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The services an {@code administrative.closure} lists in {@code participants} that its routes reach nobody of: a
 * closure that lists the URSSAF in a department where no URSSAF partner serves must not leave the prefect believing
 * it was told. The {@code 202} answer names each one ({@code unreached}), with what to do. Stateless.
 */
public final class Participants {
    /** The partner kind of each participant code of the closure's schema. */
    static final Map<String, PartnerKind> KINDS = Map.ofEntries(
            Map.entry("police", PartnerKind.POLICE),
            Map.entry("gendarmerie", PartnerKind.GENDARMERIE),
            Map.entry("labour-inspection", PartnerKind.LABOUR),
            Map.entry("urssaf", PartnerKind.URSSAF),
            Map.entry("tax", PartnerKind.TAX),
            Map.entry("customs", PartnerKind.CUSTOMS),
            Map.entry("caf", PartnerKind.CAF),
            Map.entry("cpam", PartnerKind.CPAM),
            Map.entry("france-travail", PartnerKind.EMPLOYMENT),
            Map.entry("association", PartnerKind.ASSOCIATION));

    private Participants() {}

    /**
     * A listed participant that no recipient of the referral is of.
     *
     * @param participant its code in {@code participants}, such as {@code urssaf}
     * @param kind        the partner kind it stands for
     * @param detail      for the sender, in the {@code 202} answer: codes and ids only, and what to do
     */
    public record Unreached(String participant, PartnerKind kind, String detail) {
        public Unreached {
            Objects.requireNonNull(participant, "participant");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * The participants of {@code referral} that none of {@code reached} is of, in the order it lists them; empty for
     * any other type, or when every listed service was reached.
     *
     * @param reached the kinds of the partners the referral goes to, and the sender's own
     */
    public static List<Unreached> unreached(Referral referral, Set<PartnerKind> reached) {
        if (referral.type() != ReferralType.ADMINISTRATIVE_CLOSURE) {
            return List.of();
        }
        List<Unreached> unreached = new ArrayList<>();
        for (var code : referral.body().path("participants")) {
            PartnerKind kind = KINDS.get(code.asText());
            if (kind != null && !reached.contains(kind)) {
                unreached.add(new Unreached(code.asText(), kind, detail(referral, code.asText(), kind)));
            }
        }
        return List.copyOf(unreached);
    }

    private static String detail(Referral referral, String participant, PartnerKind kind) {
        return "the " + referral.type() + " lists " + participant + " among its participants, but it reached no "
                + kind.code() + " partner in department " + referral.department() + " (no route of the type lists"
                + " {kind: " + kind.code() + "} there, or no enabled " + kind.code() + " partner serves it); tell"
                + " that service by other means, and ask the gateway's administrator to add one";
    }

    /** The kinds of {@code destinations}' recipients. */
    public static Set<PartnerKind> kinds(List<Destination> destinations) {
        return destinations.stream().map(d -> d.recipient().kind()).collect(Collectors.toSet());
    }
}
