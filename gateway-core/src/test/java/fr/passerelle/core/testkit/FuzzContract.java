package fr.passerelle.core.testkit;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;

/**
 * What a fuzz target holds of a reader: any bytes are either read or refused as the client's fault. Everything
 * else that escapes (a RuntimeException, a StackOverflowError, a server-origin code) is a finding.
 */
public final class FuzzContract {
    /**
     * How long one {@code JAZZER_FUZZ=1} run of a target lasts. Jazzer 0.24 takes it from the annotation alone (no
     * property overrides it), so scripts/fuzz spends a target's share of its minutes in rounds of this length; each
     * round resumes from the corpus the previous ones left in {@code .cifuzz-corpus/}.
     */
    public static final String ROUND = "30s";

    private FuzzContract() {}

    /** Runs {@code read}, letting through only a {@link GatewayException} whose code is the client's fault. */
    public static void readOrRefuseAsClientError(Runnable read) {
        try {
            read.run();
        } catch (GatewayException e) {
            if (e.code().origin() != ErrorCode.Origin.CLIENT) {
                throw new AssertionError("bad input must be the client's fault, got server code " + e.code(), e);
            }
        }
    }
}
