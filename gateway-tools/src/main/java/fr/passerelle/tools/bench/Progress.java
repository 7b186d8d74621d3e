package fr.passerelle.tools.bench;

import java.io.PrintStream;
import java.util.Locale;

/** A progress line a second while load runs. */
final class Progress {
    private final Thread thread;

    Progress(String phase, LoadGenerator load, Pullers pullers, PrintStream out) {
        thread = new Thread(
                () -> {
                    long lastDone = load.done.get();
                    long lastPulled = pullers.pulled.get();
                    long lastLatency = load.latencyNanos.get();
                    int second = 0;
                    while (!Thread.currentThread().isInterrupted()) {
                        try {
                            Thread.sleep(1000);
                        } catch (InterruptedException e) {
                            return;
                        }
                        second++;
                        long doneNow = load.done.get();
                        long pulledNow = pullers.pulled.get();
                        long latencyNow = load.latencyNanos.get();
                        long n = doneNow - lastDone;
                        out.printf(
                                Locale.ROOT,
                                "  [%s] %3d s  accepted %6d/s  mean %6.1f ms  pulled %6d/s  errors %d%n",
                                phase,
                                second,
                                n,
                                n == 0 ? 0 : (latencyNow - lastLatency) / 1e6 / n,
                                pulledNow - lastPulled,
                                load.errors.get());
                        lastDone = doneNow;
                        lastPulled = pulledNow;
                        lastLatency = latencyNow;
                    }
                },
                "bench-progress");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        thread.interrupt();
    }
}
