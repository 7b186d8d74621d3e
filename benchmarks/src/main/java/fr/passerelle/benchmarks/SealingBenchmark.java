package fr.passerelle.benchmarks;

import fr.passerelle.core.crypto.CmsSealer;
import fr.passerelle.core.crypto.EnvelopeFormat;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the gateway does to each referral it delivers: {@link CmsSealer#seal} signs it with the gateway's key
 * (ECDSA P-256) and encrypts it to the partner's EC P-256 key (ECDH, AES-256-GCM); {@link CmsSealer#sign} is the
 * signature alone, as for a signed receipt. The content is the {@code shelter.request} sample.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class SealingBenchmark {
    private BenchmarkPki pki;
    private CmsSealer sealer;
    private X509Certificate recipient;
    private byte[] content;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        pki = BenchmarkPki.generate();
        sealer = new CmsSealer(pki.gatewaySigner(), Clock.systemUTC());
        recipient = pki.partner().certificate();
        content = Samples.read("shelter.request.json");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        pki.delete();
    }

    @Benchmark
    public byte[] seal() {
        return sealer.seal(content, recipient, EnvelopeFormat.AES_256_GCM);
    }

    @Benchmark
    public byte[] sign() {
        return sealer.sign(content);
    }
}
