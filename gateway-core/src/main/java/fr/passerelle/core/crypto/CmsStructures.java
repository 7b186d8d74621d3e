package fr.passerelle.core.crypto;

import java.io.IOException;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;

/** Parses untrusted bytes into CMS structures, turning every parser failure into one exception type. */
final class CmsStructures {
    private CmsStructures() {}

    /**
     * One DER or BER ContentInfo, trailing bytes refused.
     *
     * @throws IllegalArgumentException if the bytes are something else
     */
    static ContentInfo contentInfo(byte[] bytes) {
        try (ASN1InputStream in = new ASN1InputStream(bytes)) {
            ASN1Primitive object = in.readObject();
            if (object == null || in.available() > 0) {
                throw new IllegalArgumentException("not exactly one ASN.1 object");
            }
            return ContentInfo.getInstance(object);
        } catch (IOException | IllegalStateException | ClassCastException e) {
            throw new IllegalArgumentException("not a ContentInfo", e);
        }
    }

    /**
     * The SignedData in {@code bytes}.
     *
     * @throws IllegalArgumentException if the bytes are not a ContentInfo holding a SignedData
     */
    static CMSSignedData signedData(byte[] bytes) {
        ContentInfo info = contentInfo(bytes);
        if (!CMSObjectIdentifiers.signedData.equals(info.getContentType())) {
            throw new IllegalArgumentException("content type " + info.getContentType() + ", not signedData");
        }
        try {
            return new CMSSignedData(info);
        } catch (CMSException | IllegalStateException | ClassCastException e) {
            throw new IllegalArgumentException("not a SignedData", e);
        }
    }
}
