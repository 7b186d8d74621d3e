package fr.passerelle.core.notice;

import fr.passerelle.core.config.model.Partner;
import fr.passerelle.core.crypto.CmsSealer;
import fr.passerelle.core.crypto.EnvelopeFormat;
import fr.passerelle.core.crypto.SmimeSealer;
import fr.passerelle.core.spi.Adapters;
import fr.passerelle.core.spi.TransportProvider;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * Seals what an outbound adapter rendered for one partner, packaged for the partner's transport: an S/MIME entity
 * for a transport that sends mail, a CMS envelope otherwise; signed by the gateway, encrypted for the partner.
 * What copies of referrals and notices alike go through. Thread-safe.
 */
public final class PartnerSealer {
    private final Adapters adapters;
    private final CmsSealer sealer;
    private final SmimeSealer smime;

    public PartnerSealer(Adapters adapters, CmsSealer sealer) {
        this.adapters = Objects.requireNonNull(adapters, "adapters");
        this.sealer = Objects.requireNonNull(sealer, "sealer");
        this.smime = new SmimeSealer(sealer);
    }

    /** Sealed bytes and their media type. */
    public record Sealed(String mediaType, byte[] payload) {}

    /**
     * @param rendered          what the partner's outbound adapter wrote
     * @param renderedMediaType its media type ({@code multipart/*}: a whole MIME entity, for mail)
     */
    public Sealed seal(Partner partner, X509Certificate certificate, byte[] rendered, String renderedMediaType) {
        boolean mail = partner.delivery().pushed()
                && adapters.transport(partner.delivery().transport()).packaging() == TransportProvider.Packaging.SMIME;
        if (mail) {
            return new Sealed(
                    SmimeSealer.mediaType(partner.envelope()),
                    smime.seal(rendered, renderedMediaType, certificate, partner.envelope()));
        }
        return new Sealed(mediaTypeOf(partner.envelope()), sealer.seal(rendered, certificate, partner.envelope()));
    }

    /** The media type of a sealed item, as RFC 8551 names the two CMS envelopes. */
    public static String mediaTypeOf(EnvelopeFormat format) {
        return format.authenticated()
                ? "application/pkcs7-mime; smime-type=authEnveloped-data"
                : "application/pkcs7-mime; smime-type=enveloped-data";
    }
}
