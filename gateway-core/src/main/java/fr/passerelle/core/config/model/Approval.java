package fr.passerelle.core.config.model;

import fr.passerelle.core.referral.Department;
import java.time.LocalDate;
import java.util.Objects;

/**
 * A prefectoral approval held by an association, for instance {@code exit-pathway} (parcours de sortie de la
 * prostitution, law of 13 April 2016), granted for three years by the prefect of its head-office department.
 */
public record Approval(String code, Department department, LocalDate expires) {
    public Approval {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(department, "department");
        Objects.requireNonNull(expires, "expires");
    }

    public boolean validOn(LocalDate day) {
        return !day.isAfter(expires);
    }
}
