package fr.passerelle.adapters.fuzz;

import static fr.passerelle.core.testkit.FuzzContract.readOrRefuseAsClientError;

import com.code_intelligence.jazzer.junit.FuzzTest;
import fr.passerelle.adapters.police.PoliceXmlAdapter;
import fr.passerelle.adapters.prefecture.PrefectureXmlAdapter;
import fr.passerelle.adapters.xml.XmlAdapter;
import fr.passerelle.core.testkit.FuzzContract;

/** Each XML partner format, read from arbitrary bytes under its own media type. */
class XmlAdaptersFuzzTest {
    private static final XmlAdapter POLICE = new PoliceXmlAdapter();
    private static final XmlAdapter PREFECTURE = new PrefectureXmlAdapter();

    @FuzzTest(maxDuration = FuzzContract.ROUND)
    void policeXml(byte[] body) {
        readOrRefuseAsClientError(() -> POLICE.read(body, POLICE.mediaType()));
    }

    @FuzzTest(maxDuration = FuzzContract.ROUND)
    void prefectureXml(byte[] body) {
        readOrRefuseAsClientError(() -> PREFECTURE.read(body, PREFECTURE.mediaType()));
    }
}
