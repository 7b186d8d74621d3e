package fr.passerelle.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.config.model.Administrator;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.Domain;
import fr.passerelle.core.referral.ReferralType;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The domains: key of config/admins/<id>.yaml, which limits an administrator to some data domains; and role:
 * statistics with its departments:, the State's readers of the figures.
 */
class AdminDomainsTest {
    @TempDir
    Path temp;

    private TestConfig config;

    @BeforeEach
    void writeValidConfiguration() {
        config = TestConfig.valid(temp);
    }

    /** Writes admins/ops.yaml, whose domains: line (when given) is line 4. */
    private void admin(String domainsLine) {
        admin("admin", domainsLine);
    }

    /** Writes admins/ops.yaml of {@code role}, whose line 4 is {@code line} (domains: or departments:). */
    private void admin(String role, String line) {
        config.write(
                "admins/ops.yaml",
                "id: ops",
                "name: Astreinte",
                "role: " + role,
                line,
                "certificate:",
                "  sha256: \"" + TestConfig.fingerprint("AB") + "\"");
    }

    private Administrator ops() {
        return config.check().deployment().orElseThrow().administrators().get("ops");
    }

    private List<String> problems() {
        return config.check().problems().stream().map(config::shown).toList();
    }

    @Test
    void givesEveryDomainWhenTheFileSaysNone() {
        admin("");

        Administrator ops = ops();

        assertThat(ops.domains()).containsExactlyInAnyOrder(Domain.VICTIM_SUPPORT, Domain.POLICE_JUSTICE);
        assertThat(ops.limited()).isFalse();
    }

    @Test
    void limitsAnAdministratorToTheDomainsItsFileLists() {
        admin("domains: [victim-support]");

        Administrator ops = ops();

        assertThat(ops.domains()).containsExactly(Domain.VICTIM_SUPPORT);
        assertThat(ops.limited()).isTrue();
        assertThat(ops.covers(Domain.POLICE_JUSTICE)).isFalse();
        assertThat(ops.types())
                .contains(ReferralType.VICTIM_ORIENTATION, ReferralType.CHILD_PROTECTION_ALERT)
                .doesNotContain(
                        ReferralType.REMOVAL_OBJECTIVE,
                        ReferralType.ADMINISTRATIVE_CLOSURE,
                        ReferralType.EXPLOITATION_REPORT);
    }

    @Test
    void refusesAnUnknownDomainNamingFileLineAndTheClosestCode() {
        admin("domains: [victim-support, police-justise]");

        assertThat(problems())
                .containsExactly("admins/ops.yaml:4: error: domain 'police-justise' is unknown"
                        + " (expected one of: victim-support, police-justice) (fix: did you mean 'police-justice'?)");
    }

    @Test
    void refusesAnEmptyListOfDomains() {
        admin("domains: []");

        assertThat(problems())
                .containsExactly("admins/ops.yaml:4: error: 'domains' is empty: this administrator"
                        + " could see nothing (expected one or more of: victim-support, police-justice) (fix: list its"
                        + " domains, such as domains: [victim-support], or remove the key for every domain)");
    }

    @Test
    void refusesDomainsWrittenAsOneValue() {
        admin("domains: victim-support");

        assertThat(problems())
                .containsExactly("admins/ops.yaml:4: error: 'domains' must be a list, found the text"
                        + " 'victim-support' (fix: write it as domains: [victim-support])");
    }

    @Test
    void keepsEveryDomainForAnAdministratorBuiltWithoutThem() {
        Administrator admin =
                new Administrator("admin", "Exploitation", Administrator.Role.ADMIN, TestConfig.fingerprint("CD"));

        assertThat(admin.domains()).isEqualTo(Set.of(Domain.values()));
    }

    @Test
    void limitsAStatisticsReaderToTheDepartmentsItsFileLists() {
        admin("statistics", "departments: [\"75\", \"92\"]");

        Administrator prefet = ops();

        assertThat(prefet.role()).isEqualTo(Administrator.Role.STATISTICS);
        assertThat(prefet.departments()).containsExactlyInAnyOrder(Department.of("75"), Department.of("92"));
        assertThat(prefet.covers(Department.of("974"))).isFalse();
        assertThat(prefet.role().covers(Administrator.Role.AUDITOR)).isFalse();
    }

    @Test
    void givesANationalReaderEveryDepartment() {
        admin("statistics", "");

        Administrator dgcs = ops();

        assertThat(dgcs.departments()).isEmpty();
        assertThat(dgcs.covers(Department.of("974"))).isTrue();
    }

    @Test
    void refusesAnInvalidDepartmentNamingFileLineAndFix() {
        admin("statistics", "departments: [\"75\", \"20\"]");

        assertThat(problems())
                .containsExactly("admins/ops.yaml:4: error: department '20' is not valid (Corsica is 2A or 2B since"
                        + " 1976; expected 01-19, 2A, 2B, 21-95, 971-974 or 976) (fix: write the department's INSEE"
                        + " code in quotes, such as \"75\", \"2A\" or \"974\")");
    }

    @Test
    void refusesAnEmptyListOfDepartments() {
        admin("statistics", "departments: []");

        assertThat(problems())
                .containsExactly("admins/ops.yaml:4: error: 'departments' is empty: this statistics reader could"
                        + " read no figure (fix: list its departments, such as departments: [\"75\"], or remove the"
                        + " key for every department (a national reader))");
    }

    @Test
    void refusesDepartmentsForAnAuditor() {
        admin("auditor", "departments: [\"75\"]");

        assertThat(problems())
                .containsExactly("admins/ops.yaml:4: error: 'departments' limits a statistics reader, and this"
                        + " administrator has role auditor (an administrator or auditor sees every department of its"
                        + " domains) (fix: write role: statistics for a reader of the figures only, or remove"
                        + " departments:)");
    }
}
