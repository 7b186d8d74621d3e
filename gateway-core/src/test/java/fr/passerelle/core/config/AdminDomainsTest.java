package fr.passerelle.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.config.model.Administrator;
import fr.passerelle.core.referral.Domain;
import fr.passerelle.core.referral.ReferralType;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The domains: key of config/admins/<id>.yaml, which limits an administrator to some data domains. */
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
        config.write(
                "admins/ops.yaml",
                "id: ops",
                "name: Astreinte",
                "role: admin",
                domainsLine,
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
}
