package fr.passerelle.server.console;

import fr.passerelle.core.config.model.Administrator;
import java.util.Objects;

/**
 * Who looks at a page of the console: the page shows the buttons and forms that change something only when
 * {@link #mayAct()}, and each of its forms carries {@link #csrf()}.
 *
 * @param administrator the administrator's id
 * @param role          the administrator's role, in French
 * @param mayAct        whether the role is admin; an auditor sees no button, form or link that changes anything
 * @param csrf          the anti-forgery token of the administrator's forms
 */
public record Viewer(String administrator, String role, boolean mayAct, String csrf) {
    public Viewer {
        Objects.requireNonNull(administrator, "administrator");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(csrf, "csrf");
    }

    static Viewer of(Administrator admin, CsrfTokens csrf) {
        boolean admits = admin.role() == Administrator.Role.ADMIN;
        return new Viewer(admin.id(), admits ? "administrateur" : "auditeur", admits, csrf.tokenFor(admin));
    }
}
