package fr.passerelle.server.management;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LivenessTest {
    @Test
    void isLiveWhileItsEventLoopsRunATaskAndNotWhenOneIsStuck() throws Exception {
        EventLoop free = new DefaultEventLoop();
        EventLoop stuck = new DefaultEventLoop();
        CountDownLatch release = new CountDownLatch(1);
        try {
            stuck.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });

            Answer live = new Liveness(List.of(free), Duration.ofMillis(200)).answer();
            Answer notLive = new Liveness(List.of(free, stuck), Duration.ofMillis(200)).answer();

            assertThat(live.body()).isEqualTo("ok\n");
            assertThat(notLive.status()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
            assertThat(notLive.body()).isEqualTo("not live: event-loops\n");
        } finally {
            release.countDown();
            free.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            stuck.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
