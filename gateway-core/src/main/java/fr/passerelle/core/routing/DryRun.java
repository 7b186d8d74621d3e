package fr.passerelle.core.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.Referral;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the gateway would do with a referral, without doing it: whether the sender may submit it (its registry
 * entry and, for a removal objective or a closure, the department: {@link Territory}), which routes
 * match (a route with a condition, {@code when:}, shows it; without a document it reaches nobody) and whom each
 * reaches, in the person's residence department for a permit or reflection request that names one
 * ({@link Router#routedDepartment}), and for each recipient the fields it keeps, what its kind's {@link RecipientView}
 * changes in them (with a warning for each free-text field it bounds), the adapter that renders its copy, the
 * envelope and the transport that carries it. The one explanation behind {@code gateway routes explain} and
 * {@code POST /admin/v1/dry-run}; it uses the {@link Router} that submissions use, on the deployment given.
 * Stores nothing, seals nothing, and never returns a value of the document: only field paths. Thread-safe.
 */
public final class DryRun {
    private final Deployment deployment;
    private final Router router;

    public DryRun(Deployment deployment, Clock clock) {
        this.deployment = Objects.requireNonNull(deployment, "deployment");
        this.router = new Router(deployment, clock);
    }

    /**
     * A referral of {@code type} from {@code sender} in {@code department}, whatever its content.
     *
     * @throws GatewayException {@code request_invalid} when the sender is not in the registry (the message lists
     *                          the partners that are)
     */
    public Result explain(PartnerId sender, ReferralType type, Department department, Optional<Urgency> urgency) {
        return explain(sender, type, department, urgency, Optional.empty());
    }

    /**
     * A validated referral from {@code sender}: as {@link #explain(PartnerId, ReferralType, Department, Optional)},
     * and each recipient also tells which of the document's fields it would keep and which would be removed.
     */
    public Result explain(PartnerId sender, Referral referral) {
        return explain(
                sender,
                referral.type(),
                referral.department(),
                Optional.of(referral.urgency()),
                Optional.of(referral.body()));
    }

    private Result explain(
            PartnerId sender,
            ReferralType type,
            Department department,
            Optional<Urgency> urgency,
            Optional<ObjectNode> document) {
        Partner partner = deployment
                .partner(sender)
                .orElseThrow(() -> new GatewayException(
                        ErrorCode.REQUEST_INVALID,
                        "sender '" + sender + "' is not in the registry (known: "
                                + deployment.sortedPartners().stream()
                                        .map(p -> p.id().value())
                                        .collect(Collectors.joining(", "))
                                + ")"));
        List<Refusal> refusals = new ArrayList<>();
        if (!partner.enabled()) {
            refusals.add(new Refusal(ErrorCode.PARTNER_DISABLED, sender + " is disabled in the registry"));
        }
        if (!partner.maySend().contains(type)) {
            refusals.add(new Refusal(
                    ErrorCode.TYPE_NOT_ALLOWED,
                    sender + " may not send " + type + " (its entry"
                            + " allows: "
                            + (partner.maySend().isEmpty()
                                    ? "nothing"
                                    : partner.maySend().stream()
                                            .map(ReferralType::code)
                                            .sorted()
                                            .collect(Collectors.joining(", ")))
                            + ")"));
        }
        Territory.refusal(partner, type, department)
                .ifPresent(message -> refusals.add(new Refusal(ErrorCode.DEPARTMENT_NOT_SERVED, message)));
        JsonNode content = document.<JsonNode>map(d -> d).orElse(MissingNode.getInstance());
        Department routedIn = Router.routedDepartment(type, content, department);
        List<RouteMatch> matches = router.explain(type, sender, routedIn);
        List<Recipient> recipients = new ArrayList<>();
        try {
            for (Destination destination : router.plan(sender, type, routedIn, false, Optional.empty(), content)
                    .destinations()) {
                recipients.add(recipient(destination, document));
            }
        } catch (GatewayException e) {
            if (e.code() != ErrorCode.ROUTE_NOT_FOUND) {
                throw e;
            }
            refusals.add(new Refusal(e.code(), e.getMessage()));
        }
        return new Result(sender, type, department, urgency, refusals, matches, recipients);
    }

    private static Recipient recipient(Destination destination, Optional<ObjectNode> document) {
        Partner partner = destination.recipient();
        Optional<List<String>> kept = document.map(
                d -> leaves(RecipientView.apply(partner.kind(), Minimiser.minimise(d, destination.fields()))));
        Optional<List<String>> removed = document.map(d -> {
            List<String> all = leaves(d);
            all.removeAll(kept.orElseThrow());
            return all;
        });
        List<String> warnings = RecipientView.boundedFields(partner.kind(), destination.fields()).stream()
                .map(field -> "free text " + field + " reaches a "
                        + partner.kind().code() + ", cut to "
                        + RecipientView.TEXT_BOUND + " characters (expected: nothing about the facts or a procedure,"
                        + " nothing that tells the person is a victim)")
                .toList();
        return new Recipient(
                partner.id(),
                destination.routeIds(),
                destination.fields(),
                partner.outboundAdapter(),
                partner.envelope().code(),
                partner.delivery().transport(),
                kept,
                removed,
                RecipientView.describe(partner.kind()),
                warnings);
    }

    /** The dotted paths of a document's leaves, arrays counting as leaves, in document order. */
    private static List<String> leaves(ObjectNode document) {
        List<String> paths = new ArrayList<>();
        collect("", document, paths);
        return paths;
    }

    private static void collect(String prefix, JsonNode node, List<String> paths) {
        if (!node.isObject() || (node.isEmpty() && !prefix.isEmpty())) {
            paths.add(prefix);
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            collect(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), paths);
        }
    }

    /** The metadata every recipient keeps, whatever its routes list: it carries no personal data. */
    public static List<String> alwaysKept() {
        return Minimiser.ALWAYS_KEPT;
    }

    /**
     * The answer.
     *
     * @param refusals   why a real submission would be refused (empty when it would be accepted)
     * @param matches    every route that matches, with the partners it reaches today, possibly none
     * @param recipients each recipient once, in the order the routing table first reaches it; empty when refused
     *                   for want of a recipient
     */
    public record Result(
            PartnerId sender,
            ReferralType type,
            Department department,
            Optional<Urgency> urgency,
            List<Refusal> refusals,
            List<RouteMatch> matches,
            List<Recipient> recipients) {
        public Result {
            Objects.requireNonNull(sender, "sender");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(department, "department");
            Objects.requireNonNull(urgency, "urgency");
            refusals = List.copyOf(refusals);
            matches = List.copyOf(matches);
            recipients = List.copyOf(recipients);
        }

        /** Whether a submission would be accepted and routed. */
        public boolean accepted() {
            return refusals.isEmpty();
        }
    }

    /** Why a submission would be refused, with the error code it would get. */
    public record Refusal(ErrorCode code, String message) {
        public Refusal {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * One recipient.
     *
     * @param fields    the canonical fields its routes allow (beside {@link #alwaysKept()})
     * @param adapter   the outbound adapter that renders its copy (its format)
     * @param envelope  how its copy is encrypted
     * @param transport how its copy travels ({@code inbox}: the partner pulls it)
     * @param kept      for a dry run of a document, the paths of the document's leaves that it would see
     * @param removed   for a dry run of a document, the paths of the leaves that would be removed for it, the
     *                  fields its {@link RecipientView} drops included
     * @param view      what its kind's {@link RecipientView} changes in the fields it keeps, such as {@code siao:
     *                  referrer read as « Service prescripteur » with its phone only; …}; empty when the kind sees
     *                  them unchanged
     * @param warnings  one line per free-text field its routes let it see and its view bounds, naming the field and
     *                  the bound: {@code free text socialAssessment.summary reaches a siao, cut to 300 characters
     *                  (expected: nothing about the facts or a procedure, nothing that tells the person is a victim)}
     */
    public record Recipient(
            PartnerId partner,
            List<String> routeIds,
            List<String> fields,
            String adapter,
            String envelope,
            String transport,
            Optional<List<String>> kept,
            Optional<List<String>> removed,
            Optional<String> view,
            List<String> warnings) {
        public Recipient {
            Objects.requireNonNull(partner, "partner");
            routeIds = List.copyOf(routeIds);
            fields = List.copyOf(fields);
            Objects.requireNonNull(adapter, "adapter");
            Objects.requireNonNull(envelope, "envelope");
            Objects.requireNonNull(transport, "transport");
            kept = kept.map(List::copyOf);
            removed = removed.map(List::copyOf);
            Objects.requireNonNull(view, "view");
            warnings = List.copyOf(warnings);
        }
    }
}
