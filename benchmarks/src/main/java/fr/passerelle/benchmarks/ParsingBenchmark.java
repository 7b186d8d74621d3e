package fr.passerelle.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.adapters.canonical.CanonicalJsonAdapter;
import fr.passerelle.core.referral.Referral;
import fr.passerelle.core.referral.ReferralValidator;
import java.io.IOException;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the gateway does to each submission before routing it: {@link CanonicalJsonAdapter#read} parses the body
 * of {@code config/samples/shelter.request.json}, and {@link ReferralValidator#validate} checks the parsed
 * document against its type's schema and rules (the validator and the document are made once, at set-up).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ParsingBenchmark {
    private static final String MEDIA_TYPE = "application/json";

    private CanonicalJsonAdapter adapter;
    private ReferralValidator validator;
    private byte[] body;
    private ObjectNode document;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        adapter = new CanonicalJsonAdapter();
        validator = ReferralValidator.fromClasspath();
        body = Samples.read("shelter.request.json");
        document = adapter.read(body, MEDIA_TYPE);
    }

    @Benchmark
    public ObjectNode read() {
        return adapter.read(body, MEDIA_TYPE);
    }

    @Benchmark
    public Referral validate() {
        return validator.validate(document);
    }
}
