package fr.passerelle.core.crypto;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.partner.PartnerId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The development PKI that {@code gateway pki init} writes: a CA and every certificate that the gateway, its
 * partners and its administrator need to speak mutual TLS, all ECDSA. Never for production, never committed.
 *
 * <p>Files written in the output directory:
 * <ul>
 *   <li>{@code ca.pem}, {@code ca-key.pem}: the CA, P-384, CN "Passerelle development CA", 10 years;</li>
 *   <li>{@code gateway-tls.pem} (leaf then CA), {@code gateway-tls-key.pem}, {@code gateway-tls.p12}: the TLS
 *       server certificate, P-256, serverAuth, names localhost, 127.0.0.1, ::1 and the extra host names;</li>
 *   <li>{@code gateway-signing.pem}, {@code gateway-signing-key.pem}, {@code gateway-signing.p12}: the key that
 *       signs what the gateway sends (digitalSignature, nonRepudiation; emailProtection for S/MIME), naming the
 *       gateway's mail address as an rfc822Name when there is one, so that mail clients see the sender
 *       signed;</li>
 *   <li>{@code partners/<id>.pem}, {@code partners/<id>-key.pem}, {@code partners/<id>.p12}: one client
 *       certificate per partner, CN the partner id, O "Passerelle development", clientAuth and emailProtection,
 *       usable to sign submissions and to receive CMS envelopes;</li>
 *   <li>{@code admin.pem}, {@code admin-key.pem}, {@code admin.p12}: the admin client certificate, CN and OU
 *       "admin";</li>
 *   <li>{@code pkcs12-password.txt}: the random password of every PKCS#12 file, on its first line;</li>
 *   <li>{@code fingerprints.txt}: one line per certificate, its id and SHA-256 fingerprint.</li>
 * </ul>
 * Leaf certificates are valid 2 years. Keys are unencrypted PKCS#8 PEM. Keys, PKCS#12 files and the password
 * file get permissions 0600 where the file system has POSIX permissions.
 */
public final class DevelopmentPki {
    static final String CA_CERTIFICATE = "ca.pem";
    static final String CA_KEY = "ca-key.pem";
    static final String PKCS12_PASSWORD = "pkcs12-password.txt";
    /** The CA's common name. */
    public static final String CA_NAME = "Passerelle development CA";
    /** The organisation of every certificate of the development PKI. */
    public static final String ORGANISATION = "Passerelle development";

    private static final Logger log = LoggerFactory.getLogger(DevelopmentPki.class);
    private static final String CA_SIGNATURE = "SHA384withECDSA";
    private static final int CA_YEARS = 10;
    private static final int LEAF_YEARS = 2;
    private static final Pattern DNS_NAME = Pattern.compile(
            "(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    private static final List<String> GATEWAY_NAMES = List.of("localhost", "127.0.0.1", "::1");
    /** What an rfc822Name holds: printable ASCII without {@code @} nor space, {@code @}, a dotted domain. */
    private static final Pattern MAIL_ADDRESS = Pattern.compile("[!-?A-~]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");

    private final SecureRandom random = new SecureRandom();
    private final Instant notBefore;
    private final Instant now;
    private final JcaX509ExtensionUtils extensions;

    private record Issued(String id, KeyPair keys, X509Certificate certificate) {}

    private final Clock clock;

    private DevelopmentPki(Clock clock) throws GeneralSecurityException {
        this.clock = clock;
        now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        // An hour back, so that a peer whose clock runs a little late still accepts a certificate made just now.
        notBefore = now.minus(1, ChronoUnit.HOURS);
        extensions = new JcaX509ExtensionUtils();
    }

    /**
     * Generates the development PKI into {@code outDir}, creating the directory if need be.
     *
     * @param outDir         where to write; it may exist
     * @param partners       one client certificate is made for each (duplicates ignored)
     * @param extraHostNames DNS names or IP addresses that the gateway's TLS certificate names besides localhost,
     *                       127.0.0.1 and ::1
     * @param clock          the validity periods start from its instant
     * @param force          whether to replace a PKI already in {@code outDir}
     * @return the directory and the fingerprints to pin
     * @throws GatewayException {@code PKI_FAILED} if {@code outDir} already holds {@code ca.pem} and {@code force}
     *                          is false, or if a file cannot be written; {@code CONFIG_INVALID} if an extra host
     *                          name is neither a DNS name nor an IP address
     */
    public static PkiResult init(
            Path outDir, Collection<PartnerId> partners, List<String> extraHostNames, Clock clock, boolean force) {
        return init(outDir, partners, extraHostNames, Optional.empty(), clock, force);
    }

    /**
     * As {@link #init(Path, Collection, List, Clock, boolean)}, with the gateway's mail address (the {@code from}
     * of its mail transport) in the signing certificate, as an rfc822Name subject alternative name: an S/MIME
     * client compares it with the sender of the mail it verifies.
     *
     * @param gatewayMail the sender address of the gateway's mail, such as {@code passerelle@example.fr}
     * @throws GatewayException as the other {@code init}; {@code CONFIG_INVALID} too if {@code gatewayMail} is no
     *                          plain mail address
     */
    public static PkiResult init(
            Path outDir,
            Collection<PartnerId> partners,
            List<String> extraHostNames,
            Optional<String> gatewayMail,
            Clock clock,
            boolean force) {
        return init(outDir, partners, Set.of(), extraHostNames, gatewayMail, clock, force);
    }

    /**
     * As {@link #init(Path, Collection, List, Optional, Clock, boolean)}, with an RSA 3072 key (digital signature and
     * key encipherment) for each partner of {@code rsaPartners}: the mail partners of the {@code compatible}
     * envelope, which every mail client opens.
     */
    public static PkiResult init(
            Path outDir,
            Collection<PartnerId> partners,
            Collection<PartnerId> rsaPartners,
            List<String> extraHostNames,
            Optional<String> gatewayMail,
            Clock clock,
            boolean force) {
        Objects.requireNonNull(outDir, "outDir");
        Objects.requireNonNull(clock, "clock");
        Set<PartnerId> partnerIds = new TreeSet<>(partners);
        GeneralNames gatewayNames = gatewayNames(extraHostNames);
        GeneralNames signingNames = gatewayMail.map(DevelopmentPki::mailName).orElse(null);
        if (!force && Files.exists(outDir.resolve(CA_CERTIFICATE))) {
            throw new GatewayException(
                    ErrorCode.PKI_FAILED,
                    outDir + " already holds a CA (" + CA_CERTIFICATE
                            + "); use --force to replace it, or choose another --out");
        }
        try {
            return new DevelopmentPki(clock)
                    .write(outDir, partnerIds, Set.copyOf(rsaPartners), gatewayNames, signingNames);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new GatewayException(
                    ErrorCode.PKI_FAILED,
                    "the development PKI for " + outDir + " cannot be generated ("
                            + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
                    e);
        }
    }

    /**
     * Issues, from the development CA in {@code pkiDir}, a TLS server certificate for a partner's own endpoint
     * (the demo's simulated SIAO that the gateway pushes to): {@code <id>.pem} (leaf then CA) and
     * {@code <id>-key.pem} in {@code outDir}.
     *
     * @param hostNames DNS names or IP addresses the certificate names
     * @return the certificate file
     * @throws GatewayException {@code PKI_FAILED} if the CA cannot be read or the files written
     */
    public static Path issueServer(Path pkiDir, Path outDir, String id, List<String> hostNames, Clock clock) {
        try {
            Issued ca = readCa(pkiDir);
            DevelopmentPki pki = new DevelopmentPki(clock);
            Issued server = pki.issueLeaf(
                    ca,
                    id,
                    name("partner-endpoint", id),
                    new KeyUsage(KeyUsage.digitalSignature),
                    List.of(KeyPurposeId.id_kp_serverAuth),
                    gatewayNames(hostNames));
            Files.createDirectories(outDir);
            PemFiles.writeCertificates(outDir.resolve(id + ".pem"), List.of(server.certificate(), ca.certificate()));
            PemFiles.writePrivateKey(
                    outDir.resolve(id + "-key.pem"), server.keys().getPrivate());
            return outDir.resolve(id + ".pem");
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new GatewayException(
                    ErrorCode.PKI_FAILED,
                    "cannot issue a server certificate for " + id + " from the development CA in " + pkiDir + " ("
                            + e.getClass().getSimpleName() + ")",
                    e);
        }
    }

    /**
     * Issues, from the development CA in {@code pkiDir}, a client certificate like those {@link #init} makes for
     * partners (signing, key agreement, client authentication and S/MIME): for a partner added at run time, a
     * renewed certificate, or another administrator. Writes {@code <id>.pem} (leaf then CA) and
     * {@code <id>-key.pem} into {@code outDir}.
     *
     * @return the certificate file
     * @throws GatewayException {@code PKI_FAILED} if the CA cannot be read or the files written
     */
    public static Path issueClient(Path pkiDir, Path outDir, String id, Clock clock) {
        try {
            Issued ca = readCa(pkiDir);
            Issued client = new DevelopmentPki(clock)
                    .issueLeaf(
                            ca,
                            id,
                            name(null, id),
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement),
                            List.of(KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_emailProtection),
                            null);
            Files.createDirectories(outDir);
            PemFiles.writeCertificates(outDir.resolve(id + ".pem"), List.of(client.certificate(), ca.certificate()));
            PemFiles.writePrivateKey(
                    outDir.resolve(id + "-key.pem"), client.keys().getPrivate());
            return outDir.resolve(id + ".pem");
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new GatewayException(
                    ErrorCode.PKI_FAILED,
                    "cannot issue a client certificate for " + id + " from the development CA in " + pkiDir + " ("
                            + e.getClass().getSimpleName() + ")",
                    e);
        }
    }

    /**
     * Issues, from the development CA in {@code pkiDir}, a new signing key and certificate for the gateway, like
     * the one {@link #init} makes, and writes them where the settings say: the key to {@code keyFile} (PKCS#8, 0600),
     * then the chain, leaf then CA, to {@code certificateFile}. For {@code gateway keys rotate --signing}. The PKI
     * folder's {@code gateway-signing.p12} and {@code fingerprints.txt} are left as {@link #init} wrote them.
     *
     * @return the new key and its chain
     * @throws GatewayException {@code PKI_FAILED} if the CA cannot be read or the files written
     */
    public static CertifiedKey issueSigning(Path pkiDir, Path certificateFile, Path keyFile, Clock clock) {
        try {
            Issued ca = readCa(pkiDir);
            // The mail address that the certificate it replaces names (pki init's rfc822Name), kept.
            GeneralNames names = Files.exists(certificateFile)
                    ? subjectAlternativeNames(
                            PemFiles.readCertificates(certificateFile).get(0))
                    : null;
            Issued signing = new DevelopmentPki(clock).issueSigning(ca, names);
            List<X509Certificate> chain = List.of(signing.certificate(), ca.certificate());
            PemFiles.writePrivateKey(keyFile, signing.keys().getPrivate());
            PemFiles.writeCertificates(certificateFile, chain);
            return new CertifiedKey(signing.keys().getPrivate(), chain);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new GatewayException(
                    ErrorCode.PKI_FAILED,
                    "cannot issue a signing certificate from the development CA in " + pkiDir + " ("
                            + e.getClass().getSimpleName() + ")",
                    e);
        }
    }

    private static Issued readCa(Path pkiDir) {
        X509Certificate certificate =
                PemFiles.readCertificates(pkiDir.resolve(CA_CERTIFICATE)).get(0);
        return new Issued(
                "ca",
                new KeyPair(certificate.getPublicKey(), PemFiles.readPrivateKey(pkiDir.resolve(CA_KEY))),
                certificate);
    }

    private Issued issueSigning(Issued ca, GeneralNames signingNames)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        return issueLeaf(
                ca,
                "gateway-signing",
                name(null, "Passerelle gateway signing"),
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation),
                List.of(KeyPurposeId.id_kp_emailProtection),
                signingNames);
    }

    private static GeneralNames subjectAlternativeNames(X509Certificate certificate) throws IOException {
        byte[] extension = certificate.getExtensionValue(Extension.subjectAlternativeName.getId());
        return extension == null
                ? null
                : GeneralNames.getInstance(org.bouncycastle.asn1.ASN1OctetString.getInstance(extension)
                        .getOctets());
    }

    private PkiResult write(
            Path dir,
            Set<PartnerId> partners,
            Set<PartnerId> rsaPartners,
            GeneralNames gatewayNames,
            GeneralNames signingNames)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        Issued ca = issueCa();
        // clientAuth too: the gateway presents this certificate when it pushes to a partner's HTTPS endpoint.
        Issued tls = issueLeaf(
                ca,
                "gateway-tls",
                name(null, "Passerelle gateway"),
                new KeyUsage(KeyUsage.digitalSignature),
                List.of(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth),
                gatewayNames);
        Issued signing = issueSigning(ca, signingNames);
        Issued admin = issueLeaf(
                ca,
                "admin",
                name("admin", "admin"),
                new KeyUsage(KeyUsage.digitalSignature),
                List.of(KeyPurposeId.id_kp_clientAuth),
                null);
        Map<PartnerId, Issued> partnerCertificates = new LinkedHashMap<>();
        CertificateAuthority authority =
                new CertificateAuthority(ca.certificate(), ca.keys().getPrivate(), clock);
        for (PartnerId partner : partners) {
            if (rsaPartners.contains(partner)) {
                CertificateAuthority.Issued rsa =
                        authority.issue(partner.value(), CertificateAuthority.KeyType.RSA_3072);
                partnerCertificates.put(
                        partner,
                        new Issued(
                                partner.value(),
                                new KeyPair(rsa.certificate().getPublicKey(), rsa.key()),
                                rsa.certificate()));
                continue;
            }
            // keyAgreement: the gateway encrypts CMS envelopes to this (EC) key by ECDH.
            partnerCertificates.put(
                    partner,
                    issueLeaf(
                            ca,
                            partner.value(),
                            name(null, partner.value()),
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement),
                            List.of(KeyPurposeId.id_kp_clientAuth, KeyPurposeId.id_kp_emailProtection),
                            null));
        }

        char[] password = newPassword();
        PkiFiles.writeSecret(
                dir.resolve(PKCS12_PASSWORD), (new String(password) + "\n").getBytes(StandardCharsets.US_ASCII));
        writeIssued(dir, tls, ca, password);
        writeIssued(dir, signing, ca, password);
        writeIssued(dir, admin, ca, password);
        Map<PartnerId, String> partnerFingerprints = new TreeMap<>();
        for (Map.Entry<PartnerId, Issued> entry : partnerCertificates.entrySet()) {
            writeIssued(dir.resolve("partners"), entry.getValue(), ca, password);
            partnerFingerprints.put(
                    entry.getKey(), Fingerprints.sha256(entry.getValue().certificate()));
        }
        List<Issued> all = new ArrayList<>(List.of(ca, tls, signing, admin));
        all.addAll(partnerCertificates.values());
        writeFingerprints(dir.resolve("fingerprints.txt"), all);
        PemFiles.writePrivateKey(dir.resolve(CA_KEY), ca.keys().getPrivate());
        // The CA certificate last: a run that fails half-way leaves no ca.pem, so the next run needs no --force.
        PemFiles.writeCertificates(dir.resolve(CA_CERTIFICATE), List.of(ca.certificate()));

        String caFingerprint = Fingerprints.sha256(ca.certificate());
        log.info(
                "Development PKI written to {}: CA {}, {} partner certificates",
                dir,
                caFingerprint,
                partnerFingerprints.size());
        return new PkiResult(
                dir,
                partnerFingerprints,
                Fingerprints.sha256(admin.certificate()),
                Fingerprints.sha256(tls.certificate()));
    }

    private Issued issueCa() throws GeneralSecurityException, OperatorCreationException, IOException {
        KeyPair keys = newKeyPair("secp384r1");
        X500Name subject = name(null, CA_NAME);
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                subject,
                newSerial(),
                Date.from(notBefore),
                Date.from(yearsFromNow(CA_YEARS)),
                subject,
                keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        builder.addExtension(
                Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
        return new Issued("ca", keys, sign(builder, keys));
    }

    private Issued issueLeaf(
            Issued ca,
            String id,
            X500Name subject,
            KeyUsage usage,
            List<KeyPurposeId> purposes,
            GeneralNames subjectAlternativeNames)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        KeyPair keys = newKeyPair("secp256r1");
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                ca.certificate(),
                newSerial(),
                Date.from(notBefore),
                Date.from(yearsFromNow(LEAF_YEARS)),
                subject,
                keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, usage);
        builder.addExtension(
                Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)));
        builder.addExtension(
                Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keys.getPublic()));
        builder.addExtension(
                Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(ca.certificate()));
        if (subjectAlternativeNames != null) {
            builder.addExtension(Extension.subjectAlternativeName, false, subjectAlternativeNames);
        }
        return new Issued(id, keys, sign(builder, ca.keys()));
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, KeyPair issuer)
            throws GeneralSecurityException, OperatorCreationException {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder(CA_SIGNATURE).build(issuer.getPrivate())));
    }

    /** Writes {@code <id>.pem} (leaf then CA), {@code <id>-key.pem} and {@code <id>.p12} into {@code dir}. */
    private static void writeIssued(Path dir, Issued issued, Issued ca, char[] password)
            throws GeneralSecurityException, IOException {
        List<X509Certificate> chain = List.of(issued.certificate(), ca.certificate());
        PemFiles.writeCertificates(dir.resolve(issued.id() + ".pem"), chain);
        PemFiles.writePrivateKey(
                dir.resolve(issued.id() + "-key.pem"), issued.keys().getPrivate());
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry(issued.id(), issued.keys().getPrivate(), password, chain.toArray(X509Certificate[]::new));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        store.store(bytes, password);
        PkiFiles.writeSecret(dir.resolve(issued.id() + ".p12"), bytes.toByteArray());
    }

    private static void writeFingerprints(Path file, List<Issued> issued) {
        StringBuilder text = new StringBuilder("# SHA-256 fingerprints of the development PKI: id fingerprint\n");
        for (Issued each : issued) {
            text.append(each.id())
                    .append(' ')
                    .append(Fingerprints.sha256(each.certificate()))
                    .append('\n');
        }
        PkiFiles.writePublic(file, text.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static GeneralNames gatewayNames(List<String> extraHostNames) {
        Set<String> hostNames = new LinkedHashSet<>(GATEWAY_NAMES);
        hostNames.addAll(extraHostNames);
        List<GeneralName> names = new ArrayList<>();
        for (String hostName : hostNames) {
            if (IPAddress.isValid(hostName)) {
                names.add(new GeneralName(GeneralName.iPAddress, hostName));
            } else if (hostName.length() <= 253 && DNS_NAME.matcher(hostName).matches()) {
                names.add(new GeneralName(GeneralName.dNSName, hostName));
            } else {
                throw new GatewayException(
                        ErrorCode.CONFIG_INVALID,
                        "host name '" + hostName
                                + "' is not valid (expected: a DNS name such as gateway.example.fr, or an IP address)");
            }
        }
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static GeneralNames mailName(String address) {
        if (address.length() > 254 || !MAIL_ADDRESS.matcher(address).matches()) {
            throw new GatewayException(
                    ErrorCode.CONFIG_INVALID,
                    "the gateway's mail address is not a plain mail address (expected: local-part@domain, such as"
                            + " passerelle@example.fr)");
        }
        return new GeneralNames(new GeneralName(GeneralName.rfc822Name, address));
    }

    private static X500Name name(String organisationalUnit, String commonName) {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, ORGANISATION);
        if (organisationalUnit != null) {
            builder.addRDN(BCStyle.OU, organisationalUnit);
        }
        return builder.addRDN(BCStyle.CN, commonName).build();
    }

    private KeyPair newKeyPair(String curve) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve), random);
        return generator.generateKeyPair();
    }

    /** A positive serial of exactly 16 bytes: top bit clear so it stays positive, next bit set so it stays long. */
    private BigInteger newSerial() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        bytes[0] = (byte) ((bytes[0] & 0x7F) | 0x40);
        return new BigInteger(1, bytes);
    }

    private char[] newPassword() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
    }

    private Instant yearsFromNow(int years) {
        return now.atZone(ZoneOffset.UTC).plusYears(years).toInstant();
    }
}
