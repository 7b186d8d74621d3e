package fr.passerelle.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointTableTest {
    private static final Endpoint SUBMIT = request -> ApiResponse.json(HttpResponseStatus.OK, "submit");
    private static final Endpoint STATUS = request -> ApiResponse.json(HttpResponseStatus.OK, "status");
    private static final Endpoint CANCEL = request -> ApiResponse.json(HttpResponseStatus.OK, "cancel");
    private static final Endpoint RECEIPTS = request -> ApiResponse.json(HttpResponseStatus.OK, "receipts");
    private static final Endpoint INBOX = request -> ApiResponse.json(HttpResponseStatus.OK, "inbox");
    private static final Endpoint ITEM = request -> ApiResponse.json(HttpResponseStatus.OK, "item");

    private final EndpointTable table = EndpointTable.builder()
            .add(HttpMethod.POST, "/v1/referrals", EndpointTable.Access.PARTNER, SUBMIT)
            .add(HttpMethod.GET, "/v1/referrals/{id}", EndpointTable.Access.PARTNER, STATUS)
            .add(HttpMethod.DELETE, "/v1/referrals/{id}", EndpointTable.Access.PARTNER, CANCEL)
            .add(HttpMethod.POST, "/v1/referrals/{id}/receipts", EndpointTable.Access.PARTNER, RECEIPTS)
            .add(HttpMethod.GET, "/v1/inbox", EndpointTable.Access.PARTNER, INBOX)
            .add(HttpMethod.GET, "/v1/inbox/{seq}", EndpointTable.Access.PARTNER, ITEM)
            .build();

    @Test
    void routesByMethodAndPath() {
        EndpointTable.Match submit = table.resolve(HttpMethod.POST, "/v1/referrals");
        EndpointTable.Match cancel = table.resolve(HttpMethod.DELETE, "/v1/referrals/0b6e3f0e");
        EndpointTable.Match inbox = table.resolve(HttpMethod.GET, "/v1/inbox");

        assertThat(submit.entry().endpoint()).isSameAs(SUBMIT);
        assertThat(submit.entry().pattern()).isEqualTo("/v1/referrals");
        assertThat(submit.params()).isEmpty();
        assertThat(cancel.entry().endpoint()).isSameAs(CANCEL);
        assertThat(inbox.entry().endpoint()).isSameAs(INBOX);
    }

    @Test
    void capturesEachPathParameterFromItsOwnSegment() {
        EndpointTable.Match receipts = table.resolve(HttpMethod.POST, "/v1/referrals/0b6e3f0e/receipts");
        EndpointTable.Match item = table.resolve(HttpMethod.GET, "/v1/inbox/42");

        assertThat(receipts.entry().endpoint()).isSameAs(RECEIPTS);
        assertThat(receipts.params()).isEqualTo(Map.of("id", "0b6e3f0e"));
        assertThat(item.entry().pattern()).isEqualTo("/v1/inbox/{seq}");
        assertThat(item.params()).isEqualTo(Map.of("seq", "42"));
    }

    @Test
    void aParameterNeitherSpansSegmentsNorMatchesAnEmptyOne() {
        assertThatThrownBy(() -> table.resolve(HttpMethod.GET, "/v1/referrals/0b6e3f0e/extra"))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> table.resolve(HttpMethod.POST, "/v1/referrals//receipts"))
                .isInstanceOfSatisfying(
                        GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void refusesAnUnknownPathAsNotFoundListingTheApi() {
        assertThatThrownBy(() -> table.resolve(HttpMethod.GET, "/v2/referrals"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
                    assertThat(e.getMessage())
                            .isEqualTo("no operation at this path (the partner API lives under"
                                    + " /v1/: referrals, referrals/{id}, referrals/{id}/receipts, inbox, health)");
                });
    }

    @Test
    void refusesAKnownPathWithAnotherMethodNamingTheMethodsItAllows() {
        assertThatThrownBy(() -> table.resolve(HttpMethod.PUT, "/v1/referrals/0b6e3f0e"))
                .isInstanceOfSatisfying(GatewayException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.METHOD_NOT_ALLOWED);
                    assertThat(e.getMessage()).isEqualTo("PUT is not allowed on this path (expected: GET, DELETE)");
                });
        assertThat(table.methodsAt("/v1/referrals/0b6e3f0e")).containsExactly("GET", "DELETE");
        assertThat(table.methodsAt("/v2/referrals")).isEmpty();
    }

    @Test
    void listsEveryOperationInTheOrderItWasAdded() {
        assertThat(table.entries())
                .extracting(e -> e.method().name() + " " + e.pattern())
                .containsExactly(
                        "POST /v1/referrals",
                        "GET /v1/referrals/{id}",
                        "DELETE /v1/referrals/{id}",
                        "POST /v1/referrals/{id}/receipts",
                        "GET /v1/inbox",
                        "GET /v1/inbox/{seq}");
    }

    @Test
    void answersARefusalUnderAPrefixWithItsPageAndElsewhereWithAProblemDocument() {
        ApiResponse page = new ApiResponse(HttpResponseStatus.FORBIDDEN, "text/html", new byte[] {1}, Map.of());
        EndpointTable withPages = EndpointTable.builder()
                .add(HttpMethod.GET, "/v1/inbox", EndpointTable.Access.PARTNER, INBOX)
                .errorPages("/console/", problem -> page)
                .build();
        Problems.Problem refused =
                Problems.of(new GatewayException(ErrorCode.NOT_PERMITTED, "administrators only"), "/x");

        ApiResponse underPrefix = withPages.refusal(refused, "/console/");
        ApiResponse elsewhere = withPages.refusal(refused, "/v1/inbox");

        assertThat(underPrefix).isSameAs(page);
        assertThat(elsewhere.mediaType()).isEqualTo(Problems.MEDIA_TYPE);
        assertThat(elsewhere.status()).isEqualTo(HttpResponseStatus.FORBIDDEN);
    }
}
