package fr.passerelle.benchmarks;

import fr.passerelle.core.crypto.CertifiedKey;
import fr.passerelle.core.crypto.CmsOpener;
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
 * What a partner does with each envelope the gateway sends: {@link CmsOpener#open} decrypts it with the partner's
 * EC P-256 key (ECDH, AES-256-GCM) and verifies the gateway's signature inside against the pinned certificate.
 * The envelope, sealed once at set-up, holds the {@code shelter.request} sample.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class OpeningBenchmark {
    private BenchmarkPki pki;
    private CertifiedKey recipient;
    private X509Certificate trustedSigner;
    private byte[] envelope;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        pki = BenchmarkPki.generate();
        recipient = pki.partner();
        trustedSigner = pki.gatewaySigner().certificate();
        envelope = new CmsSealer(pki.gatewaySigner(), Clock.systemUTC())
                .seal(Samples.read("shelter.request.json"), recipient.certificate(), EnvelopeFormat.AES_256_GCM);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        pki.delete();
    }

    @Benchmark
    public CmsOpener.Opened open() {
        return CmsOpener.open(envelope, recipient, trustedSigner);
    }
}
