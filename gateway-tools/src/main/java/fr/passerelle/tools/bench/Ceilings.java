package fr.passerelle.tools.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * What bounds the gateway, each measured with the gateway's own code stripped to one part, on the gateway's
 * database and this machine: the database through the store's code and as plain JDBC, the cryptography, the
 * transport.
 */
final class Ceilings {
    private final DataSource dataSource;
    private final Path masterKeys;
    private final Deployment deployment;
    private final Path pki;

    Ceilings(DataSource dataSource, Path masterKeys, Deployment deployment, Path pki) {
        this.dataSource = dataSource;
        this.masterKeys = masterKeys;
        this.deployment = deployment;
        this.pki = pki;
    }

    /** Measures each for {@code seconds}, one after the other, into {@code node}. */
    void measure(
            ObjectNode node, List<String> recipients, String sender, byte[] sample, int concurrency, double seconds)
            throws InterruptedException {
        double store = throughTheStore(recipients, concurrency, seconds);
        double physical = PhysicalDatabaseCeiling.measure(dataSource, seconds);
        double crypto = crypto(recipients, sample, seconds);
        double transport = TransportCeiling.measure(deployment, pki, sender, sample, concurrency, seconds);
        node.put("database_store_per_s", Report.round(store));
        node.put("database_physical_per_s", Report.round(physical));
        node.put("crypto_per_s", Report.round(crypto));
        node.put("transport_per_s", Report.round(transport));
        // Each ceiling has the machine to itself; the gateway does all three for every referral on the same
        // cores, so while they are bound by CPU it cannot pass the rate at which their costs add up.
        node.put("combined_per_s", Report.round(1 / (1 / store + 1 / crypto + 1 / transport)));
    }

    /** The store alone: the same referral row, deliveries and audit entries, one transaction each. */
    private double throughTheStore(List<String> recipients, int concurrency, double seconds)
            throws InterruptedException {
        JdbcReferralStore store = new JdbcReferralStore(dataSource, Clock.systemUTC(), new PayloadCipher(masterKeys));
        byte[] document = new byte[1500];
        byte[] payload = new byte[3000];
        return onThreads("bench-db-", concurrency, seconds, () -> {
            List<NewDelivery> deliveries = recipients.stream()
                    .map(r -> new NewDelivery(PartnerId.of(r), List.of("bench"), "application/pkcs7-mime", payload))
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
        });
    }

    /** Sealing alone: one signed receipt and one sealed envelope per recipient, per referral, on every core. */
    private double crypto(List<String> recipients, byte[] content, double seconds) throws InterruptedException {
        CertifiedKey signer =
                PemFiles.readCertifiedKey(pki.resolve("gateway-signing.pem"), pki.resolve("gateway-signing-key.pem"));
        CmsSealer sealer = new CmsSealer(signer, Clock.systemUTC());
        List<X509Certificate> certificates = recipients.stream()
                .map(r -> deployment
                        .partner(PartnerId.of(r))
                        .flatMap(Partner::certificate)
                        .orElseThrow())
                .toList();
        return onThreads("bench-crypto-", Runtime.getRuntime().availableProcessors(), seconds, () -> {
            for (X509Certificate certificate : certificates) {
                sealer.seal(content, certificate, EnvelopeFormat.AES_256_GCM);
            }
            sealer.sign(content);
        });
    }

    /** Runs {@code step} in a loop on {@code threads} threads for {@code seconds}; returns the steps per second. */
    private static double onThreads(String name, int threads, double seconds, Runnable step)
            throws InterruptedException {
        AtomicLong done = new AtomicLong();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        List<Thread> started = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(
                    () -> {
                        while (System.nanoTime() < end) {
                            step.run();
                            done.incrementAndGet();
                        }
                    },
                    name + i);
            started.add(t);
            t.start();
        }
        for (Thread t : started) {
            t.join();
        }
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }
}
