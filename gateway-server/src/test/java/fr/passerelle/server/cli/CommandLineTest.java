package fr.passerelle.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import fr.passerelle.core.config.ConfigLoader;
import fr.passerelle.devkit.DevelopmentDeployment;
import fr.passerelle.devkit.ShippedConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as an administrator runs it, on a copy of the shipped configuration. */
class CommandLineTest {
    @TempDir
    Path dir;

    Path config;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeEach
    void copyShippedConfig() {
        config = dir.resolve("config");
        ShippedConfig.copyTo(config);
    }

    @Test
    void checksTheShippedConfigurationWithoutErrorsOnceThePkiIsInstalled() {
        installPki();

        int exit = run("config", "check");

        assertThat(exit).as(out.toString() + err).isZero();
        assertThat(out.toString()).contains("config check: 0 errors");
        assertThat(out.toString()).doesNotContain("does not name transports.mail.from");
    }

    @Test
    void saysWhichPartnersCannotBeSealedForBeforeThePkiIsInstalled() {
        int exit = run("config", "check");

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString())
                .contains("cannot seal for siao-75: no certificate at partners/siao-75.pem")
                .contains("gateway pki init");
    }

    @Test
    void namesTheFileTheLineAndTheFixOfABrokenPartnerEntry() throws IOException {
        Path police = config.resolve("partners/police-75-brp.yaml");
        List<String> lines = Files.readAllLines(police);
        int line = indexOf(lines, "departments:");
        lines.set(line, "departments: [\"975\"]");
        Files.write(police, lines);

        int exit = run("config", "check");

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString())
                .contains(police + ":" + (line + 1) + ": error:")
                .contains("975")
                .contains("overseas collectivity");
        assertThat(out.toString()).contains("— fix the errors above");
    }

    @Test
    void reportsAYamlSyntaxErrorWithItsLine() throws IOException {
        Path routes = config.resolve("routes.yaml");
        Files.writeString(routes, Files.readString(routes) + "\n  - id: [unclosed\n");

        int exit = run("config", "check");

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString()).contains(routes.toString() + ":");
    }

    @Test
    void explainsWhichRoutesRecipientsAndFieldsApply() {
        installPki();

        int exit =
                run("routes", "explain", "--type", "shelter.request", "--from", "police-75-brp", "--department", "75");

        assertThat(exit).as(out.toString() + err).isZero();
        assertThat(out.toString())
                .contains("shelter.request from police-75-brp (police) in department 75")
                .contains("siao-75 keeps")
                .contains("household")
                .contains("carried by")
                .doesNotContain("offence");
    }

    @Test
    void explainsThatAPrefectureMayNotSendARemovalObjectiveForAnotherDepartment() {
        installPki();

        int exit = run(
                "routes", "explain", "--type", "removal.objective", "--from", "prefecture-974", "--department", "75");

        assertThat(exit).as(out.toString() + err).isEqualTo(1);
        assertThat(out.toString())
                .contains("  refused: department_not_served: prefecture-974 serves 974 only: a removal.objective for 75"
                        + " must come from a prefecture serving 75 (rule prefecture-serves-department)");
    }

    @Test
    void refusesToRetireAKeyThatNeitherFamilyHolds() {
        run("keys", "init");

        int exit = run("keys", "retire", "mk-20200101-000000");

        assertThat(exit).isEqualTo(1);
        Path support =
                ConfigLoader.settings(config.resolve("gateway.yaml"), Map.of()).masterKeys();
        assertThat(err.toString())
                .contains("config_invalid: no master key 'mk-20200101-000000' in " + support + " nor "
                        + support.resolveSibling("master-police-justice.keys") + " (see `gateway keys status`)");
    }

    @Test
    void refusesAnOverseasCollectivityWithAClearMessage() {
        int exit =
                run("routes", "explain", "--type", "shelter.request", "--from", "police-75-brp", "--department", "975");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).startsWith("error: department_invalid: department '975' is not valid");
    }

    /** What {@code pki init} does (a command of passerelle-tools.jar), into the pki.dir of the shipped gateway.yaml. */
    private void installPki() {
        DevelopmentDeployment.install(config.resolve("gateway.yaml"), dir.resolve("pki"), List.of(), false);
    }

    private int run(String... args) {
        return GatewayCommand.execute(
                Map.of("GATEWAY_CONFIG", config.resolve("gateway.yaml").toString()),
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                args);
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no line starts with " + prefix);
    }
}
