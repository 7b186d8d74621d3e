package fr.passerelle.server.cli;

import fr.passerelle.core.config.ConfigLoader;
import fr.passerelle.core.config.Deployment;
import fr.passerelle.core.config.Partner;
import fr.passerelle.core.config.Route;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.routing.Destination;
import fr.passerelle.core.routing.RouteMatch;
import fr.passerelle.core.routing.Router;
import fr.passerelle.core.routing.RoutingPlan;
import fr.passerelle.core.spi.Adapters;
import fr.passerelle.server.Gateway;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gateway routes explain}: which routes match, which recipients, which fields each keeps. */
@Command(name = "routes", mixinStandardHelpOptions = true, description = "Routing tools.",
        subcommands = RoutesCommand.Explain.class)
final class RoutesCommand extends CommandGroup {

    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = "Shows the routes that match a referral type, a sender and a department, the recipients they pick, and the fields each recipient keeps.")
    static final class Explain extends ConfiguredCommand {
        @Option(names = "--type", required = true, paramLabel = "TYPE", description = "referral type, e.g. victim.orientation")
        String type;

        @Option(names = "--from", required = true, paramLabel = "PARTNER", description = "sender partner id, e.g. police-75-brp")
        String from;

        @Option(names = "--department", required = true, paramLabel = "CODE", description = "department code, e.g. 75, 2A, 974")
        String department;



        @Override
        public Integer call() {
            Path file = configFile();
            ReferralType referralType = ReferralType.fromCode(type);
            Department dept = Department.of(department);
            PartnerId sender = PartnerId.of(from);
            Deployment deployment = ConfigLoader.load(file, GatewayCommand.Environment.get(),
                    Gateway.checks(Adapters.load(), Gateway.validatorFor(file)));
            Partner partner = deployment.partner(sender).orElseThrow(() -> new fr.passerelle.core.GatewayException(
                    fr.passerelle.core.ErrorCode.PARTNER_UNKNOWN, "no partner '" + sender + "' in the registry (known: "
                            + deployment.sortedPartners().stream().map(p -> p.id().value()).collect(Collectors.joining(", ")) + ")"));
            PrintWriter out = spec.commandLine().getOut();
            out.println(referralType + " from " + sender + " (" + sender.kind().code() + ") in department " + dept);
            boolean refused = false;
            if (!partner.maySend().contains(referralType)) {
                out.println("  refused: " + sender + " may not send " + referralType + " (its entry allows: "
                        + partner.maySend().stream().map(ReferralType::code).sorted().collect(Collectors.joining(", ")) + ")");
                refused = true;
            }
            if (!partner.enabled()) {
                out.println("  refused: " + sender + " is disabled in the registry");
                refused = true;
            }
            Router router = new Router(deployment, Clock.systemUTC());
            List<RouteMatch> matches = router.explain(referralType, sender, dept);
            if (matches.isEmpty()) {
                out.println("  no route matches: such a referral would be refused (route_not_found)");
                out.flush();
                return GatewayCommand.EXIT_FAILED;
            }
            for (RouteMatch match : matches) {
                Route route = match.route();
                out.println("  route " + route.id() + ": " + route.to().stream().map(Object::toString)
                        .collect(Collectors.joining("; ")));
                out.println("    recipients: " + (match.recipients().isEmpty() ? "none (no partner fits)"
                        : match.recipients().stream().map(PartnerId::value).collect(Collectors.joining(", "))));
            }
            RoutingPlan plan;
            try {
                plan = router.plan(sender, referralType, dept);
            } catch (fr.passerelle.core.GatewayException e) {
                out.println("  result: refused — " + e.getMessage());
                out.flush();
                return GatewayCommand.EXIT_FAILED;
            }
            for (Destination destination : plan.destinations()) {
                out.println("  " + destination.recipient().id() + " keeps " + destination.fields().size()
                        + " fields (routes " + String.join(", ", destination.routeIds()) + "):");
                out.println("    always: schemaVersion, type, department, urgency");
                out.println("    " + String.join(", ", destination.fields()));
            }
            out.flush();
            return refused ? GatewayCommand.EXIT_FAILED : 0;
        }
    }
}
