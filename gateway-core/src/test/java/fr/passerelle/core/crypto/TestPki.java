package fr.passerelle.core.crypto;

import fr.passerelle.core.partner.PartnerId;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** A development PKI with one partner, for tests that need real certificates and keys. */
final class TestPki {
    static final PartnerId POLICE = PartnerId.of("police-75-brp");

    private TestPki() {}

    static PkiResult create(Path dir) {
        return DevelopmentPki.init(dir, List.of(POLICE), List.of(), Clock.systemUTC(), false);
    }
}
