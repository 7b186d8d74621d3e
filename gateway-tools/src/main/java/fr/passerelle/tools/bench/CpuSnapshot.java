package fr.passerelle.tools.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * CPU time used so far, in nanoseconds, by each party of a run: the gateway's process, the embedded PostgreSQL's,
 * this process (the load generator and the pulling recipients, apart from a gateway in another process), and the
 * whole machine. Two snapshots around a phase give what each spent in it.
 *
 * @param gateway  the gateway's JVM, when it is a process the bench can see
 * @param postgres the embedded PostgreSQL's processes, when the bench started them
 * @param load     this JVM
 * @param machine  every core of the machine, busy (user, nice, system, irq, softirq), whoever used it: PostgreSQL,
 *                 the kernel, other programs; Linux only
 */
record CpuSnapshot(OptionalLong gateway, OptionalLong postgres, long load, OptionalLong machine) {
    /** Linux's {@code USER_HZ}: /proc/stat counts in hundredths of a second on every architecture it supports. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    static CpuSnapshot take(Optional<ProcessHandle> gateway, Optional<GatewayProcess> child) {
        return new CpuSnapshot(
                gateway.map(GatewayProcess::cpu)
                        .map(d -> OptionalLong.of(d.toNanos()))
                        .orElse(OptionalLong.empty()),
                child.flatMap(GatewayProcess::postgresCpu)
                        .map(d -> OptionalLong.of(d.toNanos()))
                        .orElse(OptionalLong.empty()),
                thisJvm(),
                machineBusy());
    }

    private static long thisJvm() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : ProcessHandle.current()
                        .info()
                        .totalCpuDuration()
                        .map(Duration::toNanos)
                        .orElse(0L);
    }

    private static OptionalLong machineBusy() {
        try {
            String[] fields =
                    Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            if (!fields[0].equals("cpu") || fields.length < 8) {
                return OptionalLong.empty();
            }
            long ticks = 0;
            for (int i : new int[] {1, 2, 3, 6, 7}) {
                ticks += Long.parseLong(fields[i]);
            }
            return OptionalLong.of(ticks * NANOS_PER_TICK);
        } catch (IOException | RuntimeException e) {
            // Not Linux: the machine's figure is left out.
            return OptionalLong.empty();
        }
    }

    /** Milliseconds per referral spent by each party between {@code before} and this snapshot. */
    PerReferral since(CpuSnapshot before, long referrals) {
        double n = Math.max(1, referrals);
        return new PerReferral(
                delta(gateway, before.gateway, n),
                delta(postgres, before.postgres, n),
                (load - before.load) / 1e6 / n,
                delta(machine, before.machine, n));
    }

    private static Optional<Double> delta(OptionalLong after, OptionalLong before, double n) {
        return after.isPresent() && before.isPresent()
                ? Optional.of((after.getAsLong() - before.getAsLong()) / 1e6 / n)
                : Optional.empty();
    }

    /** Milliseconds of CPU per referral. */
    record PerReferral(Optional<Double> gateway, Optional<Double> postgres, double load, Optional<Double> machine) {}
}
