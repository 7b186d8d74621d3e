package fr.passerelle.core.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.crypto.CmsSealer;
import fr.passerelle.core.crypto.Fingerprints;
import fr.passerelle.core.crypto.Sha256;
import fr.passerelle.core.crypto.SignedSubmissions;
import fr.passerelle.core.notice.NoticeWriter;
import fr.passerelle.core.notice.PartnerSealer;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.partner.PartnerKind;
import fr.passerelle.core.protection.ExitPathways;
import fr.passerelle.core.protection.ProtectionRegister;
import fr.passerelle.core.receipt.ReceiptLinks;
import fr.passerelle.core.receipt.ReceiptOutcome;
import fr.passerelle.core.receipt.Receipts;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.Minority;
import fr.passerelle.core.referral.Notice;
import fr.passerelle.core.referral.ReceiptRequest;
import fr.passerelle.core.referral.Referral;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.ReferralValidator;
import fr.passerelle.core.routing.Destination;
import fr.passerelle.core.routing.Minimiser;
import fr.passerelle.core.routing.Participants;
import fr.passerelle.core.routing.RecipientView;
import fr.passerelle.core.routing.Router;
import fr.passerelle.core.routing.RoutingPlan;
import fr.passerelle.core.routing.Territory;
import fr.passerelle.core.routing.Withheld;
import fr.passerelle.core.spi.Adapters;
import fr.passerelle.core.spi.OutboundAdapter;
import fr.passerelle.core.spi.TransportProvider;
import fr.passerelle.core.store.Hold;
import fr.passerelle.core.store.InboxItem;
import fr.passerelle.core.store.InboxPage;
import fr.passerelle.core.store.JdbcReferralStore;
import fr.passerelle.core.store.NewDelivery;
import fr.passerelle.core.store.NewReceiptLink;
import fr.passerelle.core.store.NewReferral;
import fr.passerelle.core.store.ReferralStatus;
import fr.passerelle.core.store.StatisticsFacets;
import fr.passerelle.core.store.Submission;
import fr.passerelle.core.store.SubmissionStep;
import fr.passerelle.core.store.Withdrawals;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exchange of referrals, transport aside: accept a partner's submission (verifying its signature when it is a
 * CMS SignedData), validate it, route it, minimise, render, sign and seal it for each recipient, and store it with
 * its deliveries and audit entries in one transaction; serve the inbox, the receipts and the status. The caller has already authenticated the partner by its certificate.
 * Thread-safe; every method blocks on the database, so the network layer calls it off its event loop.
 */
public final class Exchange {
    private static final Logger log = LoggerFactory.getLogger(Exchange.class);
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** What the inner content of a signed submission is read as: the partner's inbound format decides. */
    private static final String SIGNED_CONTENT = "";

    private final Supplier<Deployment> deployment;
    private final Adapters adapters;
    private final ReferralValidator validator;
    private final JdbcReferralStore store;
    private final CmsSealer sealer;
    private final Clock clock;
    private final Runnable stored;
    private final PartnerSealer partnerSealer;
    private final NoticeWriter notices;
    private final Supplier<ReceiptLinks.Issued> links;
    private final Optional<ProtectionRegister> register;
    private final Optional<RemovalGuard> guard;
    private final Receipts receipts;

    /**
     * @param deployment the current configuration, such as a {@code LiveDeployment}: each request takes it once, at
     *                   its start, and finishes on it whatever version becomes current meanwhile
     * @param stored     told after each new referral is stored, so that the delivery worker pushes it at once
     * @param links      issues the single-use receipt links of one delivery, for recipients whose transport
     *                   answers by links (secure mail)
     * @param register   the protection register: referrals that show a person protected are recorded in it,
     *                   decisions go to the partner that made the request, and a removal objective about a
     *                   protected person is held (docs/PROTECTION.md). Without it, nothing is recorded nor held:
     *                   tests of other things only.
     */
    public Exchange(
            Supplier<Deployment> deployment,
            Adapters adapters,
            ReferralValidator validator,
            JdbcReferralStore store,
            Receipts receipts,
            CmsSealer sealer,
            Clock clock,
            Runnable stored,
            Supplier<ReceiptLinks.Issued> links,
            Optional<ProtectionRegister> register) {
        this.receipts = Objects.requireNonNull(receipts, "receipts");
        this.register = Objects.requireNonNull(register, "register");
        this.notices = new NoticeWriter(adapters, sealer, clock);
        this.guard = register.map(r -> new RemovalGuard(r, notices, clock));
        this.stored = Objects.requireNonNull(stored, "stored");
        this.links = Objects.requireNonNull(links, "links");
        this.deployment = Objects.requireNonNull(deployment, "deployment");
        this.adapters = Objects.requireNonNull(adapters, "adapters");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.store = Objects.requireNonNull(store, "store");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
        this.partnerSealer = new PartnerSealer(this.adapters, sealer);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private static Supplier<Deployment> constant(Deployment deployment) {
        Objects.requireNonNull(deployment, "deployment");
        return () -> deployment;
    }

    /**
     * Accepts one submission.
     *
     * @param sender         the authenticated partner
     * @param body           the request body: in the sender's inbound format, or a CMS SignedData over it
     * @param mediaType      its media type, lower case without parameters, or empty
     * @param idempotencyKey the {@code Idempotency-Key} header, if sent: the same key from the same partner
     *                       returns the same referral, even if the routes changed since
     * @throws GatewayException with a client code for anything wrong in the submission, such as
     *                          {@code department_not_served} for a removal objective or a closure that names a
     *                          department its sender does not serve ({@link Territory}); nothing is stored then
     */
    public Submitted submit(PartnerId sender, byte[] body, String mediaType, Optional<String> idempotencyKey) {
        Deployment current = deployment.get();
        Partner partner = activePartner(current, sender);
        idempotencyKey.ifPresent(Exchange::checkIdempotencyKey);
        byte[] digest = digest(body, mediaType);
        if (idempotencyKey.isPresent()) {
            Optional<Submission> earlier = store.replay(sender, idempotencyKey.get(), digest);
            if (earlier.isPresent()) {
                log.info(
                        "Replayed referral {} for {} (same Idempotency-Key)",
                        earlier.get().id(),
                        sender);
                return signed(earlier.get(), sender);
            }
        }
        byte[] content = body;
        String contentType = mediaType;
        if (SignedSubmissions.isSigned(mediaType)) {
            X509Certificate pinned = partner.certificate()
                    .orElseThrow(() -> new GatewayException(
                            ErrorCode.SIGNATURE_INVALID,
                            "the gateway holds no certificate of " + sender
                                    + " to verify its signature with; ask the gateway's administrator to install it"));
            content = SignedSubmissions.verify(body, sender, pinned, clock).content();
            contentType = SIGNED_CONTENT;
        } else if (partner.signedSubmissionsRequired()) {
            throw new GatewayException(
                    ErrorCode.SIGNATURE_REQUIRED,
                    sender + " must sign its submissions: send"
                            + " a CMS SignedData of the referral (openssl cms -sign -nodetach -binary -outform DER) with"
                            + " Content-Type: " + SignedSubmissions.MEDIA_TYPE + " (see docs/CMS.md)");
        }
        ObjectNode document = adapters.inbound(partner.inboundAdapter()).read(content, contentType);
        // Ages and reflection-period ends are judged on the gateway's clock, in the prefectures' calendar.
        LocalDate today = LocalDate.ofInstant(clock.instant(), ReferralValidator.SUBMISSION_ZONE);
        Referral referral = validator.validate(document, today);
        if (!partner.maySend().contains(referral.type())) {
            throw new GatewayException(
                    ErrorCode.TYPE_NOT_ALLOWED,
                    sender + " may not send " + referral.type() + " (its registry entry allows: " + allowed(partner)
                            + ")");
        }
        Territory.check(partner, referral.type(), referral.department());
        if (referral.type() == ReferralType.CONSENT_WITHDRAWN) {
            return withdraw(current, sender, referral);
        }
        Minority minority = Minority.of(referral.body(), today);
        Router router = new Router(current, clock);
        RoutingPlan plan = plan(router, sender, referral, minority);
        Optional<PartnerId> requester = requester(sender, referral);
        List<Destination> destinations =
                requester.map(r -> toRequester(plan, r, sender, referral)).orElse(plan.destinations()).stream()
                        .filter(d -> ExitPathways.needs(referral, d.recipient().kind()))
                        .toList();
        SubmissionStep pathway = exitPathway(partner, referral, today);
        ReferralId id = ReferralId.random();
        Instant now = clock.instant();
        List<String> reasons = ChildProtection.reasons(referral, minority);
        // The alert the gateway raises is about the same person, in the same place: it counts the same.
        StatisticsFacets facets = StatisticsFacets.of(referral.body(), minority);
        if (destinations.isEmpty() && reasons.isEmpty()) {
            throw consentExcludesAll(referral, plan);
        }
        SubmissionStep step = register.map(r -> r.recording(sender, referral, requester))
                .orElse(SubmissionStep.NONE)
                .andThen(pathway);
        String documentMediaType = mediaType.isEmpty() ? "application/json" : mediaType;
        // Only the sender's signed original is evidence worth keeping (for retention.signed_original); of any other
        // submission the gateway keeps the digest and the minimised copies, nothing more (GDPR art. 5(1)(c)).
        byte[] evidence = SignedSubmissions.isSigned(mediaType) ? body : new byte[0];
        List<String> withheld = plan.withheld().stream()
                .map(w -> w.recipient().value() + ":" + w.reason().code())
                .toList();
        // A closure's listed services that its routes reach nobody of: the 202 names them, never a silent gap.
        Set<PartnerKind> reached = EnumSet.of(sender.kind());
        reached.addAll(Participants.kinds(destinations));
        List<Participants.Unreached> unreached = Participants.unreached(referral, reached);
        NewReferral newReferral;
        if (destinations.isEmpty()) {
            // Every route of the referral serves adults only: the alert takes its place, so that the minor is not
            // lost and no adult service learns of her.
            Referral alert = raise(referral, Optional.empty(), reasons, today);
            List<NewDelivery> deliveries =
                    deliveries(id, sender, alert, alertPlan(router, sender, alert, minority), now);
            newReferral = new NewReferral(
                    id,
                    sender,
                    alert.type(),
                    alert.department(),
                    alert.urgency(),
                    idempotencyKey,
                    digest,
                    evidence,
                    documentMediaType,
                    deliveries,
                    Optional.empty(),
                    step,
                    Optional.empty(),
                    Optional.empty(),
                    withheld,
                    facets);
        } else {
            List<NewDelivery> deliveries = deliveries(id, sender, referral, destinations, now);
            Optional<Hold> hold = guard.flatMap(g -> g.check(current, id, sender, referral, now));
            Optional<NewReferral> raised = Optional.empty();
            if (!reasons.isEmpty()) {
                ReferralId alertId = ReferralId.random();
                Referral alert = raise(referral, Optional.of(id), reasons, today);
                byte[] alertDocument = canonicalBytes(alert.body());
                raised = Optional.of(new NewReferral(
                        alertId,
                        sender,
                        alert.type(),
                        alert.department(),
                        alert.urgency(),
                        Optional.empty(),
                        digest(alertDocument, "application/json"),
                        new byte[0],
                        "application/json",
                        deliveries(alertId, sender, alert, alertPlan(router, sender, alert, minority), now),
                        Optional.empty(),
                        SubmissionStep.NONE,
                        Optional.of(id),
                        Optional.empty(),
                        List.of(),
                        facets));
            }
            newReferral = new NewReferral(
                    id,
                    sender,
                    referral.type(),
                    referral.department(),
                    referral.urgency(),
                    idempotencyKey,
                    digest,
                    evidence,
                    documentMediaType,
                    deliveries,
                    hold,
                    step,
                    Optional.empty(),
                    raised,
                    withheld,
                    facets);
        }
        Optional<Hold> hold = newReferral.hold();
        Submission submission = store.submit(newReferral);
        if (submission.replayed()) {
            log.info("Replayed referral {} for {} (same Idempotency-Key)", submission.id(), sender);
        } else if (hold.isPresent()) {
            log.warn(
                    "Held referral {} of type {} from {}: {} ({} notice(s)); an administrator releases or cancels"
                            + " it",
                    submission.id(),
                    referral.type(),
                    sender,
                    hold.get().reason(),
                    hold.get().notices().size());
            stored.run();
        } else {
            log.info(
                    "Accepted referral {} of type {} from {} for {} recipient(s){}{}{}",
                    submission.id(),
                    submission.type(),
                    sender,
                    submission.recipients().size(),
                    withheld.isEmpty() ? "" : ", " + withheld.size() + " withheld",
                    unreached.isEmpty()
                            ? ""
                            : ", participants reaching nobody: "
                                    + unreached.stream()
                                            .map(Participants.Unreached::participant)
                                            .collect(java.util.stream.Collectors.joining(", ")),
                    submission
                            .raised()
                            .map(r -> ", raising " + r.type() + " " + r.id() + " for "
                                    + r.recipients().size() + " recipient(s)")
                            .orElse(""));
            stored.run();
        }
        return signed(submission, sender, plan.withheld()).withUnreached(unreached);
    }

    private List<NewDelivery> deliveries(
            ReferralId id, PartnerId sender, Referral referral, List<Destination> destinations, Instant now) {
        List<NewDelivery> deliveries = new ArrayList<>();
        for (Destination destination : destinations) {
            deliveries.add(render(id, sender, referral, destination, now));
        }
        return deliveries;
    }

    /** The child-protection alert raised from {@code referral}, checked against its own schema. */
    private Referral raise(Referral referral, Optional<ReferralId> source, List<String> reasons, LocalDate today) {
        return validator.validate(ChildProtection.alert(referral, source, reasons), today);
    }

    /**
     * Where the alert goes. Without a route to child protection, the submission is refused as a whole: a referral
     * about a minor must not be carried while the CRIP is not told.
     */
    private static List<Destination> alertPlan(Router router, PartnerId sender, Referral alert, Minority minority) {
        try {
            List<Destination> destinations = router.plan(
                            sender, alert.type(), alert.department(), minority.treatedAsMinor(), Optional.empty())
                    .destinations();
            if (destinations.isEmpty()) {
                // Its routes reach somebody, but only for a person of another age (subject: ...).
                throw new GatewayException(
                        ErrorCode.ROUTE_NOT_FOUND,
                        "every route of " + alert.type() + " left its recipients out for the person's age");
            }
            return destinations;
        } catch (GatewayException e) {
            if (e.code() != ErrorCode.ROUTE_NOT_FOUND) {
                throw e;
            }
            log.warn(
                    "No route for the child-protection alert of a referral from {} in {}: {}",
                    sender,
                    alert.department(),
                    e.getMessage());
            throw new GatewayException(
                    ErrorCode.ROUTE_NOT_FOUND,
                    "the referral concerns a minor (or minors"
                            + " suspected), so the gateway must raise a " + ReferralType.CHILD_PROTECTION_ALERT
                            + " to the CRIP"
                            + " and the juvenile prosecutor of department " + alert.department()
                            + ", but no route delivers"
                            + " one from " + sender
                            + "; nothing was stored. The gateway's administrator can see why with"
                            + " `gateway routes explain --type " + ReferralType.CHILD_PROTECTION_ALERT + " --from "
                            + sender
                            + " --department " + alert.department() + "`");
        }
    }

    /** Every recipient was left out, for want of consent or for the person's age: nothing to carry. */
    private static GatewayException consentExcludesAll(Referral referral, RoutingPlan plan) {
        String left = plan.withheld().stream()
                .map(w -> w.recipient() + " (" + w.reason().explanation() + ")")
                .collect(java.util.stream.Collectors.joining("; "));
        boolean consent = plan.withheld().stream().anyMatch(w -> w.reason() == Withheld.Reason.CONSENT_SCOPE);
        return new GatewayException(
                ErrorCode.RULE_VIOLATION,
                "the " + referral.type() + " reaches nobody: " + left
                        + "; nothing was stored. "
                        + (consent
                                ? "Record in consent.scope the kinds of recipient the person"
                                        + " agrees to, or do not send the referral"
                                : "No route carries it for a person of this age: the"
                                        + " gateway's administrator can see the routes with `gateway routes explain`"),
                plan.withheld().stream()
                        .map(w -> w.recipient() + ": " + w.reason().code())
                        .toList());
    }

    /**
     * A consent.withdrawn: every partner holding a copy of the referral it names is told to delete it, and the
     * gateway erases its own copies.
     */
    private Submitted withdraw(Deployment current, PartnerId sender, Referral withdrawal) {
        ReferralId target =
                ReferralId.parse(withdrawal.body().path("referralId").asText());
        // When the person withdrew it: a time, as in every notice; nothing of the person.
        Map<String, String> when =
                Map.of("withdrawnAt", withdrawal.body().path("withdrawnAt").asText());
        Withdrawals.Withdrawn withdrawn = store.withdraw(
                target,
                sender,
                told -> notices.write(
                        Notice.CONSENT_WITHDRAWN,
                        told.referral(),
                        told.holders().stream()
                                .map(current::partner)
                                .flatMap(Optional::stream)
                                .toList(),
                        List.of(),
                        Optional.empty(),
                        partner -> when));
        if (withdrawn.replayed()) {
            log.info("Consent of referral {} already withdrawn by {}", target, sender);
        } else {
            log.info(
                    "Consent of referral {} withdrawn by {}: {} copies erased, {} partner(s) told to delete theirs",
                    target,
                    sender,
                    withdrawn.erased(),
                    withdrawn.told().size());
            stored.run();
        }
        Submission submission = new Submission(
                target,
                ReferralType.CONSENT_WITHDRAWN,
                withdrawn.replayed(),
                withdrawn.withdrawnAt(),
                "withdrawn",
                withdrawn.told(),
                Map.of(),
                withdrawn.auditPosition());
        return signed(submission, sender, List.of());
    }

    /** The recipient kinds the person's consent covers; empty when the referral carries no consent. */
    private static Optional<Set<PartnerKind>> consentScope(Referral referral) {
        JsonNode consent = referral.body().path("consent");
        if (!consent.isObject()) {
            return Optional.empty();
        }
        Set<PartnerKind> kinds = EnumSet.noneOf(PartnerKind.class);
        for (JsonNode kind : consent.path("scope")) {
            kinds.add(PartnerKind.fromCode(kind.asText()));
        }
        return Optional.of(kinds);
    }

    /** For a decision of the prefecture, the partner that made the request it answers. */
    private Optional<PartnerId> requester(PartnerId sender, Referral referral) {
        if (register.isEmpty() || ProtectionRegister.answered(referral.type()).isEmpty()) {
            return Optional.empty();
        }
        ReferralId request =
                ReferralId.parse(referral.body().path("requestReferralId").asText());
        return Optional.of(register.get().requester(referral.type(), request, sender));
    }

    /**
     * What the exit pathway's chain says of an application or a decision (ExitPathways), checked now, recorded with
     * the submission; nothing for another type, or without the register.
     */
    private SubmissionStep exitPathway(Partner sender, Referral referral, LocalDate today) {
        if (register.isEmpty()) {
            return SubmissionStep.NONE;
        }
        ExitPathways pathways = register.get().exitPathways();
        return switch (referral.type()) {
            case EXIT_PATHWAY_APPLICATION -> pathways.application(sender, referral, today);
            case EXIT_PATHWAY_DECISION -> pathways.decision(
                    ReferralId.parse(referral.body().path("requestReferralId").asText()), referral);
            default -> SubmissionStep.NONE;
        };
    }

    /**
     * A decision goes to the partner that made the request alone: its routes say who may receive one and which
     * fields; the requester must be among them. An exit-pathway decision also goes to the foreigners' department and
     * the CAF when it concerns them ({@link ExitPathways#besideRequester}, {@link ExitPathways#needs}).
     */
    private static List<Destination> toRequester(
            RoutingPlan plan, PartnerId requester, PartnerId sender, Referral referral) {
        List<Destination> mine = plan.destinations().stream()
                .filter(d -> d.recipient().id().equals(requester))
                .toList();
        List<Destination> beside = plan.destinations().stream()
                .filter(d -> ExitPathways.besideRequester(
                        referral.type(), d.recipient().kind()))
                .toList();
        if (mine.isEmpty()) {
            throw new GatewayException(
                    ErrorCode.ROUTE_NOT_FOUND,
                    "no route delivers " + referral.type() + " from "
                            + sender + " to " + requester
                            + ", which made the request it answers; nothing was stored. The"
                            + " gateway's administrator can see why with `gateway routes explain --type "
                            + referral.type()
                            + " --from " + sender + " --department " + referral.department() + "`");
        }
        List<Destination> all = new ArrayList<>(mine);
        all.addAll(beside);
        return all;
    }

    /**
     * What a submission produced: the stored referral (or, for a replayed Idempotency-Key, the one stored
     * before), and the gateway's receipt for it: a CMS SignedData (DER) over a small JSON document that names the
     * referral, its sender, type, recipients, time and audit entry, so that the sender holds proof of what the
     * gateway accepted and when, and can later ask for the entry's inclusion proof.
     */
    public record Submitted(
            Submission submission,
            byte[] signedReceipt,
            List<Withheld> withheld,
            List<Participants.Unreached> unreached) {
        public Submitted {
            Objects.requireNonNull(submission, "submission");
            Objects.requireNonNull(signedReceipt, "signedReceipt");
            withheld = List.copyOf(withheld);
            unreached = List.copyOf(unreached);
        }

        /** As this, naming the services a closure lists that it reached nobody of. */
        Submitted withUnreached(List<Participants.Unreached> left) {
            return new Submitted(submission, signedReceipt, withheld, left);
        }

        @Override
        public String toString() {
            return "Submitted[" + submission + ", receipt " + signedReceipt.length + " bytes]";
        }
    }

    private Submitted signed(Submission submission, PartnerId sender) {
        return signed(submission, sender, List.of());
    }

    private Submitted signed(Submission submission, PartnerId sender, List<Withheld> withheld) {
        ObjectNode receipt = JSON.createObjectNode();
        receipt.put("receiptVersion", 2);
        receipt.put("referralId", submission.id().toString());
        receipt.put("sender", sender.value());
        receipt.put("type", submission.type().code());
        receipt.put("status", "accepted-by-gateway");
        receipt.put("submittedAt", submission.submittedAt().toString());
        // Its audit entry's place in the queue, and the promise: a signed tree head covers it within that delay.
        receipt.put("auditQueuePosition", submission.auditPosition());
        receipt.put("auditMaxMergeDelayMs", AuditLog.maxMergeDelay().toMillis());
        var recipients = receipt.putArray("recipients");
        submission.recipients().forEach(r -> recipients.add(r.value()));
        if (!withheld.isEmpty()) {
            var left = receipt.putArray("withheld");
            withheld.forEach(w -> left.addObject()
                    .put("partner", w.recipient().value())
                    .put("reason", w.reason().code()));
        }
        submission.raised().ifPresent(raised -> {
            ObjectNode alert = receipt.putObject("raised");
            alert.put("referralId", raised.id().toString());
            alert.put("type", raised.type().code());
            alert.put("auditQueuePosition", raised.auditPosition());
            var to = alert.putArray("recipients");
            raised.recipients().forEach(r -> to.add(r.value()));
        });
        return new Submitted(submission, sealer.sign(canonicalBytes(receipt)), withheld, List.of());
    }

    /**
     * The routing plan; when there is none, the sender learns that much and where to ask, while the reasons,
     * which name other partners and their state, go to the log for the administrator.
     */
    private RoutingPlan plan(Router router, PartnerId sender, Referral referral, Minority minority) {
        Department routedIn = Router.routedDepartment(referral.type(), referral.body(), referral.department());
        try {
            return router.plan(
                    sender,
                    referral.type(),
                    routedIn,
                    minority.treatedAsMinor(),
                    consentScope(referral),
                    referral.body());
        } catch (GatewayException e) {
            if (e.code() != ErrorCode.ROUTE_NOT_FOUND) {
                throw e;
            }
            log.info(
                    "No route for {} from {} in {}: {}",
                    referral.type(),
                    sender,
                    referral.department(),
                    e.getMessage());
            throw new GatewayException(
                    ErrorCode.ROUTE_NOT_FOUND,
                    "no route delivers " + referral.type() + " from "
                            + sender + " (" + sender.kind().code() + ") in department " + referral.department()
                            + (routedIn.equals(referral.department())
                                    ? ""
                                    : " to the person's residence department (subject.residenceDepartment)")
                            + "; nothing was stored. The gateway's administrator can see why with `gateway routes explain"
                            + " --type " + referral.type() + " --from " + sender + " --department "
                            + referral.department()
                            + "`");
        }
    }

    /**
     * The minimised item in the recipient's format, signed by the gateway and encrypted for the recipient: a CMS
     * envelope, or an S/MIME entity for a transport that sends mail, with its receipt links when the transport
     * answers by links.
     */
    private NewDelivery render(
            ReferralId id, PartnerId sender, Referral referral, Destination destination, Instant now) {
        Partner recipient = destination.recipient();
        OutboundAdapter adapter = adapters.outbound(recipient.outboundAdapter());
        Optional<TransportProvider> transport = recipient.delivery().pushed()
                ? Optional.of(adapters.transport(recipient.delivery().transport()))
                : Optional.empty();
        ObjectNode item = JSON.createObjectNode();
        item.put("referralId", id.toString());
        item.put("sender", sender.value());
        item.put("type", referral.type().code());
        item.put("submittedAt", now.toString());
        // What the recipient's kind may learn: a SIAO reads no unit, no RIO and nothing that tells a victim.
        item.set(
                "referral",
                RecipientView.apply(recipient.kind(), Minimiser.minimise(referral.body(), destination.fields())));
        List<NewReceiptLink> receiptLinks = List.of();
        if (transport.isPresent() && transport.get().receiptLinks()) {
            ReceiptLinks.Issued issued = links.get();
            ObjectNode urls = item.putObject("receiptLinks");
            issued.urls().forEach((status, url) -> urls.put(status.code(), url));
            item.put("receiptLinksExpireAt", issued.expiresAt().toString());
            receiptLinks = issued.links();
        }
        X509Certificate certificate = recipient
                .certificate()
                .orElseThrow(() -> new GatewayException(
                        ErrorCode.CONFIG_INVALID,
                        "cannot seal for " + recipient.id() + ": the registry holds no certificate"
                                + " for it (partners/" + recipient.id() + ".pem)"));
        PartnerSealer.Sealed sealed =
                partnerSealer.seal(recipient, certificate, adapter.write(item), adapter.mediaType());
        // The links die with this certificate: once a rotation drops it from the partner's entry, they stop working.
        String sealedFor = Fingerprints.sha256(certificate);
        return new NewDelivery(
                recipient.id(),
                destination.routeIds(),
                sealed.mediaType(),
                sealed.payload(),
                recipient.delivery().transport(),
                receiptLinks.stream().map(l -> l.sealedFor(sealedFor)).toList());
    }

    private static ReceiptLinks.Issued noLinks() {
        throw new GatewayException(
                ErrorCode.CONFIG_INVALID,
                "a recipient answers by receipt links, but this"
                        + " gateway issues none: add receipt_links to gateway.yaml");
    }

    /** The status and history of a referral, as {@code viewer} may see it. */
    public ReferralStatus status(ReferralId id, PartnerId viewer) {
        activePartner(viewer);
        return store.status(id, viewer).orElseThrow(id::notFound);
    }

    /**
     * A page of the inbox of {@code recipient}: the items already taken after {@code after}, then those not yet
     * taken by urgency; pulling marks them delivered.
     */
    public InboxPage inbox(PartnerId recipient, long after, int limit) {
        activePartner(recipient);
        return store.inbox(recipient, after, limit);
    }

    /** One item of the inbox of {@code recipient}, by its cursor; fetching it marks it delivered. */
    public InboxItem item(PartnerId recipient, long cursor) {
        activePartner(recipient);
        if (cursor < 1) {
            throw new GatewayException(ErrorCode.NOT_FOUND, "no item " + cursor + " in the inbox of " + recipient);
        }
        return store.inboxItem(recipient, cursor)
                .orElseThrow(() -> new GatewayException(
                        ErrorCode.NOT_FOUND,
                        "no item " + cursor + " in the inbox of " + recipient + " (cursors come from GET /v1/inbox)"));
    }

    /**
     * A receipt that {@code recipient} sends in its own format, read by its inbound adapter; empty when the
     * adapter reads no receipt of this media type (the body is then a canonical JSON receipt).
     */
    public Optional<JsonNode> partnerReceipt(PartnerId recipient, byte[] body, String mediaType) {
        Partner partner = activePartner(recipient);
        return adapters.inbound(partner.inboundAdapter())
                .readReceipt(body, mediaType)
                .map(JsonNode.class::cast);
    }

    /** Records what {@code recipient} says of referral {@code id}. */
    public ReceiptOutcome receipt(ReferralId id, PartnerId recipient, JsonNode body) {
        activePartner(recipient);
        ReceiptRequest request = validator.validateReceipt(body);
        ReceiptOutcome outcome = receipts.record(id, recipient, request.status(), request.reason());
        log.info("Receipt '{}' from {} for referral {}", request.status(), recipient, id);
        return outcome;
    }

    /** The configuration current now. */
    public Deployment deployment() {
        return deployment.get();
    }

    private Partner activePartner(PartnerId id) {
        return activePartner(deployment.get(), id);
    }

    private static Partner activePartner(Deployment deployment, PartnerId id) {
        Partner partner = deployment
                .partner(id)
                .orElseThrow(() ->
                        new GatewayException(ErrorCode.PARTNER_UNKNOWN, "no partner '" + id + "' in the registry"));
        if (!partner.enabled()) {
            throw new GatewayException(
                    ErrorCode.PARTNER_DISABLED,
                    "partner " + id + " is disabled in the registry; ask the gateway's administrator to enable it");
        }
        return partner;
    }

    private static String allowed(Partner partner) {
        return partner.maySend().isEmpty()
                ? "nothing"
                : String.join(
                        ", ",
                        partner.maySend().stream().map(t -> t.code()).sorted().toList());
    }

    private static void checkIdempotencyKey(String key) {
        if (!IDEMPOTENCY_KEY.matcher(key).matches()) {
            throw new GatewayException(
                    ErrorCode.IDEMPOTENCY_KEY_INVALID,
                    "the Idempotency-Key header is not valid"
                            + " (expected: 1 to 128 characters among letters, digits and . _ : -, for instance a UUID)");
        }
    }

    private static byte[] digest(byte[] body, String mediaType) {
        return Sha256.digest(mediaType.getBytes(StandardCharsets.UTF_8), new byte[] {0}, body);
    }

    private static byte[] canonicalBytes(ObjectNode document) {
        try {
            return JSON.writeValueAsBytes(document);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new GatewayException(ErrorCode.INTERNAL, "cannot serialise a JSON document", e);
        }
    }
}
