package fr.passerelle.server.management;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/** What a management path answers: a status, a text media type and a short body. */
record Answer(HttpResponseStatus status, String mediaType, String body) {
    static final String TEXT = "text/plain; charset=utf-8";
    /** The Prometheus text exposition format. */
    static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

    Answer {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(body, "body");
    }

    /** 200 {@code ok} when nothing failed, else 503 {@code not <what>: } and the failing checks, in a word each. */
    static Answer of(String what, List<String> failing) {
        return failing.isEmpty()
                ? new Answer(HttpResponseStatus.OK, TEXT, "ok\n")
                : new Answer(
                        HttpResponseStatus.SERVICE_UNAVAILABLE,
                        TEXT,
                        "not " + what + ": " + String.join(", ", failing) + "\n");
    }

    static Answer text(HttpResponseStatus status, String body) {
        return new Answer(status, TEXT, body + "\n");
    }

    byte[] bytes() {
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
