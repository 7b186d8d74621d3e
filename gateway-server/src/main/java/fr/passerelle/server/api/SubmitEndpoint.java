package fr.passerelle.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.exchange.Exchange;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.routing.Withheld;
import fr.passerelle.core.store.Submission;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Endpoint;
import fr.passerelle.server.http.Json;
import fr.passerelle.server.metrics.GatewayMetrics;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Base64;

/**
 * {@code POST /v1/referrals}: submit a referral in the caller's format. Answers {@code 202} with the id, the
 * recipients and the routes that chose them, the recipients left out and why ({@code withheld}: the person is a
 * minor, or her consent does not cover them), the services a closure lists that it reached nobody of
 * ({@code unreached}), the child-protection alert the gateway raised ({@code raised}), and a
 * {@code Location} to follow its status. A {@code consent.withdrawn} answers with the referral it withdrew, status
 * {@code withdrawn}, and the partners told to delete their copy as recipients.
 */
public final class SubmitEndpoint implements Endpoint {
    private final Exchange exchange;
    private final GatewayMetrics metrics;

    public SubmitEndpoint(Exchange exchange, GatewayMetrics metrics) {
        this.exchange = exchange;
        this.metrics = metrics;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        Exchange.Submitted submitted;
        try {
            submitted = exchange.submit(
                    request.partner(), request.body(), request.mediaType(), request.header("Idempotency-Key"));
        } catch (GatewayException e) {
            metrics.submission("unknown", e.code().code());
            throw e;
        }
        Submission submission = submitted.submission();
        metrics.submission(submission.type().code(), submission.replayed() ? "replayed" : "accepted");
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("id", submission.id().toString());
        body.put("type", submission.type().code());
        body.put("status", submission.status());
        body.put("submittedAt", submission.submittedAt().toString());
        body.put("replayed", submission.replayed());
        // A removal objective about a protected person: nothing is delivered until an administrator releases it.
        submission.holdReason().ifPresent(reason -> body.putObject("hold")
                .put("reason", reason)
                .put(
                        "detail",
                        "the person appears in the gateway's protection register; no copy is delivered until"
                                + " an administrator of the gateway releases it with a justification, or cancels it"));
        recipients(body.putArray("recipients"), submission);
        // Never a silent drop: who the routes would have reached, and why the gateway left them out.
        if (!submitted.withheld().isEmpty()) {
            ArrayNode withheld = body.putArray("withheld");
            for (Withheld left : submitted.withheld()) {
                withheld.addObject()
                        .put("partner", left.recipient().value())
                        .put("route", left.routeId())
                        .put("reason", left.reason().code())
                        .put("detail", left.reason().explanation());
            }
        }
        // A closure's listed services that it reached nobody of: the prefect must tell them by other means.
        if (!submitted.unreached().isEmpty()) {
            ArrayNode unreached = body.putArray("unreached");
            submitted.unreached().forEach(u -> unreached
                    .addObject()
                    .put("participant", u.participant())
                    .put("kind", u.kind().code())
                    .put("detail", u.detail()));
        }
        // The child-protection alert raised beside it (CASF L.226-3), a referral of its own with its own status.
        submission.raised().ifPresent(raised -> {
            ObjectNode alert = body.putObject("raised");
            alert.put("id", raised.id().toString());
            alert.put("type", raised.type().code());
            alert.put("status", raised.status());
            recipients(alert.putArray("recipients"), raised);
            alert.put("auditQueuePosition", raised.auditPosition());
        });
        // Its audit entry's place in the queue and the promise: a signed tree head covers it within that delay, and
        // the audit-proof request returns its inclusion proof from then on.
        body.put("auditQueuePosition", submission.auditPosition());
        body.put("auditMaxMergeDelayMs", AuditLog.maxMergeDelay().toMillis());
        // The gateway's signed receipt: proof for the sender of what was accepted, and when.
        body.put("receiptMediaType", "application/pkcs7-mime; smime-type=signed-data");
        body.put("receipt", Base64.getEncoder().encodeToString(submitted.signedReceipt()));
        String location = "/v1/referrals/" + submission.id();
        return ApiResponse.json(HttpResponseStatus.ACCEPTED, body).withHeader("Location", location);
    }

    /** Each recipient of {@code submission} and the routes that chose it. */
    private static void recipients(ArrayNode into, Submission submission) {
        for (PartnerId recipient : submission.recipients()) {
            ObjectNode entry = into.addObject();
            entry.put("partner", recipient.value());
            ArrayNode routes = entry.putArray("routes");
            submission.routeIds().getOrDefault(recipient, java.util.List.of()).forEach(routes::add);
        }
    }
}
