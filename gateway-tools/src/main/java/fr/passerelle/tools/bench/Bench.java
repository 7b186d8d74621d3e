package fr.passerelle.tools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.ConfigLoader;
import fr.passerelle.core.config.model.Deployment;
import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.crypto.CmsSealer;
import fr.passerelle.core.crypto.EnvelopeFormat;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.keys.PayloadCipher;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.referral.Department;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.referral.ReferralType;
import fr.passerelle.core.referral.Urgency;
import fr.passerelle.core.store.JdbcReferralStore;
import fr.passerelle.core.store.NewDelivery;
import fr.passerelle.core.store.NewReferral;
import fr.passerelle.devkit.DevelopmentDeployment;
import fr.passerelle.devkit.PartnerClient;
import fr.passerelle.server.Gateway;
import fr.passerelle.server.http.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Measures the whole path and, in the same run on the same machine, the ceilings that bound it: the database
 * (the same rows, same transaction, straight to the store), the cryptography (sealing for the same recipients on
 * every core) and the transport (a no-op endpoint behind the same mutual-TLS Netty pipeline). Prints the
 * gateway's throughput as a ratio of the smallest ceiling: figures drift on a shared machine, ratios much less.
 * The load generator, the pulling partners and the gateway share the JVM and its cores, in every phase alike.
 */
public final class Bench {
    /** Sender and sample for a referral with 1, 2 or 3 recipients in the shipped deployment. */
    private static final Map<Integer, String[]> SHAPES = Map.of(
            1, new String[] {"police-75-brp", "victim.orientation"},
            2, new String[] {"association-974-kaz-lespwa", "exploitation.report"},
            3, new String[] {"association-75-amarante", "difficulty.report"});

    /**
     * What to run.
     *
     * @param warmup seconds of load before anything is measured, so that the gateway is measured with its code
     *               compiled, as the ceilings (which run after it, on the same code) are
     */
    public record Options(
            int seconds, int warmup, int concurrency, int recipients, Optional<Path> out, Map<String, String> env) {
        public Options {
            if (seconds < 1 || seconds > 3600) {
                throw new GatewayException(ErrorCode.REQUEST_INVALID, "--seconds " + seconds + " (expected: 1-3600)");
            }
            if (warmup < 0 || warmup > 3600) {
                throw new GatewayException(ErrorCode.REQUEST_INVALID, "--warmup " + warmup + " (expected: 0-3600)");
            }
            if (concurrency < 1 || concurrency > 256) {
                throw new GatewayException(
                        ErrorCode.REQUEST_INVALID, "--concurrency " + concurrency + " (expected: 1-256)");
            }
            if (!SHAPES.containsKey(recipients)) {
                throw new GatewayException(
                        ErrorCode.REQUEST_INVALID,
                        "--recipients " + recipients
                                + " (expected: 1, 2 or 3: the example deployment routes victim.orientation to one partner,"
                                + " exploitation.report in 974 to two, difficulty.report to three)");
            }
            env = Map.copyOf(env);
        }

        /** With the default warm-up: half the measured phase. */
        public Options(int seconds, int concurrency, int recipients, Optional<Path> out, Map<String, String> env) {
            this(seconds, defaultWarmup(seconds), concurrency, recipients, out, env);
        }

        /** Half the measured phase: in a run of 20 s, C2 compiles the hot path within about 10 s on two cores. */
        public static int defaultWarmup(int seconds) {
            return Math.max(1, seconds / 2);
        }
    }

    private final Options options;
    private final PrintStream out;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final AtomicLong heapPeak = new AtomicLong();

    private Bench(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** Runs the benchmark; returns the results as the JSON that {@code --out} writes. */
    public static ObjectNode run(Options options, PrintStream out) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory("passerelle-bench-");
        try {
            return new Bench(options, out).measure(work);
        } finally {
            try (Stream<Path> paths = Files.walk(work)) {
                paths.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    private ObjectNode measure(Path work) throws IOException, InterruptedException {
        // The bench measures the gateway, not its quotas: they are raised to their ceilings.
        DevelopmentDeployment.Workspace workspace =
                DevelopmentDeployment.prepare(work, options.env(), Bench::withoutQuotas);
        Path config = workspace.config();
        Path pki = workspace.pki();
        Path masterKeys =
                ConfigLoader.settings(workspace.gatewayYaml(), workspace.env()).masterKeys();
        String sender = SHAPES.get(options.recipients())[0];
        String type = SHAPES.get(options.recipients())[1];
        byte[] sample = Files.readAllBytes(config.resolve("samples").resolve(type + ".json"));
        ObjectNode result = Json.MAPPER.createObjectNode();
        Thread sampler = heapSampler();
        try (Gateway gateway = Gateway.start(workspace.gatewayYaml(), workspace.env())) {
            java.net.URI base = java.net.URI.create("https://localhost:" + gateway.port());
            Deployment deployment = gateway.deployment();
            List<String> recipients = recipientsOf(deployment, sender, type, sample);
            out.printf(
                    Locale.ROOT,
                    "Passerelle bench: %s from %s to %d recipient(s), %d clients, %d s after %d s"
                            + " of warm-up; %s%n",
                    type,
                    sender,
                    recipients.size(),
                    options.concurrency(),
                    options.seconds(),
                    options.warmup(),
                    gateway.database().description());
            LoadGenerator load = new LoadGenerator(
                    () -> PartnerClient.forPartner(sender, pki, base),
                    "/v1/referrals",
                    sample,
                    "application/json",
                    202);
            Pullers pullers = new Pullers(recipients, pki, base);
            pullers.start();
            if (options.warmup() > 0) {
                Progress warmup = new Progress("warm-up", load, pullers);
                load.run(options.concurrency(), options.warmup(), 0);
                warmup.stop();
            }
            pullers.measureFrom(Instant.now());

            long cpuBefore = processCpuNanos();
            Progress progress = new Progress("max load", load, pullers);
            LoadGenerator.Run max = load.run(options.concurrency(), options.seconds(), 0);
            long cpuAfter = processCpuNanos();
            progress.stop();
            pullers.awaitDelivered(max.requests(), 10);
            double deliveredPerSecond = pullers.fullyDelivered() / Math.max(pullers.lastDeliverySeconds(), 1e-9);

            Progress halfProgress = new Progress("half load", load, pullers);
            LoadGenerator.Run half =
                    load.run(options.concurrency(), Math.max(1, options.seconds() / 2.0), max.perSecond() / 2);
            halfProgress.stop();
            pullers.stop();

            double ceilingSeconds = Math.max(1, options.seconds() / 3.0);
            out.println("  ceilings: database, crypto, transport (" + String.format(Locale.ROOT, "%.0f", ceilingSeconds)
                    + " s each) ...");
            double database = databaseCeiling(gateway, masterKeys, recipients, ceilingSeconds);
            double crypto = cryptoCeiling(pki, deployment, recipients, sample, ceilingSeconds);
            double transport =
                    TransportCeiling.measure(deployment, pki, sender, sample, options.concurrency(), ceilingSeconds);

            double smallest = Math.min(database, Math.min(crypto, transport));
            result.put("accepted_per_s", round(max.perSecond()));
            result.put("delivered_per_s", round(deliveredPerSecond));
            latency(result.putObject("submit_latency_ms"), max.latency());
            latency(result.putObject("delivery_latency_ms"), pullers.latency());
            ObjectNode halfNode = result.putObject("half_load");
            halfNode.put("rate_per_s", round(half.perSecond()));
            latency(halfNode.putObject("submit_latency_ms"), half.latency());
            ObjectNode ceilings = result.putObject("ceilings");
            ceilings.put("database_per_s", round(database));
            ceilings.put("crypto_per_s", round(crypto));
            ceilings.put("transport_per_s", round(transport));
            // Each ceiling has the machine to itself; the gateway does all three for every referral on the same
            // cores, so while they are bound by CPU it cannot pass the rate at which their costs add up.
            double combined = 1 / (1 / database + 1 / crypto + 1 / transport);
            ceilings.put("combined_per_s", round(combined));
            result.put("ratio", round2(max.perSecond() / smallest));
            result.put("ratio_to_combined", round2(max.perSecond() / combined));
            result.put("errors", max.errors() + half.errors());
            result.put("cpu_ms_per_referral", round((cpuAfter - cpuBefore) / 1e6 / Math.max(1, max.requests())));
            result.put("heap_peak_mb", round(heapPeak.get() / 1048576.0));
            ObjectNode machine = result.putObject("machine");
            machine.put("cores", Runtime.getRuntime().availableProcessors());
            machine.put("java", System.getProperty("java.version"));
            machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
            machine.put("max_heap_mb", Runtime.getRuntime().maxMemory() / 1048576);
            ObjectNode settings = result.putObject("settings");
            settings.put("seconds", options.seconds());
            settings.put("warmup_seconds", options.warmup());
            settings.put("concurrency", options.concurrency());
            settings.put("recipients", recipients.size());
            settings.put("type", type);
        } finally {
            sampler.interrupt();
        }
        print(result);
        if (options.out().isPresent()) {
            Files.write(
                    options.out().get(),
                    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(result));
            out.println("Results written to " + options.out().get());
        }
        return result;
    }

    private static List<String> recipientsOf(Deployment deployment, String sender, String type, byte[] sample)
            throws IOException {
        Department department =
                Department.of(Json.MAPPER.readTree(sample).path("department").asText());
        List<String> recipients = new ArrayList<>();
        new fr.passerelle.core.routing.Router(deployment, Clock.systemUTC())
                .plan(PartnerId.of(sender), ReferralType.fromCode(type), department)
                .destinations()
                .forEach(d -> recipients.add(d.recipient().id().value()));
        return recipients;
    }

    /** The store alone: the same referral row, deliveries and audit entries, one transaction each. */
    private double databaseCeiling(Gateway gateway, Path masterKeys, List<String> recipients, double seconds)
            throws InterruptedException {
        JdbcReferralStore store = new JdbcReferralStore(
                gateway.database().dataSource(), Clock.systemUTC(), new PayloadCipher(masterKeys));
        byte[] document = new byte[1500];
        byte[] payload = new byte[3000];
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < options.concurrency(); i++) {
            Thread t = new Thread(
                    () -> {
                        while (System.nanoTime() < end) {
                            List<NewDelivery> deliveries = recipients.stream()
                                    .map(r -> new NewDelivery(
                                            PartnerId.of(r), List.of("bench"), "application/pkcs7-mime", payload))
                                    .toList();
                            store.submit(new NewReferral(
                                    ReferralId.random(),
                                    PartnerId.of("police-75-brp"),
                                    ReferralType.VICTIM_ORIENTATION,
                                    Department.of("75"),
                                    Urgency.ROUTINE,
                                    Optional.empty(),
                                    new byte[32],
                                    document,
                                    "application/json",
                                    deliveries));
                            done.incrementAndGet();
                        }
                    },
                    "bench-db-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    /** Sealing alone: one signed receipt and one sealed envelope per recipient, per referral, on every core. */
    private static double cryptoCeiling(
            Path pki, Deployment deployment, List<String> recipients, byte[] content, double seconds)
            throws InterruptedException {
        CertifiedKey signer =
                PemFiles.readCertifiedKey(pki.resolve("gateway-signing.pem"), pki.resolve("gateway-signing-key.pem"));
        CmsSealer sealer = new CmsSealer(signer, Clock.systemUTC());
        List<X509Certificate> certificates = recipients.stream()
                .map(r -> deployment
                        .partner(PartnerId.of(r))
                        .flatMap(Partner::certificate)
                        .orElseThrow())
                .toList();
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            Thread t = new Thread(
                    () -> {
                        while (System.nanoTime() < end) {
                            for (X509Certificate certificate : certificates) {
                                sealer.seal(content, certificate, EnvelopeFormat.AES_256_GCM);
                            }
                            sealer.sign(content);
                            done.incrementAndGet();
                        }
                    },
                    "bench-crypto-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    /** The recipients, pulling their inboxes as fast as items come, timing each item from its submission. */
    private static final class Pullers {
        /**
         * How long a recipient waits after an empty page, as a partner's system polling its inbox would. A tighter
         * loop measures the bench's own polling more than the gateway: at 10 ms, three idle pollers cost more CPU
         * than the submissions.
         */
        static final long POLL_INTERVAL_MS = 100;

        private final List<PartnerClient> clients = new ArrayList<>();
        private final int recipients;
        private final Map<String, AtomicInteger> copies = new ConcurrentHashMap<>();
        private final AtomicLong fullyDelivered = new AtomicLong();
        private final AtomicLong lastDelivery = new AtomicLong(System.nanoTime());
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final List<Latencies> latencies = new ArrayList<>();
        private final List<Thread> threads = new ArrayList<>();
        /** Items submitted before this instant (the warm-up's) are pulled but not counted. */
        private volatile Instant measuredFrom = Instant.MAX;

        private volatile long started = System.nanoTime();

        Pullers(List<String> recipients, Path pki, java.net.URI base) {
            this.recipients = recipients.size();
            recipients.forEach(r -> clients.add(PartnerClient.forPartner(r, pki, base)));
        }

        void start() {
            for (PartnerClient client : clients) {
                Latencies mine = new Latencies();
                latencies.add(mine);
                Thread t = new Thread(() -> pull(client, mine), "bench-pull-" + client.name());
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }

        private void pull(PartnerClient client, Latencies mine) {
            String after = "0";
            while (!stopped.get()) {
                try {
                    PartnerClient.Reply reply = client.get("/v1/inbox?limit=100&after=" + after);
                    JsonNode page = Json.MAPPER.readTree(reply.body());
                    Instant now = Instant.now();
                    for (JsonNode item : page.path("items")) {
                        Instant submitted =
                                Instant.parse(item.path("submittedAt").asText());
                        if (submitted.isBefore(measuredFrom)) {
                            continue;
                        }
                        mine.add(Math.max(
                                0, java.time.Duration.between(submitted, now).toNanos()));
                        int seen = copies.computeIfAbsent(
                                        item.path("referralId").asText(), k -> new AtomicInteger())
                                .incrementAndGet();
                        if (seen == recipients) {
                            fullyDelivered.incrementAndGet();
                            lastDelivery.set(System.nanoTime());
                        }
                    }
                    if (page.path("items").isEmpty()) {
                        Thread.sleep(POLL_INTERVAL_MS);
                    } else {
                        after = page.path("next").asText();
                    }
                } catch (IOException | RuntimeException e) {
                    // A failed pull is retried: the inbox loses nothing.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        /** Counts the items submitted from {@code from} on, and times the delivery rate from now. */
        void measureFrom(Instant from) {
            started = System.nanoTime();
            lastDelivery.set(started);
            measuredFrom = from;
        }

        long fullyDelivered() {
            return fullyDelivered.get();
        }

        /** From the start of the load to the last referral that reached all its recipients. */
        double lastDeliverySeconds() {
            return (lastDelivery.get() - started) / 1e9;
        }

        void awaitDelivered(long expected, int maxSeconds) throws InterruptedException {
            long deadline = System.nanoTime() + maxSeconds * 1_000_000_000L;
            while (fullyDelivered.get() < expected && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }

        Latencies.Summary latency() {
            return Latencies.summarise(latencies);
        }

        void stop() throws InterruptedException {
            stopped.set(true);
            for (Thread t : threads) {
                t.join(5000);
            }
        }
    }

    /** A progress line a second while load runs. */
    private final class Progress {
        private final Thread thread;

        Progress(String phase, LoadGenerator load, Pullers pullers) {
            thread = new Thread(
                    () -> {
                        long lastDone = load.done.get();
                        long lastDelivered = pullers.fullyDelivered();
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
                            long deliveredNow = pullers.fullyDelivered();
                            long latencyNow = load.latencyNanos.get();
                            long n = doneNow - lastDone;
                            out.printf(
                                    Locale.ROOT,
                                    "  [%s] %3d s  accepted %6d/s  mean %6.1f ms  delivered %6d/s  errors %d"
                                            + "  heap %d MB%n",
                                    phase,
                                    second,
                                    n,
                                    n == 0 ? 0 : (latencyNow - lastLatency) / 1e6 / n,
                                    deliveredNow - lastDelivered,
                                    load.errors.get(),
                                    heapPeak.get() / 1048576);
                            lastDone = doneNow;
                            lastDelivered = deliveredNow;
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

    private Thread heapSampler() {
        Thread t = new Thread(
                () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        heapPeak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "bench-heap");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private static void latency(ObjectNode node, Latencies.Summary summary) {
        node.put("p50", round(summary.p50()));
        node.put("p90", round(summary.p90()));
        node.put("p99", round(summary.p99()));
        node.put("max", round(summary.max()));
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    /** Two decimals: a ratio rounded to one would turn 0.25 into 0.3. */
    private static double round2(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private void print(ObjectNode r) {
        JsonNode s = r.path("submit_latency_ms");
        JsonNode d = r.path("delivery_latency_ms");
        JsonNode h = r.path("half_load");
        JsonNode c = r.path("ceilings");
        out.println();
        out.printf(
                Locale.ROOT,
                "  %-34s %10.1f /s%n",
                "accepted (max load)",
                r.path("accepted_per_s").asDouble());
        out.printf(
                Locale.ROOT,
                "  %-34s %10.1f /s%n",
                "delivered to all recipients",
                r.path("delivered_per_s").asDouble());
        out.printf(
                Locale.ROOT,
                "  %-34s p50 %6.1f  p90 %6.1f  p99 %6.1f  max %7.1f ms%n",
                "submission latency",
                s.path("p50").asDouble(),
                s.path("p90").asDouble(),
                s.path("p99").asDouble(),
                s.path("max").asDouble());
        out.printf(
                Locale.ROOT,
                "  %-34s p50 %6.1f  p90 %6.1f  p99 %6.1f  max %7.1f ms%n",
                "submission to delivery",
                d.path("p50").asDouble(),
                d.path("p90").asDouble(),
                d.path("p99").asDouble(),
                d.path("max").asDouble());
        out.printf(
                Locale.ROOT,
                "  %-34s p50 %6.1f  p90 %6.1f  p99 %6.1f  max %7.1f ms%n",
                String.format(
                        Locale.ROOT,
                        "at half load (%.0f/s)",
                        h.path("rate_per_s").asDouble()),
                h.path("submit_latency_ms").path("p50").asDouble(),
                h.path("submit_latency_ms").path("p90").asDouble(),
                h.path("submit_latency_ms").path("p99").asDouble(),
                h.path("submit_latency_ms").path("max").asDouble());
        out.printf(
                Locale.ROOT,
                "  %-34s %10.1f /s%n",
                "ceiling: database",
                c.path("database_per_s").asDouble());
        out.printf(
                Locale.ROOT,
                "  %-34s %10.1f /s%n",
                "ceiling: crypto (all cores)",
                c.path("crypto_per_s").asDouble());
        out.printf(
                Locale.ROOT,
                "  %-34s %10.1f /s%n",
                "ceiling: transport (no-op, mTLS)",
                c.path("transport_per_s").asDouble());
        out.printf(
                Locale.ROOT,
                "  %-34s %10.1f /s  (the three costs added: 1 / (1/db + 1/crypto + 1/transport))%n",
                "ceilings combined",
                c.path("combined_per_s").asDouble());
        out.printf(
                Locale.ROOT,
                "  %-34s %10.2f  (accepted / smallest ceiling)%n",
                "ratio",
                r.path("ratio").asDouble());
        out.printf(
                Locale.ROOT,
                "  %-34s %10.2f  (accepted / ceilings combined)%n",
                "ratio to the combined ceiling",
                r.path("ratio_to_combined").asDouble());
        out.printf(
                Locale.ROOT,
                "  %-34s %10.1f ms CPU per referral, heap peak %.0f MB, errors %d%n",
                "cost",
                r.path("cpu_ms_per_referral").asDouble(),
                r.path("heap_peak_mb").asDouble(),
                r.path("errors").asLong());
    }

    /** Raises gateway.yaml's per-partner quotas to their ceilings. */
    private static void withoutQuotas(Path config) {
        Path file = config.resolve("gateway.yaml");
        try {
            String yaml = java.nio.file.Files.readString(file)
                    .replaceAll("(?m)^(  submissions_per_second:) .*$", "$1 100000")
                    .replaceAll("(?m)^(  submission_burst:) .*$", "$1 1000000")
                    .replaceAll("(?m)^(  requests_per_second:) .*$", "$1 100000")
                    .replaceAll("(?m)^(  request_burst:) .*$", "$1 1000000")
                    .replaceAll("(?m)^(  submissions_per_day:) .*$", "$1 100000000")
                    // Every load client connects from this host: the per-address cap would measure itself.
                    .replaceAll("(?m)^(  max_connections_per_address:) .*$", "$1 2048");
            java.nio.file.Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
