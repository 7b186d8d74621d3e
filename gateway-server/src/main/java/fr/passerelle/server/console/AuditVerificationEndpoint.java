package fr.passerelle.server.console;

import fr.passerelle.core.audit.AuditChecks;
import fr.passerelle.core.audit.AuditVerifier;
import fr.passerelle.core.config.model.Administrator;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /console/audit/verification}, the dashboard's « Vérifier le journal maintenant »: verifies the audit
 * log in the database against the gateway's signing certificate, as {@code gateway audit verify} does, and records
 * the verdict in the log itself ({@value AuditChecks#ACTION}, by {@code admin:<id>}), so that every instance and a
 * restart show the last verification. A log that verifies sends the administrator back to the dashboard with a
 * confirmation; one that does not shows the dashboard at once with the problem, which names entries and heads only.
 */
final class AuditVerificationEndpoint implements Endpoint {
    static final String PATH = ConsolePages.PREFIX + "audit/verification";
    private static final Logger log = LoggerFactory.getLogger(AuditVerificationEndpoint.class);

    private final ConsoleServices services;
    private final DashboardEndpoint dashboard;

    AuditVerificationEndpoint(ConsoleServices services, DashboardEndpoint dashboard) {
        this.services = services;
        this.dashboard = dashboard;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        ConsoleForm.read(request, services.csrf());
        Administrator admin = request.admin();
        AuditVerifier.Verdict verdict = AuditVerifier.verify(services.dataSource(), services.auditSigner());
        long seq = AuditChecks.record(services.dataSource(), admin.actor(), verdict);
        if (verdict.ok()) {
            log.info("{} verified the audit log (entry {}): {}", admin.actor(), seq, verdict.summary());
            return ConsolePages.redirect(ConsolePages.PREFIX + "?verification=ok");
        }
        log.warn("{} verified the audit log (entry {}): {}", admin.actor(), seq, verdict.summary());
        // The problem's text is not in the audit entry (its detail holds codes only): it is shown now, not after a
        // redirect whose address anyone could forge.
        return dashboard.page(
                admin,
                Banner.error(
                        "Le journal d'audit ne se vérifie pas",
                        "La vérification s'est arrêtée au premier problème, après "
                                + DashboardEndpoint.plural(verdict.entries(), "entrée") + " conforme"
                                + (verdict.entries() > 1 ? "s" : "")
                                + ". Ne rien effacer : prévenir le responsable de la sécurité, qui vérifiera"
                                + " l'export du journal hors ligne (gateway audit verify). Ce que la passerelle a"
                                + " trouvé :",
                        verdict.firstProblem().orElseThrow()));
    }
}
