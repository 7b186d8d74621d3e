package fr.passerelle.server.api.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.store.OpenReferral;
import fr.passerelle.core.store.ReferralSearch;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Endpoint;
import fr.passerelle.server.http.Json;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@code GET /admin/v1/referrals?id=3b58&type=…&department=75&state=failed&partner=siao-75&from=2025-09-01&to=…}:
 * the referrals that match, newest first, each with its metadata and its recipients' states; never a field of its
 * document. A page ends with {@code next}, the id to pass as {@code after} for the following one, when it is full.
 * Only the referrals of the administrator's data domains.
 */
public final class ReferralsEndpoint implements Endpoint {
    /** The page size when none is given. */
    public static final int DEFAULT_LIMIT = 50;

    private final ReferralSearch search;

    public ReferralsEndpoint(ReferralSearch search) {
        this.search = Objects.requireNonNull(search, "search");
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        Optional<ReferralType> type = request.queryParam("type").map(code -> parameter(ReferralType::fromCode, code));
        Optional<Instant> from = request.queryParam("from").map(text -> instant("from", text, false));
        Optional<Instant> to = request.queryParam("to").map(text -> instant("to", text, true));
        if (from.isPresent() && to.isPresent() && !from.get().isBefore(to.get())) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "the period from " + from.get() + " to " + to.get() + " is empty (expected: 'from' before 'to')");
        }
        ReferralSearch.Filter filter = new ReferralSearch.Filter(
                request.queryParam("id").map(ReferralSearch.IdPrefix::parse),
                request.queryParam("department").map(code -> parameter(Department::of, code)),
                request.queryParam("state"),
                request.partnerQueryParam("partner"),
                from,
                to,
                DomainScope.types(request.admin(), type));
        Optional<ReferralId> after = request.queryParam("after").map(ReferralsEndpoint::after);
        int limit = (int) request.longParam("limit", DEFAULT_LIMIT, 1, ReferralSearch.MAX_PAGE);
        List<ReferralSearch.Summary> page = search.search(filter, after, limit);
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode referrals = body.putArray("referrals");
        page.forEach(summary -> render(referrals.addObject(), summary));
        if (page.size() == limit) {
            body.put("next", page.get(page.size() - 1).referral().id().toString());
        }
        return ApiResponse.json(HttpResponseStatus.OK, body);
    }

    /** A referral's metadata and its recipients, for the search and the timeline. */
    static void render(ObjectNode node, ReferralSearch.Summary summary) {
        OpenReferral referral = summary.referral();
        node.put("id", referral.id().toString());
        node.put("type", referral.type().code());
        node.put("department", referral.department().code());
        node.put("urgency", referral.urgency().code());
        node.put("sender", referral.sender().value());
        node.put("submittedAt", referral.submittedAt().toString());
        node.put("status", referral.status());
        ArrayNode recipients = node.putArray("recipients");
        for (OpenReferral.Copy copy : referral.copies()) {
            recipients
                    .addObject()
                    .put("partner", copy.recipient().value())
                    .put("state", copy.state().code());
        }
        for (PartnerId held : summary.heldFor()) {
            recipients.addObject().put("partner", held.value()).put("state", "held");
        }
    }

    /**
     * A day (UTC) or an instant; a day {@code to} includes that whole day.
     *
     * @throws GatewayException {@code request_invalid} when the text is neither
     */
    static Instant instant(String name, String text, boolean endOfDay) {
        try {
            LocalDate day = LocalDate.parse(text);
            return (endOfDay ? day.plusDays(1) : day)
                    .atStartOfDay(ZoneOffset.UTC)
                    .toInstant();
        } catch (DateTimeParseException notADay) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException notAnInstant) {
                throw new GatewayException(
                        ErrorCode.REQUEST_INVALID,
                        "'" + name + "' is neither a date nor an instant (expected: YYYY-MM-DD, such as 2025-09-01,"
                                + " or an ISO 8601 instant, such as 2025-09-01T08:30:00Z)");
            }
        }
    }

    /**
     * A value of a query parameter: a bad one is the caller's request, {@code request_invalid} (400), not a
     * submission's content that breaks a rule (422).
     */
    private static <T> T parameter(Function<String, T> parse, String text) {
        try {
            return parse.apply(text);
        } catch (GatewayException e) {
            throw new GatewayException(ErrorCode.REQUEST_INVALID, e.getMessage(), e);
        }
    }

    private static ReferralId after(String text) {
        try {
            if (text.length() == 36) {
                return new ReferralId(UUID.fromString(text));
            }
        } catch (IllegalArgumentException e) {
            // answered below, as a text of the wrong length
        }
        throw new GatewayException(
                ErrorCode.REQUEST_INVALID,
                "'after' is not a referral id (expected: the 'next' of the previous page, a UUID such as"
                        + " 0f8c2c1e-2d4b-4f4e-9a51-3c1d6f0b7a21)");
    }
}
