package fr.passerelle.server.cli;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.audit.AuditJson;
import fr.passerelle.core.audit.AuditProofs;
import fr.passerelle.core.audit.AuditVerifier;
import fr.passerelle.core.audit.SignedTreeHead;
import fr.passerelle.core.audit.SignerTrust;
import fr.passerelle.core.audit.TreeHeads;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.crypto.PemFiles;
import fr.passerelle.core.referral.ReferralId;
import fr.passerelle.core.store.Database;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gateway audit}: verify, export and prove the tamper-evident audit log. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Audit log tools (Merkle tree, RFC 9162).",
        subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class, AuditCommand.Prove.class})
final class AuditCommand extends CommandGroup {

    /**
     * Whom the verification trusts, from the gateway's settings: the leaf of {@code signing.certificate} as the
     * current signer; as the CA of the signers kept with the heads, the certificates after it in that file, else
     * those of {@code tls.client_ca}.
     */
    static SignerTrust trust(GatewaySettings settings) {
        return SignerTrust.ofChain(PemFiles.readCertificates(settings.signingCertificate()))
                .orAuthorities(PemFiles.readCertificates(settings.clientCa()));
    }

    /** The one tree head in a file: a line of an export or of GET /v1/audit/tree-heads, as a witness kept it. */
    static SignedTreeHead witnessed(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .filter(l -> l.contains("\"treeHead\""))
                    .toList();
            if (lines.isEmpty()) {
                throw new GatewayException(
                        ErrorCode.REQUEST_INVALID,
                        file + " holds no tree head (expected: one"
                                + " JSON line as GET /v1/audit/tree-heads or audit export writes it)");
            }
            return AuditJson.parseTreeHead(lines.get(lines.size() - 1).trim());
        } catch (IOException e) {
            throw new GatewayException(ErrorCode.REQUEST_INVALID, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description =
                    "Recomputes the Merkle tree from the database (or from an export with --file), checks every signed tree head, with the certificate that signed it (kept with the heads, chained to the CA), and their growth; exits 0 with a one-line summary, or 1 naming the first entry or tree head that does not hold.")
    static final class Verify extends ConfiguredCommand {
        @Option(names = "--file", paramLabel = "FILE", description = "verify an export offline, with no database")
        Path file;

        @Option(
                names = "--cert",
                paramLabel = "PEM",
                description =
                        "the gateway's signing certificate, then the CA that issued it (default: signing.certificate of gateway.yaml)")
        Path cert;

        @Option(
                names = "--ca",
                paramLabel = "PEM",
                description =
                        "the CA certificates that the certificates kept with the tree heads must chain to, instead of those after the leaf of the signing certificate (repeatable: add the CA of a PKI replaced since)")
        List<Path> cas = List.of();

        @Option(
                names = "--against",
                paramLabel = "FILE",
                description = "a tree head received elsewhere (a witness's copy): the log must hold it")
        Path against;

        @Override
        public Integer call() {
            SignerTrust configured =
                    cert != null ? SignerTrust.ofChain(PemFiles.readCertificates(cert)) : trust(settings());
            SignerTrust signer = cas.isEmpty()
                    ? configured
                    : configured.withAuthorities(cas.stream()
                            .flatMap(ca -> PemFiles.readCertificates(ca).stream())
                            .toList());
            Optional<SignedTreeHead> witness = Optional.ofNullable(against).map(AuditCommand::witnessed);
            AuditVerifier.Verdict verdict;
            if (file != null) {
                verdict = witness.map(w -> AuditVerifier.againstWitness(file, signer, w))
                        .orElseGet(() -> AuditVerifier.verifyFile(file, signer));
            } else {
                try (Database db = database()) {
                    verdict = witness.map(w -> AuditVerifier.againstWitness(db.dataSource(), signer, w))
                            .orElseGet(() -> AuditVerifier.verify(db.dataSource(), signer));
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(verdict.summary());
            out.flush();
            return verdict.ok() ? 0 : GatewayCommand.EXIT_FAILED;
        }
    }

    @Command(
            name = "export",
            mixinStandardHelpOptions = true,
            description =
                    "Writes the audit log as JSON Lines (every entry, then every signed tree head), verifiable offline with `audit verify --file`.")
    static final class Export extends ConfiguredCommand {
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "where to write")
        Path out;

        @Override
        public Integer call() {
            long entries;
            try (Database db = database()) {
                entries = AuditVerifier.export(db.dataSource(), out);
            }
            spec.commandLine()
                    .getOut()
                    .println("audit export: " + entries + " entries and their tree heads written" + " to " + out);
            return 0;
        }
    }

    @Command(
            name = "prove",
            mixinStandardHelpOptions = true,
            description =
                    "Prints the inclusion proofs of a referral's audit entries against the latest signed tree head.")
    static final class Prove extends ConfiguredCommand {
        @Option(names = "--referral", required = true, paramLabel = "ID", description = "the referral's id")
        String referral;

        @Override
        public Integer call() {
            ReferralId id = ReferralId.parse(referral);
            PrintWriter out = spec.commandLine().getOut();
            try (Database db = database()) {
                Optional<SignedTreeHead> head = TreeHeads.latest(db.dataSource());
                if (head.isEmpty()) {
                    out.println("audit prove: no signed tree head yet; the gateway signs one within a minute");
                    return GatewayCommand.EXIT_FAILED;
                }
                out.println(AuditJson.treeHead(head.get()));
                List<AuditProofs.InclusionProof> proofs = AuditProofs.forReferral(db.dataSource(), id, head.get());
                for (AuditProofs.InclusionProof proof : proofs) {
                    out.println(
                            "entry " + proof.seq() + " leaf " + HexFormat.of().formatHex(proof.leafHash())
                                    + " path "
                                    + proof.path().stream()
                                            .map(HexFormat.of()::formatHex)
                                            .toList()
                                    + (proof.verifies(head.get().head()) ? " (verifies)" : " (DOES NOT VERIFY)"));
                }
                if (proofs.isEmpty()) {
                    out.println("audit prove: the latest tree head covers no entry of referral " + id);
                    return GatewayCommand.EXIT_FAILED;
                }
            }
            out.flush();
            return 0;
        }
    }
}
