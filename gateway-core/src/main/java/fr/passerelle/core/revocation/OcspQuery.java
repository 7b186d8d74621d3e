package fr.passerelle.core.revocation;

import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.Optional;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Asks an OCSP responder (RFC 6960) about one certificate: a POST with a nonce, and an answer that counts only when
 * it is signed by the certificate's issuer or by a responder certificate that the issuer gave
 * {@code id-kp-OCSPSigning}, names the certificate, echoes the nonce if it carries one, and is current.
 */
final class OcspQuery {
    static final int MAX_RESPONSE_BYTES = 64 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private OcspQuery() {}

    static Answer ask(URI responder, X509Certificate certificate, X509Certificate issuer, Instant now, long deadline) {
        String source = "OCSP " + responder;
        try {
            CertificateID id = new CertificateID(
                    new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                    new JcaX509CertificateHolder(issuer),
                    certificate.getSerialNumber());
            byte[] nonce = new byte[16];
            RANDOM.nextBytes(nonce);
            byte[] nonceValue = new DEROctetString(nonce).getEncoded();
            OCSPReq request = new OCSPReqBuilder()
                    .addRequest(id)
                    .setRequestExtensions(new Extensions(new Extension(
                            OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, new DEROctetString(nonceValue))))
                    .build();
            byte[] answer = HttpFetch.exchange(
                    responder,
                    Optional.of(request.getEncoded()),
                    "application/ocsp-request",
                    MAX_RESPONSE_BYTES,
                    deadline);
            return read(source, new OCSPResp(answer), id, nonceValue, issuer, now);
        } catch (IOException e) {
            return Answer.unavailable(source, source + ": " + e.getMessage());
        } catch (OCSPException | OperatorCreationException | CertificateException | CertException e) {
            return Answer.unavailable(source, source + ": the answer cannot be read (" + e.getMessage() + ")");
        }
    }

    private static Answer read(
            String source, OCSPResp response, CertificateID id, byte[] nonceValue, X509Certificate issuer, Instant now)
            throws OCSPException, OperatorCreationException, CertificateException, CertException {
        if (response.getStatus() != OCSPResp.SUCCESSFUL) {
            return Answer.unavailable(
                    source,
                    source + ": the responder answered " + statusName(response.getStatus())
                            + " (expected: successful)");
        }
        if (!(response.getResponseObject() instanceof BasicOCSPResp basic)) {
            return Answer.unavailable(source, source + ": the answer is not a basic OCSP response");
        }
        if (!signedFor(basic, issuer, now)) {
            return Answer.unavailable(
                    source,
                    source + ": the answer is signed neither by the certificate's issuer nor by a responder"
                            + " it authorised");
        }
        Extension nonce = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (nonce != null && !Arrays.equals(nonce.getExtnValue().getOctets(), nonceValue)) {
            return Answer.unavailable(source, source + ": the answer's nonce is not the request's (a replay?)");
        }
        SingleResp single = Arrays.stream(basic.getResponses())
                .filter(r -> r.getCertID().equals(id))
                .findFirst()
                .orElse(null);
        if (single == null) {
            return Answer.unavailable(source, source + ": the answer is about other certificates");
        }
        Optional<Instant> nextUpdate =
                Optional.ofNullable(single.getNextUpdate()).map(Date::toInstant);
        Optional<String> stale = Freshness.problem(single.getThisUpdate().toInstant(), nextUpdate, now);
        if (stale.isPresent()) {
            return Answer.unavailable(source, source + ": the answer " + stale.get());
        }
        CertificateStatus status = single.getCertStatus();
        if (status == CertificateStatus.GOOD) {
            return new Answer(RevocationStatus.good(source), nextUpdate);
        }
        if (status instanceof RevokedStatus revoked) {
            return new Answer(
                    RevocationStatus.revoked(source, revoked.getRevocationTime().toInstant()), nextUpdate);
        }
        return Answer.unavailable(source, source + ": the responder does not know the certificate");
    }

    /** Whether the issuer signed the answer, or a responder certificate that the issuer signed for OCSP. */
    private static boolean signedFor(BasicOCSPResp basic, X509Certificate issuer, Instant now)
            throws OCSPException, OperatorCreationException, CertificateException, CertException {
        ContentVerifierProvider byIssuer = new JcaContentVerifierProviderBuilder().build(issuer.getPublicKey());
        if (basic.isSignatureValid(byIssuer)) {
            return true;
        }
        X500Name issuerName = new JcaX509CertificateHolder(issuer).getSubject();
        for (X509CertificateHolder responder : basic.getCerts()) {
            ExtendedKeyUsage usage = responder.getExtensions() == null
                    ? null
                    : ExtendedKeyUsage.fromExtensions(responder.getExtensions());
            if (responder.getIssuer().equals(issuerName)
                    && usage != null
                    && usage.hasKeyPurposeId(KeyPurposeId.id_kp_OCSPSigning)
                    && responder.isValidOn(Date.from(now))
                    && responder.isSignatureValid(byIssuer)
                    && basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(responder))) {
                return true;
            }
        }
        return false;
    }

    /** RFC 6960's name of an OCSP response status. */
    private static String statusName(int status) {
        return switch (status) {
            case OCSPResp.MALFORMED_REQUEST -> "malformedRequest";
            case OCSPResp.INTERNAL_ERROR -> "internalError";
            case OCSPResp.TRY_LATER -> "tryLater";
            case OCSPResp.SIG_REQUIRED -> "sigRequired";
            case OCSPResp.UNAUTHORIZED -> "unauthorized";
            default -> "status " + status;
        };
    }
}
