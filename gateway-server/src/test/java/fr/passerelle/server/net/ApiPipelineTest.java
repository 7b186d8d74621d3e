package fr.passerelle.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.config.model.GatewaySettings.Quotas;
import fr.passerelle.server.http.ApiHandler;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.EndpointTable;
import fr.passerelle.server.http.Json;
import fr.passerelle.server.http.PartnerQuotas;
import fr.passerelle.server.http.PeerIdentity;
import fr.passerelle.server.metrics.GatewayMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The partner connection's pipeline after TLS ({@link GatewayInitializer#addHttp}) in an {@link EmbeddedChannel}:
 * raw bytes in, raw bytes out, the worker pool run by hand and the channel's clock moved by the test.
 */
class ApiPipelineTest {
    private static final int MAX_BODY = 16;
    private static final Duration IDLE = Duration.ofSeconds(10);

    private final List<String> handled = new ArrayList<>();
    private final ManualWorkers workers = new ManualWorkers();
    private final EmbeddedChannel channel = new EmbeddedChannel();

    ApiPipelineTest() {
        EndpointTable endpoints = EndpointTable.builder()
                .add(HttpMethod.GET, "/v1/echo/{word}", EndpointTable.Access.ANY_CLIENT, request -> {
                    handled.add(request.path());
                    return ApiResponse.json(
                            HttpResponseStatus.OK,
                            Map.of("word", request.pathParams().get("word")));
                })
                .add(HttpMethod.POST, "/v1/upload", EndpointTable.Access.ANY_CLIENT, request -> {
                    handled.add(request.path());
                    return ApiResponse.json(HttpResponseStatus.OK, Map.of("bytes", request.body().length));
                })
                .build();
        GatewayMetrics metrics = new GatewayMetrics();
        Supplier<Deployment> noDeployment = () -> {
            throw new AssertionError("the operations of this test are open to any client");
        };
        GatewaySettings.Limits limits = new GatewaySettings.Limits(MAX_BODY, IDLE, 1);
        channel.attr(PeerIdentity.FINGERPRINT).set("3F:9A");
        GatewayInitializer.addHttp(
                channel.pipeline(),
                limits,
                new ApiHandler(
                        endpoints,
                        noDeployment,
                        workers,
                        metrics,
                        new PartnerQuotas(partner -> Quotas.defaults(), metrics)));
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void answersPipelinedRequestsInOrderOneAtATime() throws IOException {
        send("GET /v1/echo/first HTTP/1.1\r\nHost: gateway\r\n\r\n"
                + "GET /v1/echo/second HTTP/1.1\r\nHost: gateway\r\n\r\n");

        int startedAtOnce = workers.waiting();
        workers.runNext();
        List<FullHttpResponse> afterFirst = responses();
        workers.runNext();
        List<FullHttpResponse> afterSecond = responses();

        assertThat(startedAtOnce)
                .as("the second request waits for the first answer")
                .isEqualTo(1);
        assertThat(handled).containsExactly("/v1/echo/first", "/v1/echo/second");
        assertThat(afterFirst)
                .extracting(ApiPipelineTest::json)
                .extracting(body -> body.path("word").asText())
                .containsExactly("first");
        assertThat(afterSecond)
                .extracting(ApiPipelineTest::json)
                .extracting(body -> body.path("word").asText())
                .containsExactly("second");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void closesAConnectionThatPipelinesMoreRequestsThanItMayHaveWaiting() {
        send("GET /v1/echo/each HTTP/1.1\r\nHost: gateway\r\n\r\n".repeat(10));

        assertThat(channel.isOpen()).isFalse();
        assertThat(workers.waiting()).as("only the first request started").isEqualTo(1);
    }

    @Test
    void answersAnOversizedBodyWithAProblemAndNeverCallsTheEndpoint() throws IOException {
        send("POST /v1/upload HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n"
                + "{\"a\":\"123456789\"}");

        FullHttpResponse answer = single(responses());
        boolean openWhileDraining = channel.isOpen();
        channel.advanceTimeBy(ApiHandler.OVERSIZE_DRAIN_SECONDS, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
        assertThat(answer.headers().get("Content-Type")).isEqualTo("application/problem+json");
        assertThat(answer.headers().get("Connection")).isEqualTo("close");
        assertThat(json(answer))
                .isEqualTo(
                        Json.MAPPER.readTree(
                                """
                {"type": "https://passerelle.example/problems/body_too_large", "title": "Body too large",
                 "status": 413, "code": "body_too_large", "instance": "/v1/upload",
                 "detail": "the request body is larger than 16 bytes (expected: at most 16 bytes;\
                 a referral is a few kilobytes)"}
                """));
        assertThat(handled).isEmpty();
        assertThat(workers.waiting()).isZero();
        assertThat(openWhileDraining)
                .as("the rest of the upload is read and discarded for a while")
                .isTrue();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void refusesAnOversizedBodyBeforeItIsSentWhenTheClientExpectsContinue() throws IOException {
        send("POST /v1/upload HTTP/1.1\r\nHost: gateway\r\nExpect: 100-continue\r\nContent-Length: 17\r\n\r\n");

        FullHttpResponse answer = single(responses());

        assertThat(answer.status()).isEqualTo(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
        assertThat(json(answer).path("code").asText()).isEqualTo("body_too_large");
        assertThat(handled).isEmpty();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void acceptsABodyOfExactlyTheLimit() throws IOException {
        send("POST /v1/upload HTTP/1.1\r\nHost: gateway\r\nContent-Length: 16\r\n\r\n{\"a\":\"12345678\"}");

        workers.runNext();

        assertThat(json(single(responses())).path("bytes").asInt()).isEqualTo(MAX_BODY);
    }

    @Test
    void closesAConnectionWhoseRequestTricklesInPastTheDeadline() {
        send("POST /v1/upload HTTP/1.1\r\nHost: gateway\r\nContent-Length: 4\r\n\r\n");
        channel.advanceTimeBy(6, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        send("a");
        channel.advanceTimeBy(3, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        send("b");
        boolean openWithinTheDeadline = channel.isOpen();

        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat(openWithinTheDeadline).isTrue();
        assertThat(channel.isOpen())
                .as("never idle, but the request took the whole deadline")
                .isFalse();
        assertThat(handled).isEmpty();
    }

    @Test
    void aCompleteRequestEndsItsDeadline() throws IOException {
        send("GET /v1/echo/first HTTP/1.1\r\nHost: gateway\r\n\r\n");
        workers.runNext();
        channel.advanceTimeBy(6, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        send("GET /v1/echo/second HTTP/1.1\r\nHost: gateway\r\n\r\n");
        workers.runNext();

        channel.advanceTimeBy(5, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat(responses()).hasSize(2);
        assertThat(channel.isOpen())
                .as("11 s after the first request's first byte, 5 s after the last read")
                .isTrue();
    }

    @Test
    void closesAConnectionIdleForTheIdleTimeout() throws IOException {
        send("GET /v1/echo/only HTTP/1.1\r\nHost: gateway\r\n\r\n");
        workers.runNext();
        assertThat(responses()).hasSize(1);
        channel.advanceTimeBy(IDLE.toSeconds() - 1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        boolean openBefore = channel.isOpen();

        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat(openBefore).isTrue();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void answersAnUnknownPathWithNotFoundAndAWrongMethodWithTheAllowedOnes() throws IOException {
        send("GET /v1/nowhere HTTP/1.1\r\nHost: gateway\r\n\r\n");
        FullHttpResponse notFound = single(responses());
        send("DELETE /v1/echo/word HTTP/1.1\r\nHost: gateway\r\n\r\n");
        FullHttpResponse notAllowed = single(responses());

        assertThat(notFound.status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(json(notFound).path("code").asText()).isEqualTo("not_found");
        assertThat(notAllowed.status()).isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
        assertThat(notAllowed.headers().get("Allow")).isEqualTo("GET");
        assertThat(json(notAllowed).path("detail").asText())
                .isEqualTo("DELETE is not allowed on this path (expected: GET)");
        assertThat(handled).isEmpty();
        assertThat(channel.isOpen())
                .as("a refused request keeps the connection")
                .isTrue();
    }

    @Test
    void refusesARequestWithoutAClientCertificate() throws IOException {
        channel.attr(PeerIdentity.FINGERPRINT).set(null);

        send("GET /v1/echo/word HTTP/1.1\r\nHost: gateway\r\n\r\n");

        FullHttpResponse answer = single(responses());
        assertThat(answer.status()).isEqualTo(HttpResponseStatus.UNAUTHORIZED);
        assertThat(json(answer).path("code").asText()).isEqualTo("certificate_missing");
        assertThat(handled).isEmpty();
    }

    private void send(String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.US_ASCII));
        channel.runPendingTasks();
    }

    /** The answers written since the last call, decoded as a client would. */
    private List<FullHttpResponse> responses() {
        channel.runPendingTasks();
        EmbeddedChannel client = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 16));
        for (ByteBuf written = channel.readOutbound(); written != null; written = channel.readOutbound()) {
            client.writeInbound(written);
        }
        List<FullHttpResponse> responses = new ArrayList<>();
        for (FullHttpResponse response = client.readInbound(); response != null; response = client.readInbound()) {
            responses.add(response);
        }
        client.finishAndReleaseAll();
        return responses;
    }

    private static FullHttpResponse single(List<FullHttpResponse> responses) {
        assertThat(responses).hasSize(1);
        return responses.get(0);
    }

    private static JsonNode json(FullHttpResponse response) {
        try {
            return Json.MAPPER.readTree(response.content().toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("the answer is not JSON", e);
        } finally {
            response.release();
        }
    }

    /** The worker pool, run by the test: a task runs when the test says, on the test's thread. */
    private final class ManualWorkers extends AbstractExecutorService {
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

        int waiting() {
            return tasks.size();
        }

        /** Runs the oldest task, then what it left for the event loop (its answer). */
        void runNext() {
            Runnable task = tasks.poll();
            assertThat(task).as("a request waiting for a worker").isNotNull();
            task.run();
            channel.runPendingTasks();
        }

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        @Override
        public void shutdown() {}

        @Override
        public List<Runnable> shutdownNow() {
            return List.copyOf(tasks);
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return false;
        }
    }
}
