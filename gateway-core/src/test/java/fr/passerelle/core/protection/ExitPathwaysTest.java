package fr.passerelle.core.protection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.Referral;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The exit pathway's chain rules that need no database: renewals and who needs a copy. */
class ExitPathwaysTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate START = LocalDate.of(2026, 1, 1);
    private static final LocalDate FIRST_END = LocalDate.of(2026, 6, 30);

    @Test
    void acceptsARenewalThatFollowsTheRenewedTermAndEndsOnTheLastDayOfTheTwentyFourMonths() {

        assertThatNoException()
                .isThrownBy(() ->
                        ExitPathways.renewal(FIRST_END, START, LocalDate.of(2026, 7, 1), LocalDate.of(2026, 12, 31)));
        assertThatNoException()
                .isThrownBy(() -> ExitPathways.renewal(
                        LocalDate.of(2027, 6, 30), START, LocalDate.of(2027, 7, 1), LocalDate.of(2027, 12, 31)));
    }

    @Test
    void refusesARenewalThatEndsOneDayPastTwentyFourMonths() {

        assertThatThrownBy(() -> ExitPathways.renewal(
                        LocalDate.of(2027, 6, 30), START, LocalDate.of(2027, 7, 2), LocalDate.of(2028, 1, 1)))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION))
                .hasMessage(ExitPathways.LONGER_THAN_24_MONTHS);
    }

    @Test
    void refusesARenewalThatBeginsBeforeTheRenewedTermEnds() {

        assertThatThrownBy(() -> ExitPathways.renewal(FIRST_END, START, FIRST_END, LocalDate.of(2026, 12, 29)))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RULE_VIOLATION))
                .hasMessage(ExitPathways.RENEWAL_OVERLAPS);
    }

    @Test
    void countsTheTwentyFourMonthsFromThePathwaysFirstDay() {

        assertThat(ExitPathways.lastDay(START)).isEqualTo(LocalDate.of(2027, 12, 31));
        assertThat(ExitPathways.lastDay(LocalDate.of(2026, 2, 28))).isEqualTo(LocalDate.of(2028, 2, 27));
    }

    @Test
    void givesTheForeignersDepartmentAndTheCafOnlyWhatConcernsThem() {
        ObjectNode decision = JSON.createObjectNode();
        decision.putObject("afis").put("action", "open");
        ObjectNode application = JSON.createObjectNode();
        application.putObject("requests").put("aps", false).put("afis", true);

        Referral withAfis = referral(ReferralType.EXIT_PATHWAY_DECISION, decision);
        Referral withoutAps = referral(ReferralType.EXIT_PATHWAY_APPLICATION, application);

        assertThat(ExitPathways.needs(withAfis, PartnerKind.CAF)).isTrue();
        assertThat(ExitPathways.needs(withAfis, PartnerKind.PREFECTURE)).isFalse();
        assertThat(ExitPathways.needs(withAfis, PartnerKind.ASSOCIATION)).isTrue();
        assertThat(ExitPathways.needs(withoutAps, PartnerKind.PREFECTURE)).isFalse();
        assertThat(ExitPathways.needs(withoutAps, PartnerKind.COHESION)).isTrue();
        assertThat(ExitPathways.besideRequester(ReferralType.EXIT_PATHWAY_DECISION, PartnerKind.CAF))
                .isTrue();
        assertThat(ExitPathways.besideRequester(ReferralType.EXIT_PATHWAY_OPINION, PartnerKind.PREFECTURE))
                .isFalse();
    }

    private static Referral referral(ReferralType type, ObjectNode body) {
        return new Referral(type, Department.of("75"), Urgency.ROUTINE, body);
    }
}
