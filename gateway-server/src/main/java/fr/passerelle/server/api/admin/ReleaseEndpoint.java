package fr.passerelle.server.api.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.notice.NoticeWriter;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.store.Holds;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Endpoint;
import fr.passerelle.server.http.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /admin/v1/referrals/{id}/release}: lifts the hold of a removal objective that the protection
 * register held, with a justification from a closed list, the date of the prefect's decision it rests on, and a
 * comment: {@code {"justification": "period-ended-early", "decidedOn": "2026-11-30", "comment": "..."}}. Its
 * copies enter the outbox at once; its sender and the referents get a {@code released} notice. The comment is
 * stored encrypted and never logged. A referral outside the administrator's data domains is answered as one that does
 * not exist.
 */
public final class ReleaseEndpoint implements Endpoint {
    private static final Logger log = LoggerFactory.getLogger(ReleaseEndpoint.class);

    private final Holds holds;
    private final NoticeWriter notices;
    private final Supplier<Deployment> deployment;
    private final Runnable stored;

    /** @param stored told after the copies entered the outbox, so that the delivery worker pushes them at once */
    public ReleaseEndpoint(Holds holds, NoticeWriter notices, Supplier<Deployment> deployment, Runnable stored) {
        this.holds = holds;
        this.notices = notices;
        this.deployment = deployment;
        this.stored = stored;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        ReferralId id = ReferralId.parse(request.pathParam("id"));
        JsonNode body = Json.object(request.body(), "the release");
        String justification = text(body, "justification").orElseThrow(() -> missing("justification"));
        Optional<LocalDate> decidedOn = text(body, "decidedOn").map(ReleaseEndpoint::date);
        String comment = text(body, "comment").orElseThrow(() -> missing("comment"));
        Holds.Released released = holds.release(
                id,
                request.admin().types(),
                request.admin().actor(),
                justification,
                decidedOn,
                comment,
                notices.release(deployment.get(), justification));
        stored.run();
        log.info(
                "{} released referral {} held for {} ({}; {} copies)",
                request.admin().actor(),
                id,
                released.reason(),
                justification,
                released.copies());
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("referralId", id.toString());
        answer.put("status", "routed");
        answer.put("heldFor", released.reason());
        answer.put("justification", justification);
        answer.put("copiesReleased", released.copies());
        return ApiResponse.json(HttpResponseStatus.OK, answer);
    }

    private static Optional<String> text(JsonNode body, String field) {
        JsonNode value = body.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new GatewayException(ErrorCode.REQUEST_INVALID, field + " must be a string");
        }
        return Optional.of(value.asText());
    }

    private static GatewayException missing(String field) {
        return new GatewayException(
                ErrorCode.REQUEST_INVALID,
                "the release needs '" + field + "' (expected:"
                        + " {\"justification\": \"period-ended-early\", \"decidedOn\": \"YYYY-MM-DD\", \"comment\": \"why\"};"
                        + " justifications: "
                        + String.join(
                                ", ", Holds.JUSTIFICATIONS.stream().sorted().toList()) + ")");
    }

    private static LocalDate date(String text) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new GatewayException(ErrorCode.REQUEST_INVALID, "decidedOn is not a date (expected: YYYY-MM-DD)");
        }
    }
}
