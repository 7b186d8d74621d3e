package fr.passerelle.server.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.config.model.Administrator;
import fr.passerelle.core.referral.Domain;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigChangesTest {
    @Test
    void letsOnlyAnAdministratorOfEveryDomainChangeTheConfiguration() {
        Administrator admin = new Administrator("admin", "Admin", Administrator.Role.ADMIN, "AA".repeat(32));
        Administrator auditor = new Administrator("audit", "Audit", Administrator.Role.AUDITOR, "BB".repeat(32));
        Administrator limited = new Administrator(
                "police", "Police", Administrator.Role.ADMIN, "CC".repeat(32), Set.of(Domain.values()[0]));

        assertThat(ConfigChanges.permits(admin)).isTrue();
        assertThat(ConfigChanges.permits(auditor)).isFalse();
        assertThat(ConfigChanges.permits(limited)).isFalse();
    }
}
