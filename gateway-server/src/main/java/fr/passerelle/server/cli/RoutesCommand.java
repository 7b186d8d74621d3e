package fr.passerelle.server.cli;

import fr.passerelle.core.config.ConfigLoader;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.Route;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.routing.DryRun;
import fr.passerelle.core.routing.RouteMatch;
import fr.passerelle.core.spi.Adapters;
import fr.passerelle.server.Gateway;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gateway routes explain}: which routes match, which recipients, which fields each keeps, and the adapter,
 * envelope and transport of each copy ({@link DryRun}, as {@code POST /admin/v1/dry-run} answers it).
 */
@Command(
        name = "routes",
        mixinStandardHelpOptions = true,
        description = "Routing tools.",
        subcommands = RoutesCommand.Explain.class)
final class RoutesCommand extends CommandGroup {

    @Command(
            name = "explain",
            mixinStandardHelpOptions = true,
            description =
                    "Shows the routes that match a referral type, a sender and a department, the recipients they pick, and the fields each recipient keeps.")
    static final class Explain extends ConfiguredCommand {
        @Option(
                names = "--type",
                required = true,
                paramLabel = "TYPE",
                description = "referral type, e.g. victim.orientation")
        String type;

        @Option(
                names = "--from",
                required = true,
                paramLabel = "PARTNER",
                description = "sender partner id, e.g. police-75-brp")
        String from;

        @Option(
                names = "--department",
                required = true,
                paramLabel = "CODE",
                description = "department code, e.g. 75, 2A, 974")
        String department;

        @Override
        public Integer call() {
            Path file = configFile();
            ReferralType referralType = ReferralType.fromCode(type);
            Department dept = Department.of(department);
            PartnerId sender = PartnerId.of(from);
            Deployment deployment = ConfigLoader.load(
                    file,
                    GatewayCommand.Environment.get(),
                    Gateway.checks(Adapters.load(), Gateway.validatorFor(file)));
            DryRun.Result result =
                    new DryRun(deployment, Clock.systemUTC()).explain(sender, referralType, dept, Optional.empty());
            PrintWriter out = spec.commandLine().getOut();
            out.println(referralType + " from " + sender + " (" + sender.kind().code() + ") in department " + dept);
            for (RouteMatch match : result.matches()) {
                Route route = match.route();
                out.println("  route " + route.id() + ": "
                        + route.to().stream().map(Object::toString).collect(Collectors.joining("; ")));
                route.when()
                        .ifPresent(when -> out.println("    only when " + when
                                + " (a dry run without a document leaves this route out of the recipients)"));
                out.println("    recipients: "
                        + (match.recipients().isEmpty()
                                ? "none (no partner fits)"
                                : match.recipients().stream()
                                        .map(PartnerId::value)
                                        .collect(Collectors.joining(", "))));
            }
            if (result.matches().isEmpty()) {
                out.println("  no route matches: such a referral would be refused (route_not_found)");
            }
            for (DryRun.Recipient recipient : result.recipients()) {
                out.println("  " + recipient.partner() + " keeps "
                        + recipient.fields().size() + " fields (routes "
                        + String.join(", ", recipient.routeIds()) + "), rendered by " + recipient.adapter()
                        + ", sealed "
                        + recipient.envelope() + ", carried by " + recipient.transport() + ":");
                out.println("    always: " + String.join(", ", DryRun.alwaysKept()));
                out.println("    " + String.join(", ", recipient.fields()));
                recipient.view().ifPresent(v -> out.println("    view: " + v));
                recipient.warnings().forEach(w -> out.println("    warning: " + w));
            }
            result.refusals().forEach(r -> out.println("  refused: " + r.code() + ": " + r.message()));
            out.flush();
            return result.accepted() ? 0 : GatewayCommand.EXIT_FAILED;
        }
    }
}
