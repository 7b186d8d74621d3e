package fr.passerelle.adapters.fuzz;

import static fr.passerelle.core.testkit.FuzzContract.readOrRefuseAsClientError;

import com.code_intelligence.jazzer.junit.FuzzTest;
import fr.passerelle.adapters.canonical.CanonicalJsonAdapter;
import fr.passerelle.core.referral.ReferralValidator;
import fr.passerelle.core.testkit.FuzzContract;
import java.nio.file.Path;

/** A canonical JSON submission, read then validated against config/schemas, as the gateway does. */
class CanonicalJsonFuzzTest {
    private static final CanonicalJsonAdapter ADAPTER = new CanonicalJsonAdapter();
    private static final ReferralValidator VALIDATOR =
            ReferralValidator.fromDirectory(Path.of("..", "config", "schemas"));

    @FuzzTest(maxDuration = FuzzContract.ROUND)
    void readAndValidate(byte[] body) {
        readOrRefuseAsClientError(() -> VALIDATOR.validate(ADAPTER.read(body, "application/json")));
    }
}
