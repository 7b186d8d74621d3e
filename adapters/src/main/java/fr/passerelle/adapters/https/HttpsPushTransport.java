package fr.passerelle.adapters.https;

import fr.passerelle.core.GatewayException;
import fr.passerelle.core.spi.DeliveryOutcome;
import fr.passerelle.core.spi.OutgoingDelivery;
import fr.passerelle.core.spi.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP client, HTTP/2 or HTTP/1.1 as the partner's server negotiates, shared by every delivery worker. Each
 * delivery is one POST of the sealed bytes; the answer's status, never its body, makes the outcome.
 */
final class HttpsPushTransport implements Transport {
    static final String REFERRAL_ID_HEADER = "Passerelle-Referral-Id";
    static final String TYPE_HEADER = "Passerelle-Type";
    static final String ATTEMPT_HEADER = "Passerelle-Attempt";

    private static final Logger log = LoggerFactory.getLogger(HttpsPushTransport.class);

    private final HttpsPushSettings settings;
    private final HttpClient client;

    HttpsPushTransport(HttpsPushSettings settings, SSLContext tls) {
        this.settings = settings;
        // Redirects are not followed: a sealed referral goes to the configured address or nowhere.
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.connectTimeout())
                .sslContext(tls)
                .sslParameters(PushTls.parameters(tls))
                .build();
    }

    @Override
    public DeliveryOutcome deliver(OutgoingDelivery delivery) {
        URI url;
        try {
            url = PartnerUrl.of(delivery.options());
        } catch (GatewayException e) {
            // A misconfigured partner: the same request would fail the same way until the operator fixes it.
            return DeliveryOutcome.permanent(e.getMessage());
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(url);
        delivery.notice().ifPresent(n -> builder.header(OutgoingDelivery.NOTICE_HEADER, n.code()));
        HttpRequest request = builder.timeout(settings.requestTimeout())
                .header("Content-Type", delivery.mediaType())
                .header(OutgoingDelivery.DELIVERY_ID_HEADER, Long.toString(delivery.deliveryId()))
                .header(REFERRAL_ID_HEADER, delivery.referralId().toString())
                .header(TYPE_HEADER, delivery.type().code())
                .header(ATTEMPT_HEADER, Integer.toString(delivery.attempt()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.payload()))
                .build();
        DeliveryOutcome outcome = send(request);
        log.debug(
                "Delivery {} of referral {} to {} at {}, attempt {}: {} ({})",
                delivery.deliveryId(),
                delivery.referralId(),
                delivery.recipient(),
                PartnerUrl.shown(url),
                delivery.attempt(),
                outcome.result(),
                outcome.detail());
        return outcome;
    }

    private DeliveryOutcome send(HttpRequest request) {
        CompletableFuture<HttpResponse<Void>> response =
                client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        // The request timeout covers the wait for the answer's headers; this bound also covers a body that
        // trickles in forever, so that a worker never waits longer than both timeouts.
        long bound = settings.connectTimeout().plus(settings.requestTimeout()).toMillis();
        try {
            return outcome(response.get(bound, TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            response.cancel(true);
            Thread.currentThread().interrupt();
            return DeliveryOutcome.retryable("interrupted before the partner answered");
        } catch (TimeoutException e) {
            response.cancel(true);
            return DeliveryOutcome.retryable("no complete answer within " + bound / 1000 + " s");
        } catch (ExecutionException e) {
            return DeliveryOutcome.retryable(NetworkFailures.describe(e.getCause(), settings));
        }
    }

    /** The status and a Retry-After, never the body: a partner's error page may hold anything. */
    private static DeliveryOutcome outcome(HttpResponse<?> response) {
        int status = response.statusCode();
        String detail = "HTTP " + status
                + retryAfter(response).map(value -> ", Retry-After " + value).orElse("");
        if (status >= 200 && status < 300) {
            return DeliveryOutcome.delivered(detail);
        }
        if (status == 408 || status == 429 || (status >= 500 && status < 600)) {
            return DeliveryOutcome.retryable(detail);
        }
        if (status >= 300 && status < 400) {
            return DeliveryOutcome.permanent(
                    detail + " (redirects are not followed: set the partner's url to" + " the final address)");
        }
        return DeliveryOutcome.permanent(detail);
    }

    /** Seconds or an HTTP date, as sent; anything else is dropped rather than copied into the audit. */
    private static Optional<String> retryAfter(HttpResponse<?> response) {
        return response.headers()
                .firstValue("Retry-After")
                .map(String::strip)
                .filter(value -> value.length() <= 40 && value.matches("[A-Za-z0-9 ,:+-]+"));
    }

    @Override
    public void close() {
        // HttpClient has no close() before Java 21: its connections go when it is garbage collected, and a
        // delivery still running ends at its timeouts.
    }
}
