package fr.passerelle.server.cli;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.ConfigLoader;
import fr.passerelle.core.config.versions.ConfigEdits;
import fr.passerelle.core.config.versions.VersionedConfig;
import fr.passerelle.core.crypto.CertificateAuthority;
import fr.passerelle.core.crypto.Fingerprints;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.partner.PartnerId;
import fr.passerelle.core.store.Database;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gateway pki issue} and {@code gateway pki import}: a partner's certificate, issued by the deployment's CA
 * or brought by the partner, pinned in its entry as the next configuration version, which every running gateway
 * follows within seconds; the certificate it replaces stays accepted during the overlap.
 */
@Command(
        name = "pki",
        mixinStandardHelpOptions = true,
        description = "Partner certificates: issue one from the deployment's CA, or import one, and pin it.",
        subcommands = {PkiCommand.Issue.class, PkiCommand.Import.class})
final class PkiCommand extends CommandGroup {

    /** What issue and import share: the partner, the overlap, the comment, and pinning. */
    abstract static class PinCommand extends ConfigVersionCommands.VersionCommand {
        @Parameters(index = "0", paramLabel = "PARTNER", description = "the partner's id, as in partners/<id>.yaml")
        String partner;

        @Option(
                names = "--overlap-hours",
                paramLabel = "N",
                description =
                        "how long the certificate it replaces stays accepted (default: 168, a week; at most" + " 2160)")
        long overlapHours = ConfigEdits.DEFAULT_OVERLAP_HOURS;

        @Option(names = "--comment", paramLabel = "TEXT", description = "why (one line; no personal data)")
        String comment = "";

        @Option(
                names = "--entry",
                paramLabel = "FILE",
                description = "a new partner: its entry (partners/<id>.yaml), stored with its certificate in the same"
                        + " version (a partner that routes reach cannot be stored without one)")
        Path entry;

        @Option(
                names = "--ca-certificate",
                paramLabel = "FILE",
                description = "issue, import --csr: the CA's certificate (PEM; default: ca.pem of the PKI folder)")
        Path caCertificate;

        @Option(
                names = "--ca-key",
                paramLabel = "FILE",
                description = "issue, import --csr: the CA's private key (PEM; default: ca-key.pem of the PKI folder)")
        Path caKey;

        CertificateAuthority authority() {
            Path pki = settings().pkiDir();
            return CertificateAuthority.load(
                    caCertificate != null ? caCertificate : pki.resolve("ca.pem"),
                    caKey != null ? caKey : pki.resolve("ca-key.pem"),
                    Clock.systemUTC());
        }

        PartnerId partnerId() {
            PartnerId id = PartnerId.of(partner);
            if (overlapHours < 0 || overlapHours > ConfigEdits.MAX_OVERLAP_HOURS) {
                throw new GatewayException(
                        ErrorCode.REQUEST_INVALID,
                        "--overlap-hours " + overlapHours + " is not valid (expected: 0 to "
                                + ConfigEdits.MAX_OVERLAP_HOURS + ")");
            }
            return id;
        }

        /** Refuses before anything is made when the current version has no such partner, and no --entry adds it. */
        void requirePartner(VersionedConfig versioned, PartnerId id) {
            if (entry != null) {
                return;
            }
            boolean known = versioned
                    .versions()
                    .latest()
                    .flatMap(v -> v.files().text(ConfigEdits.partnerFile(id)))
                    .isPresent();
            if (!known) {
                throw new GatewayException(
                        ErrorCode.NOT_FOUND,
                        "no partner " + id + " in the current configuration version: give its entry with --entry"
                                + " partners/" + id + ".yaml, or add it first (console, admin API, `gateway config"
                                + " apply`)");
            }
        }

        /** The text of --entry, read once. */
        private Optional<String> entryText;

        Optional<String> entryText() {
            if (entryText == null) {
                entryText = Optional.ofNullable(entry).map(PkiCommand::text);
            }
            return entryText;
        }

        /** RSA for a partner whose entry (--entry, else the current version's) receives compatible mail; else EC. */
        CertificateAuthority.KeyType defaultKey(VersionedConfig versioned, PartnerId id) {
            String name = ConfigEdits.partnerFile(id);
            Optional<String> text = entryText()
                    .or(() ->
                            versioned.versions().latest().flatMap(v -> v.files().text(name)));
            boolean mail = text.map(t -> ConfigLoader.receivesCompatibleMail(ConfigEdits.tree(name, t)))
                    .orElse(false);
            return mail ? CertificateAuthority.KeyType.RSA_3072 : CertificateAuthority.KeyType.EC_P256;
        }

        /** Pins {@code pem} (certificate first) in the partner's entry as the next version, and says so. */
        void pin(VersionedConfig versioned, PartnerId id, String pem) {
            Instant now = Clock.systemUTC().instant();
            Instant until = now.plus(Duration.ofHours(overlapHours));
            Optional<String> newEntry = entryText();
            VersionedConfig.Outcome outcome = versioned.change(
                    files -> ConfigEdits.rotateCertificate(
                            newEntry.map(e -> files.with(ConfigEdits.partnerFile(id), e))
                                    .orElse(files),
                            id,
                            Optional.of(pem),
                            Optional.empty(),
                            until,
                            now),
                    actor(),
                    comment,
                    Map.of("operation", "partner.certificate", "partner", id.value()));
            printOutcome("pki " + spec.name(), outcome);
        }
    }

    @Command(
            name = "issue",
            mixinStandardHelpOptions = true,
            description =
                    "Makes a new key and certificate for a partner from the deployment's CA (--ca-certificate, --ca-key; by default ca.pem and ca-key.pem of the PKI folder), writes them to --out (<id>.pem, <id>-key.pem, <id>.p12 and its password), and pins the certificate in the partner's entry as the next configuration version: no restart. Give the .p12 and its password to the partner by two different channels, never by mail.")
    static final class Issue extends PinCommand {
        @Option(names = "--out", paramLabel = "DIR", required = true, description = "where to write the files")
        Path outDir;

        @Option(
                names = "--key",
                paramLabel = "TYPE",
                description = "ec (EC P-256) or rsa (RSA 3072); default: rsa for a partner that receives by mail in"
                        + " the compatible envelope, which every mail client opens (docs/MAIL.md), ec otherwise")
        String key;

        @Override
        public Integer call() {
            PartnerId id = partnerId();
            CertificateAuthority ca = authority();
            try (Database database = database()) {
                VersionedConfig versioned = versioned(database);
                requirePartner(versioned, id);
                CertificateAuthority.KeyType type =
                        key != null ? CertificateAuthority.KeyType.of(key) : defaultKey(versioned, id);
                CertificateAuthority.Issued issued = ca.issue(id.value(), type);
                List<Path> files = CertificateAuthority.write(outDir, id.value(), issued);
                try {
                    pin(versioned, id, text(files.get(0)));
                } catch (RuntimeException e) {
                    // Refused (the entry does not check): no key is left behind for a certificate nobody pinned.
                    files.forEach(PkiCommand::deleteQuietly);
                    throw e;
                }
                PrintWriter print = out();
                print.println("pki issue: " + id + ", " + type.code() + " key, certificate "
                        + Fingerprints.sha256(issued.certificate()) + ", valid until "
                        + issued.certificate().getNotAfter().toInstant());
                files.forEach(f -> print.println("  " + f));
                print.println("  give " + id + ".p12 and its password to the partner by two different channels,"
                        + " never by mail; delete them here once delivered");
            }
            return 0;
        }
    }

    @Command(
            name = "import",
            mixinStandardHelpOptions = true,
            description =
                    "Pins a partner's certificate as the next configuration version: --csr signs the partner's own certification request with the deployment's CA (the partner keeps its key) and writes <id>.pem to --out; --certificate pins a certificate from another CA that the deployment trusts (tls.client_ca).")
    static final class Import extends PinCommand {
        static final class Source {
            @Option(names = "--csr", paramLabel = "FILE", description = "the partner's PKCS#10 request (PEM or DER)")
            Path csr;

            @Option(names = "--certificate", paramLabel = "FILE", description = "the partner's certificate (PEM)")
            Path certificate;
        }

        @ArgGroup(multiplicity = "1")
        Source source;

        @Option(
                names = "--out",
                paramLabel = "DIR",
                description = "with --csr: where to write <id>.pem for the partner (default: the working folder)")
        Path outDir = Path.of("");

        @Override
        public Integer call() {
            PartnerId id = partnerId();
            try (Database database = database()) {
                VersionedConfig versioned = versioned(database);
                requirePartner(versioned, id);
                String pem;
                if (source.csr != null) {
                    CertificateAuthority.Issued issued = authority().sign(id.value(), read(source.csr));
                    Path file = CertificateAuthority.write(outDir, id.value(), issued)
                            .get(0);
                    out().println("pki import: " + id + ", certificate " + Fingerprints.sha256(issued.certificate())
                            + " signed for its request, in " + file + ": send it to the partner");
                    pem = text(file);
                } else {
                    // Read as the gateway will: a file that is no certificate stops here, with its name.
                    PemFiles.readCertificates(source.certificate);
                    pem = text(source.certificate);
                }
                pin(versioned, id, pem);
            }
            return 0;
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // best effort: the refusal is what the operator must see
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "cannot read " + file + " (" + e.getClass().getSimpleName() + "): check the path",
                    e);
        }
    }

    private static String text(Path file) {
        return new String(read(file), java.nio.charset.StandardCharsets.UTF_8);
    }
}
