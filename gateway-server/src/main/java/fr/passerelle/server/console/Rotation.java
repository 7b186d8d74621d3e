package fr.passerelle.server.console;

import fr.passerelle.core.GatewayException;
import fr.passerelle.core.crypto.PemFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The certificate rotation form of a partner's page, as typed: the new certificate (PEM) or its SHA-256
 * fingerprint, and how many hours the previous one stays accepted. The same rules as the admin API's
 * {@code POST /admin/v1/partners/{id}/certificate}: a PEM wins over a fingerprint, the overlap is a whole number
 * of hours from 0 to 90 days, 168 (a week) by default.
 */
record Rotation(String pem, String sha256, String overlapHours) {
    static final String DEFAULT_HOURS = "168";
    /** As the admin API's longest overlap: 90 days. */
    static final long MAX_HOURS = 90 * 24;

    static Rotation read(ConsoleForm form) {
        return new Rotation(form.value("new_pem"), form.value("new_sha256"), form.value("overlap_hours"));
    }

    /** By field name, what the form alone tells is wrong, in French. */
    Map<String, String> errors() {
        Map<String, String> errors = new LinkedHashMap<>();
        if (pem.isEmpty() && sha256.isEmpty()) {
            errors.put("new_pem", "Coller le nouveau certificat (PEM), ou saisir son empreinte SHA-256 ci-dessous.");
        } else if (!pem.isEmpty() && !sha256.isEmpty()) {
            errors.put("new_sha256", "Laisser l'empreinte vide quand le certificat est collé : elle en est tirée.");
        } else if (!pem.isEmpty() && !readable(pem)) {
            errors.put(
                    "new_pem",
                    "Ce n'est pas un certificat PEM lisible : coller le fichier entier, de -----BEGIN CERTIFICATE-----"
                            + " à -----END CERTIFICATE-----.");
        } else if (!sha256.isEmpty() && !PartnerForm.FINGERPRINT.matcher(sha256).matches()) {
            errors.put(
                    "new_sha256",
                    "Saisir 32 paires de chiffres hexadécimaux séparées par deux-points (AA:BB:…), comme les donne"
                            + " openssl x509 -noout -fingerprint -sha256.");
        }
        if (hours().isEmpty()) {
            errors.put(
                    "overlap_hours",
                    "Saisir un nombre entier d'heures de 0 à " + MAX_HOURS + " (90 jours) ; 168 heures font une"
                            + " semaine.");
        }
        return errors;
    }

    Optional<String> pemGiven() {
        return Optional.of(pem).filter(p -> !p.isEmpty());
    }

    Optional<String> sha256Given() {
        return Optional.of(sha256).filter(s -> !s.isEmpty());
    }

    /** The end of the overlap; call only when {@link #errors()} is empty. */
    Instant until(Instant now) {
        return now.plus(Duration.ofHours(hours().orElseThrow()));
    }

    private Optional<Long> hours() {
        String text = overlapHours.isEmpty() ? DEFAULT_HOURS : overlapHours;
        if (!text.matches("[0-9]{1,6}")) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(text)).filter(h -> h <= MAX_HOURS);
    }

    private static boolean readable(String pem) {
        try {
            return !PemFiles.parseCertificates(Path.of("certificate.pem"), pem.getBytes(StandardCharsets.US_ASCII))
                    .isEmpty();
        } catch (GatewayException e) {
            return false;
        }
    }
}
