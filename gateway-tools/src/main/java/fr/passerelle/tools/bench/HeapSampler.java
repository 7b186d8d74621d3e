package fr.passerelle.tools.bench;

import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;

/** The peak heap of this JVM (the load's), sampled every 100 ms. */
final class HeapSampler {
    private final AtomicLong peak = new AtomicLong();
    private final Thread thread;

    HeapSampler() {
        thread = new Thread(
                () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        peak.accumulateAndGet(
                                ManagementFactory.getMemoryMXBean()
                                        .getHeapMemoryUsage()
                                        .getUsed(),
                                Math::max);
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "bench-heap");
        thread.setDaemon(true);
        thread.start();
    }

    long peak() {
        return peak.get();
    }

    void stop() {
        thread.interrupt();
    }
}
