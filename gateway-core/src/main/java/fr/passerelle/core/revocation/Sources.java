package fr.passerelle.core.revocation;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/**
 * The http URLs where a certificate says its revocation is published: the OCSP responders of its authority
 * information access, and the full names of its CRL distribution points. Other schemes (ldap, https) are left out:
 * https would need a TLS check of its own, and ldap a directory client.
 */
record Sources(List<URI> ocsp, List<URI> crl) {
    Sources {
        ocsp = List.copyOf(ocsp);
        crl = List.copyOf(crl);
    }

    boolean isEmpty() {
        return ocsp.isEmpty() && crl.isEmpty();
    }

    /** @throws IllegalArgumentException when an extension is malformed */
    static Sources of(X509Certificate certificate) {
        List<URI> ocsp = new ArrayList<>();
        byte[] access = certificate.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (access != null) {
            for (AccessDescription description :
                    AuthorityInformationAccess.getInstance(parse(access)).getAccessDescriptions()) {
                if (description.getAccessMethod().equals(AccessDescription.id_ad_ocsp)) {
                    addHttp(ocsp, description.getAccessLocation());
                }
            }
        }
        List<URI> crl = new ArrayList<>();
        byte[] points = certificate.getExtensionValue(Extension.cRLDistributionPoints.getId());
        if (points != null) {
            for (DistributionPoint point :
                    CRLDistPoint.getInstance(parse(points)).getDistributionPoints()) {
                DistributionPointName name = point.getDistributionPoint();
                if (name != null && name.getType() == DistributionPointName.FULL_NAME) {
                    for (GeneralName full :
                            GeneralNames.getInstance(name.getName()).getNames()) {
                        addHttp(crl, full);
                    }
                }
            }
        }
        return new Sources(ocsp, crl);
    }

    private static org.bouncycastle.asn1.ASN1Primitive parse(byte[] extensionValue) {
        try {
            return JcaX509ExtensionUtils.parseExtensionValue(extensionValue);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed extension: " + e.getMessage(), e);
        }
    }

    private static void addHttp(List<URI> to, GeneralName name) {
        if (name.getTagNo() != GeneralName.uniformResourceIdentifier) {
            return;
        }
        String text = ASN1IA5String.getInstance(name.getName()).getString();
        try {
            URI uri = new URI(text);
            if ("http".equals(String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT)) && uri.getHost() != null) {
                to.add(uri);
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed URL in a revocation extension", e);
        }
    }
}
