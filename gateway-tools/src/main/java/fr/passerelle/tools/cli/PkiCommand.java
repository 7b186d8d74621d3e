package fr.passerelle.tools.cli;

import fr.passerelle.core.config.ConfigLoader;
import fr.passerelle.core.config.DevelopmentPins;
import fr.passerelle.core.crypto.PkiResult;
import fr.passerelle.devkit.DevelopmentDeployment;
import fr.passerelle.server.cli.CommandGroup;
import fr.passerelle.server.cli.ConfiguredCommand;
import fr.passerelle.server.cli.GatewayCommand;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gateway pki init}: a development PKI, with the pins the gateway overlays on the entries of config/. Added to
 * the production jar's {@code pki} group, beside {@code pki issue} and {@code pki import}.
 */
@Command(
        name = "pki",
        mixinStandardHelpOptions = true,
        description = "Development PKI tools.",
        subcommands = PkiCommand.Init.class)
final class PkiCommand extends CommandGroup {

    @Command(
            name = "init",
            mixinStandardHelpOptions = true,
            description =
                    "Creates a development CA, the gateway's TLS and signing certificates, one client certificate per partner of partners/, an admin certificate (PEM and PKCS#12) and one per other administrator of admins/ (PEM), and their fingerprints in DIR/pins.yaml, which the gateway reads as if they were pinned in the entries of partners/ and admins/ that pin no certificate (config/ is not written). Never use it in production.")
    static final class Init extends ConfiguredCommand {
        @Option(
                names = "--out",
                paramLabel = "DIR",
                description =
                        "where to write (default: the pki.dir of gateway.yaml, pki/ in this repository; the gateway reads the pins of its pki.dir only)")
        Path out;

        @Option(names = "--force", description = "replace an existing PKI in DIR")
        boolean force;

        @Option(
                names = "--host",
                paramLabel = "NAME",
                description =
                        "extra host name for the gateway's TLS certificate (repeatable); localhost, 127.0.0.1 and ::1 are always included")
        List<String> hosts = List.of();

        @Override
        public Integer call() {
            Path file = configFile();
            Map<String, String> env = GatewayCommand.Environment.get();
            Path dir = out != null ? out : ConfigLoader.settings(file, env).pkiDir();
            PkiResult result = DevelopmentDeployment.install(file, dir, hosts, force);
            int partners = result.partnerFingerprints().size();
            PrintWriter o = out();
            o.println("Development PKI written to " + result.dir());
            o.println("  CA:       " + result.dir().resolve("ca.pem"));
            o.println("  gateway:  gateway-tls.pem, gateway-signing.pem (and -key.pem, .p12)");
            o.println("  partners: " + partners + " client certificates in "
                    + result.dir().resolve("partners")
                    + ", pinned in " + result.dir().resolve(DevelopmentPins.FILE) + " for the entries of "
                    + file.toAbsolutePath().getParent().resolve("partners") + " that pin none");
            o.println("  admin:    admin.pem, admin-key.pem, admin.p12; the other administrators of admins/"
                    + " (statistics readers...): admins/<id>.pem and admins/<id>-key.pem, pinned the same way");
            o.println("  PKCS#12 password: " + result.dir().resolve("pkcs12-password.txt"));
            o.println("These keys are for development only: never deploy them.");
            o.flush();
            return 0;
        }
    }
}
