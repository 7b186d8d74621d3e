package fr.passerelle.server.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.ReferralValidator;
import fr.passerelle.core.referral.Urgency;
import fr.passerelle.core.routing.DryRun;
import fr.passerelle.core.routing.RouteMatch;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Endpoint;
import fr.passerelle.server.http.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /admin/v1/dry-run}: what the gateway would do with a referral, on the configuration in force,
 * without storing, sealing or auditing anything. The body is either {@code {"sender": "police-75-brp", "type":
 * "victim.orientation", "department": "75", "urgency": "urgent"}} ({@code urgency} optional) or {@code {"sender":
 * ..., "referral": {canonical referral}}}, the document validated as a submission would be. The answer names
 * field paths only, never a value of the document.
 */
public final class DryRunEndpoint implements Endpoint {
    private static final Logger log = LoggerFactory.getLogger(DryRunEndpoint.class);
    private static final Set<String> BY_TYPE = Set.of("sender", "type", "department", "urgency");
    private static final Set<String> BY_REFERRAL = Set.of("sender", "referral");

    private final Supplier<Deployment> deployment;
    private final ReferralValidator validator;
    private final Clock clock;

    public DryRunEndpoint(Supplier<Deployment> deployment, ReferralValidator validator, Clock clock) {
        this.deployment = Objects.requireNonNull(deployment, "deployment");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        JsonNode body = parse(request.body());
        DryRun dryRun = new DryRun(deployment.get(), clock);
        PartnerId sender = ApiRequest.partnerId("sender", text(body, "sender", "a partner id, such as police-75-brp"));
        DryRun.Result result;
        if (body.has("referral")) {
            allowOnly(body, BY_REFERRAL);
            result = dryRun.explain(sender, validator.validate(body.get("referral")));
        } else {
            allowOnly(body, BY_TYPE);
            ReferralType type =
                    ReferralType.fromCode(text(body, "type", "a referral type, such as victim.orientation"));
            if (type == ReferralType.REFERRAL_RECEIPT) {
                throw new GatewayException(
                        ErrorCode.TYPE_NOT_ALLOWED,
                        "a referral.receipt is not routed: it goes" + " back to the referral's sender (expected: "
                                + ReferralType.codes() + ")");
            }
            Department department = Department.of(text(body, "department", "a department code, such as \"75\""));
            Optional<Urgency> urgency = body.has("urgency")
                    ? Optional.of(Urgency.fromCode(text(body, "urgency", "routine, urgent or immediate")))
                    : Optional.empty();
            result = dryRun.explain(sender, type, department, urgency);
        }
        log.info(
                "{} ran a dry run of {} from {} in {}: {} recipients",
                request.admin().actor(),
                result.type(),
                result.sender(),
                result.department(),
                result.recipients().size());
        return ApiResponse.json(HttpResponseStatus.OK, render(result));
    }

    /** The answer's JSON: the stable shape that docs/ADMIN.md and the OpenAPI document describe. */
    static ObjectNode render(DryRun.Result result) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("sender", result.sender().value());
        body.put("type", result.type().code());
        body.put("department", result.department().code());
        result.urgency().ifPresent(u -> body.put("urgency", u.code()));
        body.put("accepted", result.accepted());
        ArrayNode refusals = body.putArray("refusals");
        result.refusals()
                .forEach(r -> refusals.addObject().put("code", r.code().code()).put("message", r.message()));
        ArrayNode routes = body.putArray("routes");
        for (RouteMatch match : result.matches()) {
            ObjectNode route = routes.addObject();
            route.put("id", match.route().id());
            match.route().when().ifPresent(when -> route.put("when", when.toString()));
            strings(
                    route.putArray("to"),
                    match.route().to().stream().map(Object::toString).toList());
            strings(route.putArray("fields"), match.route().fields());
            strings(
                    route.putArray("recipients"),
                    match.recipients().stream().map(PartnerId::value).toList());
        }
        strings(body.putArray("alwaysKept"), DryRun.alwaysKept());
        ArrayNode recipients = body.putArray("recipients");
        for (DryRun.Recipient recipient : result.recipients()) {
            ObjectNode entry = recipients.addObject();
            entry.put("partner", recipient.partner().value());
            entry.put("kind", recipient.partner().kind().code());
            strings(entry.putArray("routes"), recipient.routeIds());
            strings(entry.putArray("fields"), recipient.fields());
            entry.put("adapter", recipient.adapter());
            entry.put("envelope", recipient.envelope());
            entry.put("transport", recipient.transport());
            recipient.kept().ifPresent(kept -> strings(entry.putArray("kept"), kept));
            recipient.removed().ifPresent(removed -> strings(entry.putArray("removed"), removed));
            recipient.view().ifPresent(v -> entry.put("view", v));
            strings(entry.putArray("warnings"), recipient.warnings());
        }
        return body;
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static JsonNode parse(byte[] bytes) {
        JsonNode body = Json.tree(bytes, "the dry run");
        if (body == null || !body.isObject()) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "the dry run's body must be a JSON object: {\"sender\","
                            + " \"type\", \"department\", \"urgency\"} or {\"sender\", \"referral\"}");
        }
        return body;
    }

    private static String text(JsonNode body, String key, String expected) {
        JsonNode value = body.get(key);
        if (value == null || !value.isTextual()) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "'" + key + "' is " + (value == null ? "missing" : "not a string") + " (expected: " + expected
                            + ")");
        }
        return value.textValue();
    }

    private static void allowOnly(JsonNode body, Set<String> allowed) {
        body.fieldNames().forEachRemaining(name -> {
            if (!allowed.contains(name)) {
                throw new GatewayException(
                        ErrorCode.REQUEST_INVALID,
                        "'" + name.replaceAll("[^A-Za-z0-9_.-]", "?")
                                + "' is not a key of a dry run (expected: "
                                + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        });
    }
}
