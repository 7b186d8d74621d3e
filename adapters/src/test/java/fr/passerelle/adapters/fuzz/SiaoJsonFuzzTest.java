package fr.passerelle.adapters.fuzz;

import static fr.passerelle.core.testkit.FuzzContract.readOrRefuseAsClientError;

import com.code_intelligence.jazzer.junit.FuzzTest;
import fr.passerelle.adapters.siao.SiaoJsonAdapter;
import fr.passerelle.core.testkit.FuzzContract;

/** The SIAO's JSON: its referrals (demande, signalementDifficulte) and its placement answers. */
class SiaoJsonFuzzTest {
    private static final SiaoJsonAdapter ADAPTER = new SiaoJsonAdapter();

    @FuzzTest(maxDuration = FuzzContract.ROUND)
    void submission(byte[] body) {
        readOrRefuseAsClientError(() -> ADAPTER.read(body, SiaoJsonAdapter.MEDIA_TYPE));
    }

    @FuzzTest(maxDuration = FuzzContract.ROUND)
    void answer(byte[] body) {
        readOrRefuseAsClientError(() -> ADAPTER.readReceipt(body, SiaoJsonAdapter.ANSWER_MEDIA_TYPE));
    }
}
