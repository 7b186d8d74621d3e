package fr.passerelle.tools.demo;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.core.crypto.ClientTls;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

/**
 * The demo's last act, the State's reading of the figures: the prefect of Paris's statistics reader
 * ({@code config/admins/statistiques-prefecture-75.yaml}, role statistics, departments ["75"]) reads the statistics
 * of everything the demo sent, in Paris and in La Réunion, with the certificate that {@code pki init} issued it,
 * and sees Paris only; La Réunion's figures are refused to it, and so is any other admin operation.
 */
final class StatisticsAct {
    static final String READER = "statistiques-prefecture-75";
    private static final String PHASE = "stats";

    private final PartnerClient reader;
    private final PartnerSystemsAct.Report report;

    StatisticsAct(Path pki, URI base, PartnerSystemsAct.Report report) {
        Path admins = pki.resolve("admins");
        this.reader = new PartnerClient(
                READER,
                ClientTls.sslContext(
                        admins.resolve(READER + ".pem"), admins.resolve(READER + "-key.pem"), pki.resolve("ca.pem")),
                base);
        this.report = report;
    }

    void play() throws IOException {
        long t = System.nanoTime();
        PartnerClient.Reply mine = reader.get("/admin/v1/stats");
        if (mine.status() != 200) {
            report.fail(PHASE, READER + " reads GET /admin/v1/stats: " + mine.status() + " " + mine.text());
            return;
        }
        JsonNode figures = Json.MAPPER.readTree(mine.body());
        Set<String> departments = new TreeSet<>();
        for (String array : new String[] {"groups", "communes", "declineReasons"}) {
            figures.path(array)
                    .forEach(g -> departments.add(g.path("department").asText()));
        }
        if (!departments.equals(Set.of("75"))) {
            report.fail(
                    PHASE, "the prefect of Paris's reader sees the figures of " + departments + " (expected: 75 only)");
            return;
        }
        PartnerClient.Reply reunion = reader.get("/admin/v1/stats?department=974");
        PartnerClient.Reply deliveries = reader.get("/admin/v1/deliveries");
        if (reunion.status() != 403 || deliveries.status() != 403) {
            report.fail(
                    PHASE,
                    "the prefect of Paris's reader got " + reunion.status() + " for La Réunion's figures and "
                            + deliveries.status() + " for the deliveries (expected: 403 and 403)");
            return;
        }
        report.step(
                PHASE,
                "the prefect of Paris's statistics reader sees "
                        + figures.path("groups").size()
                        + " groups, all of department 75 (total "
                        + figures.path("total").asText() + ", minors "
                        + figures.path("minors").asText() + "); La Réunion's figures and the deliveries: 403",
                t);
    }
}
