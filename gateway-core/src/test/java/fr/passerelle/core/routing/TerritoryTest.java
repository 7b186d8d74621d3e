package fr.passerelle.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.testkit.TestPartners;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The rule prefecture-serves-department: removal objectives, closures and funding alerts from a prefect's service
 * serving the department.
 */
class TerritoryTest {
    private static final Department PARIS = Department.of("75");
    private static final Department REUNION = Department.of("974");
    private static final Partner REUNION_PREFECTURE = prefecture("prefecture-974", Set.of(REUNION));

    @Test
    void refusesARemovalObjectiveForADepartmentThePrefectureDoesNotServe() {
        assertThatThrownBy(() -> Territory.check(REUNION_PREFECTURE, ReferralType.REMOVAL_OBJECTIVE, PARIS))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DEPARTMENT_NOT_SERVED);
                    assertThat(e.getMessage())
                            .isEqualTo("prefecture-974 serves 974 only: a removal.objective for 75 must come from a"
                                    + " prefecture serving 75 (rule prefecture-serves-department); send it through"
                                    + " that prefecture, or, if prefecture-974 does serve 75, ask the gateway's"
                                    + " administrator to add \"75\" to departments: in its registry entry"
                                    + " (partners/prefecture-974.yaml)");
                });
    }

    @Test
    void refusesAClosureForADepartmentThePrefectureDoesNotServe() {
        Optional<String> refusal = Territory.refusal(REUNION_PREFECTURE, ReferralType.ADMINISTRATIVE_CLOSURE, PARIS);

        assertThat(refusal).hasValueSatisfying(message -> assertThat(message)
                .startsWith("prefecture-974 serves 974 only: an administrative.closure for 75 must come from"
                        + " a prefect's service (security or prefecture) serving 75 (rule"
                        + " prefecture-serves-department)"));
    }

    @Test
    void refusesAClosureOrAFundingAlertFromACabinetThatDoesNotServeItsDepartment() {
        Partner cabinet = TestPartners.partner(
                "security-974",
                Set.of(REUNION),
                Set.of(ReferralType.ADMINISTRATIVE_CLOSURE, ReferralType.PUBLIC_FUNDING_ALERT));

        assertThatThrownBy(() -> Territory.check(cabinet, ReferralType.PUBLIC_FUNDING_ALERT, PARIS))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.DEPARTMENT_NOT_SERVED);
                    assertThat(e.getMessage())
                            .isEqualTo("security-974 serves 974 only: a public.funding.alert for 75 must come from a"
                                    + " prefect's service (security or prefecture) serving 75 (rule"
                                    + " prefecture-serves-department); send it through that service, or, if"
                                    + " security-974 does serve 75, ask the gateway's administrator to add \"75\" to"
                                    + " departments: in its registry entry (partners/security-974.yaml)");
                });
        assertThat(Territory.refusal(cabinet, ReferralType.ADMINISTRATIVE_CLOSURE, PARIS))
                .hasValueSatisfying(message -> assertThat(message)
                        .startsWith("security-974 serves 974 only: an" + " administrative.closure for 75"));
        assertThat(Territory.refusal(cabinet, ReferralType.ADMINISTRATIVE_CLOSURE, REUNION))
                .isEmpty();
        assertThat(Territory.refusal(cabinet, ReferralType.PUBLIC_FUNDING_ALERT, REUNION))
                .isEmpty();
    }

    @Test
    void leavesTheReportsAndProposalsThatGoToThePrefectToTheRoutes() {
        Partner labour =
                TestPartners.partner("labour-974-deets", Set.of(REUNION), Set.of(ReferralType.ILLEGAL_WORK_REPORT));

        assertThat(Territory.refusal(labour, ReferralType.ILLEGAL_WORK_REPORT, PARIS))
                .isEmpty();
        assertThat(Territory.refusal(labour, ReferralType.CLOSURE_PROPOSAL, PARIS))
                .isEmpty();
    }

    @Test
    void acceptsARemovalObjectiveAndAClosureForADepartmentThePrefectureServes() {
        Territory.check(REUNION_PREFECTURE, ReferralType.REMOVAL_OBJECTIVE, REUNION);

        assertThat(Territory.refusal(REUNION_PREFECTURE, ReferralType.REMOVAL_OBJECTIVE, REUNION))
                .isEmpty();
        assertThat(Territory.refusal(REUNION_PREFECTURE, ReferralType.ADMINISTRATIVE_CLOSURE, REUNION))
                .isEmpty();
    }

    @Test
    void namesEveryDepartmentOfAPrefectureThatServesSeveral() {
        Partner both = prefecture("prefecture-outre-mer", Set.of(REUNION, Department.of("976")));

        assertThat(Territory.refusal(both, ReferralType.REMOVAL_OBJECTIVE, PARIS))
                .hasValueSatisfying(
                        message -> assertThat(message).startsWith("prefecture-outre-mer serves 974, 976 only:"));
        assertThat(Territory.refusal(both, ReferralType.REMOVAL_OBJECTIVE, Department.of("976")))
                .isEmpty();
    }

    @Test
    void refusesAPrefectureThatListsNoDepartmentRatherThanTreatItAsNational() {
        Partner nowhere = prefecture("prefecture-sans-departement", Set.of());

        assertThat(Territory.refusal(nowhere, ReferralType.REMOVAL_OBJECTIVE, PARIS))
                .hasValueSatisfying(message -> assertThat(message)
                        .startsWith("prefecture-sans-departement serves no department (its registry entry lists"
                                + " none): a removal.objective for 75 must come from a prefecture serving 75"));
    }

    @Test
    void leavesOtherTypesToTheRoutes() {
        Optional<String> refusal = Territory.refusal(REUNION_PREFECTURE, ReferralType.DIFFICULTY_REPORT, PARIS);

        assertThat(refusal).isEmpty();
        assertThat(Territory.refusal(REUNION_PREFECTURE, ReferralType.RESIDENCE_PERMIT_DECISION, PARIS))
                .isEmpty();
    }

    private static Partner prefecture(String id, Set<Department> departments) {
        return TestPartners.partner(
                id,
                departments,
                Set.of(
                        ReferralType.REMOVAL_OBJECTIVE,
                        ReferralType.ADMINISTRATIVE_CLOSURE,
                        ReferralType.DIFFICULTY_REPORT));
    }
}
