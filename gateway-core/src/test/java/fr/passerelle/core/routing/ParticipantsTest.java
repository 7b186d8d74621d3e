package fr.passerelle.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.Referral;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class ParticipantsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void namesEachListedServiceThatNoRecipientIsOf() {
        Referral closure = closure("police", "labour-inspection", "urssaf", "france-travail");

        var unreached = Participants.unreached(closure, EnumSet.of(PartnerKind.POLICE, PartnerKind.LABOUR));

        assertThat(unreached)
                .extracting(Participants.Unreached::participant, Participants.Unreached::kind)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("urssaf", PartnerKind.URSSAF),
                        org.assertj.core.groups.Tuple.tuple("france-travail", PartnerKind.EMPLOYMENT));
        assertThat(unreached.get(0).detail())
                .isEqualTo("the administrative.closure lists urssaf among its participants, but it reached no urssaf"
                        + " partner in department 974 (no route of the type lists {kind: urssaf} there, or no enabled"
                        + " urssaf partner serves it); tell that service by other means, and ask the gateway's"
                        + " administrator to add one");
    }

    @Test
    void namesNothingWhenEveryServiceIsReachedOrTheTypeListsNone() {
        Referral closure = closure("police", "urssaf");
        Referral other = new Referral(
                ReferralType.DIFFICULTY_REPORT, Department.of("974"), Urgency.ROUTINE, JSON.createObjectNode());

        assertThat(Participants.unreached(closure, EnumSet.of(PartnerKind.POLICE, PartnerKind.URSSAF)))
                .isEmpty();
        assertThat(Participants.unreached(other, EnumSet.noneOf(PartnerKind.class)))
                .isEmpty();
    }

    private static Referral closure(String... participants) {
        ObjectNode body = JSON.createObjectNode();
        var listed = body.putArray("participants");
        for (String participant : participants) {
            listed.add(participant);
        }
        return new Referral(ReferralType.ADMINISTRATIVE_CLOSURE, Department.of("974"), Urgency.ROUTINE, body);
    }
}
