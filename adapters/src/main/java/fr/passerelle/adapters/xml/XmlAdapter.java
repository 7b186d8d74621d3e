package fr.passerelle.adapters.xml;

import com.fasterxml.jackson.databind.node.ObjectNode;
import fr.passerelle.core.spi.InboundAdapter;
import fr.passerelle.core.spi.OutboundAdapter;
import java.util.Objects;

/**
 * An XML partner format, both ways, through one {@link XmlCodec}. A format extends it with a public no-argument
 * constructor (for {@link java.util.ServiceLoader}) that passes its codec, built once from its
 * {@link XmlVocabulary}. Stateless and thread-safe.
 */
public abstract class XmlAdapter implements InboundAdapter, OutboundAdapter {
    private final XmlCodec codec;

    protected XmlAdapter(XmlCodec codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    @Override
    public final String id() {
        return codec.formatId();
    }

    /** @see XmlCodec#read */
    @Override
    public final ObjectNode read(byte[] body, String mediaType) {
        return codec.read(body, mediaType);
    }

    @Override
    public final String mediaType() {
        return codec.mediaType();
    }

    /** @see XmlCodec#write */
    @Override
    public final byte[] write(ObjectNode item) {
        return codec.write(item);
    }
}
