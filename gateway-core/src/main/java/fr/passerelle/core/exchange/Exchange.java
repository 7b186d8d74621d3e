package fr.passerelle.core.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.Deployment;
import fr.passerelle.core.config.Partner;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.Referral;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.ReferralValidator;
import fr.passerelle.core.referral.ReceiptRequest;
import fr.passerelle.core.routing.Destination;
import fr.passerelle.core.routing.Minimiser;
import fr.passerelle.core.routing.Router;
import fr.passerelle.core.routing.RoutingPlan;
import fr.passerelle.core.spi.Adapters;
import fr.passerelle.core.spi.OutboundAdapter;
import fr.passerelle.core.store.InboxPage;
import fr.passerelle.core.store.JdbcReferralStore;
import fr.passerelle.core.store.NewDelivery;
import fr.passerelle.core.store.NewReferral;
import fr.passerelle.core.store.ReceiptOutcome;
import fr.passerelle.core.store.ReferralStatus;
import fr.passerelle.core.store.Submission;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exchange of referrals, transport aside: accept a partner's submission, validate it, route it, minimise and
 * render it for each recipient, and store it with its deliveries and audit entries in one transaction; serve the
 * inbox, the receipts and the status. The caller has already authenticated the partner by its certificate.
 * Thread-safe; every method blocks on the database, so the network layer calls it off its event loop.
 */
public final class Exchange {
    private static final Logger log = LoggerFactory.getLogger(Exchange.class);
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Deployment deployment;
    private final Adapters adapters;
    private final ReferralValidator validator;
    private final Router router;
    private final JdbcReferralStore store;

    public Exchange(Deployment deployment, Adapters adapters, ReferralValidator validator, JdbcReferralStore store,
                    Clock clock) {
        this.deployment = Objects.requireNonNull(deployment, "deployment");
        this.adapters = Objects.requireNonNull(adapters, "adapters");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.store = Objects.requireNonNull(store, "store");
        this.router = new Router(deployment, clock);
    }

    /**
     * Accepts one submission.
     *
     * @param sender         the authenticated partner
     * @param body           the request body, in the sender's inbound format
     * @param mediaType      its media type, lower case without parameters, or empty
     * @param idempotencyKey the {@code Idempotency-Key} header, if sent: the same key from the same partner
     *                       returns the same referral
     * @throws GatewayException with a client code for anything wrong in the submission; nothing is stored then
     */
    public Submitted submit(PartnerId sender, byte[] body, String mediaType, Optional<String> idempotencyKey) {
        Partner partner = activePartner(sender);
        idempotencyKey.ifPresent(Exchange::checkIdempotencyKey);
        ObjectNode document = adapters.inbound(partner.inboundAdapter()).read(body, mediaType);
        Referral referral = validator.validate(document);
        if (!partner.maySend().contains(referral.type())) {
            throw new GatewayException(ErrorCode.TYPE_NOT_ALLOWED, sender + " may not send " + referral.type()
                    + " (its registry entry allows: " + allowed(partner) + ")");
        }
        RoutingPlan plan = plan(sender, referral);
        ReferralId id = ReferralId.random();
        List<NewDelivery> deliveries = new ArrayList<>();
        for (Destination destination : plan.destinations()) {
            deliveries.add(render(id, sender, referral, destination));
        }
        Submission submission = store.submit(new NewReferral(id, sender, referral.type(), referral.department(),
                referral.urgency(), idempotencyKey, digest(body, mediaType), canonicalBytes(referral.body()),
                deliveries));
        if (submission.replayed()) {
            log.info("Replayed referral {} for {} (same Idempotency-Key)", submission.id(), sender);
        } else {
            log.info("Accepted referral {} of type {} from {} for {} recipient(s)", submission.id(),
                    referral.type(), sender, submission.recipients().size());
        }
        return new Submitted(submission, referral.type(), plan.destinations());
    }

    /**
     * What a submission produced: the stored referral (or, for a replayed Idempotency-Key, the one stored
     * before), its type, and the routing plan with the routes that chose each recipient.
     */
    public record Submitted(Submission submission, ReferralType type, List<Destination> plan) {
        public Submitted {
            Objects.requireNonNull(submission, "submission");
            Objects.requireNonNull(type, "type");
            plan = List.copyOf(plan);
        }

        /** The route ids that chose {@code recipient}, from the plan. */
        public List<String> routesOf(PartnerId recipient) {
            return plan.stream().filter(d -> d.recipient().id().equals(recipient)).findFirst()
                    .map(Destination::routeIds).orElse(List.of());
        }
    }

    /**
     * The routing plan; when there is none, the sender learns that much and where to ask, while the reasons,
     * which name other partners and their state, go to the log for the administrator.
     */
    private RoutingPlan plan(PartnerId sender, Referral referral) {
        try {
            return router.plan(sender, referral.type(), referral.department());
        } catch (GatewayException e) {
            if (e.code() != ErrorCode.ROUTE_NOT_FOUND) {
                throw e;
            }
            log.info("No route for {} from {} in {}: {}", referral.type(), sender, referral.department(),
                    e.getMessage());
            throw new GatewayException(ErrorCode.ROUTE_NOT_FOUND, "no route delivers " + referral.type() + " from "
                    + sender + " (" + sender.kind().code() + ") in department " + referral.department()
                    + "; nothing was stored. The gateway's administrator can see why with `gateway routes explain"
                    + " --type " + referral.type() + " --from " + sender + " --department " + referral.department()
                    + "`");
        }
    }

    private NewDelivery render(ReferralId id, PartnerId sender, Referral referral, Destination destination) {
        Partner recipient = destination.recipient();
        OutboundAdapter adapter = adapters.outbound(recipient.outboundAdapter());
        ObjectNode item = JSON.createObjectNode();
        item.put("referralId", id.toString());
        item.put("sender", sender.value());
        item.set("referral", Minimiser.minimise(referral.body(), destination.fields()));
        return new NewDelivery(recipient.id(), destination.routeIds(), adapter.mediaType(), adapter.write(item));
    }

    /** The status and history of a referral, as {@code viewer} may see it. */
    public ReferralStatus status(ReferralId id, PartnerId viewer) {
        activePartner(viewer);
        return store.status(id, viewer).orElseThrow(() -> notFound(id));
    }

    /** The items after {@code after} in the inbox of {@code recipient}; pulling marks them delivered. */
    public InboxPage inbox(PartnerId recipient, long after, int limit) {
        activePartner(recipient);
        return store.inbox(recipient, after, limit);
    }

    /** Records what {@code recipient} says of referral {@code id}. */
    public ReceiptOutcome receipt(ReferralId id, PartnerId recipient, JsonNode body) {
        activePartner(recipient);
        ReceiptRequest request = validator.validateReceipt(body);
        ReceiptOutcome outcome = store.recordReceipt(id, recipient, request.status(), request.reason());
        log.info("Receipt '{}' from {} for referral {}", request.status(), recipient, id);
        return outcome;
    }

    public Deployment deployment() {
        return deployment;
    }

    private Partner activePartner(PartnerId id) {
        Partner partner = deployment.partner(id).orElseThrow(() -> new GatewayException(ErrorCode.PARTNER_UNKNOWN,
                "no partner '" + id + "' in the registry"));
        if (!partner.enabled()) {
            throw new GatewayException(ErrorCode.PARTNER_DISABLED, "partner " + id
                    + " is disabled in the registry; ask the gateway's administrator to enable it");
        }
        return partner;
    }

    /** The one answer for a referral that does not exist and for one the caller is not party to. */
    public static GatewayException notFound(ReferralId id) {
        return new GatewayException(ErrorCode.REFERRAL_NOT_FOUND, "no referral " + id + " that you are party to");
    }

    private static String allowed(Partner partner) {
        return partner.maySend().isEmpty() ? "nothing"
                : String.join(", ", partner.maySend().stream().map(t -> t.code()).sorted().toList());
    }

    private static void checkIdempotencyKey(String key) {
        if (!IDEMPOTENCY_KEY.matcher(key).matches()) {
            throw new GatewayException(ErrorCode.IDEMPOTENCY_KEY_INVALID, "the Idempotency-Key header is not valid"
                    + " (expected: 1 to 128 characters among letters, digits and . _ : -, for instance a UUID)");
        }
    }

    private static byte[] digest(byte[] body, String mediaType) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(mediaType.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) 0);
            return sha256.digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new GatewayException(ErrorCode.INTERNAL, "SHA-256 is not available in this JVM", e);
        }
    }

    private static byte[] canonicalBytes(ObjectNode document) {
        try {
            return JSON.writeValueAsBytes(document);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new GatewayException(ErrorCode.INTERNAL, "cannot serialise a canonical referral", e);
        }
    }
}
