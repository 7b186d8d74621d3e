package fr.passerelle.core.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where one of the gateway's private keys is: a PEM file, or a PKCS#11 token that never lets it out
 * ({@code tls.key} and {@code signing.key} in gateway.yaml). Either way its certificate chain is read from a PEM
 * file, so that every other part of the gateway (expiry alerts, backups, the audit check) sees one certificate.
 */
public sealed interface KeyLocation permits KeyLocation.InFile, KeyLocation.InToken {

    /**
     * Reads the key with the certificate chain of {@code certificateFile}, leaf first, and checks that the key is
     * the leaf's.
     *
     * @throws fr.passerelle.core.GatewayException {@code CONFIG_INVALID} if a file or the token cannot be read, or
     *                                             the key is not the leaf certificate's
     */
    CertifiedKey read(Path certificateFile);

    /** A PEM private key file, as {@link PemFiles#readPrivateKey} reads it. */
    record InFile(Path file) implements KeyLocation {
        public InFile {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public CertifiedKey read(Path certificateFile) {
            return PemFiles.readCertifiedKey(certificateFile, file);
        }

        @Override
        public String toString() {
            return file.toString();
        }
    }

    /**
     * The private key labelled {@code object} in {@code token}, named in gateway.yaml by an RFC 7512 URI such as
     * {@code pkcs11:object=gateway-tls}. The key must be stored with a certificate: the JDK lists no other key.
     */
    record InToken(Pkcs11Token token, String object) implements KeyLocation {
        /** How a key setting names a key in a token rather than a file. */
        public static final String SCHEME = "pkcs11:";

        private static final String EXPECTED = "expected: pkcs11:object=<label of the key>, in the token that"
                + " pkcs11.slot or pkcs11.slot_index selects";

        public InToken {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(object, "object");
            if (object.isEmpty()) {
                throw new IllegalArgumentException("the key's label is empty (" + EXPECTED + ")");
            }
        }

        @Override
        public CertifiedKey read(Path certificateFile) {
            return TokenKeys.read(token, object, certificateFile);
        }

        /**
         * The label that a {@code pkcs11:} URI names. Only the {@code object} attribute (and {@code type=private})
         * is read: an attribute that the gateway would not check, such as {@code token}, is refused rather than
         * ignored, and so is a query ({@code ?pin-value=}): the PIN never belongs in a file.
         *
         * @throws IllegalArgumentException with a message that says what was expected
         */
        public static String objectOf(String uri) {
            if (!uri.startsWith(SCHEME)) {
                throw new IllegalArgumentException("the value is not a pkcs11: URI (" + EXPECTED + ")");
            }
            if (uri.contains("?")) {
                throw new IllegalArgumentException("a pkcs11: URI with a query is refused, the PIN comes from "
                        + Pkcs11Token.PIN_VARIABLE + " alone (" + EXPECTED + ")");
            }
            String object = null;
            for (String attribute : uri.substring(SCHEME.length()).split(";", -1)) {
                int equals = attribute.indexOf('=');
                String name = equals < 0 ? attribute : attribute.substring(0, equals);
                String value = equals < 0 ? "" : decode(attribute.substring(equals + 1));
                if (name.equals("object") && object == null) {
                    object = value;
                } else if (!(name.equals("type") && value.equals("private"))) {
                    throw new IllegalArgumentException(
                            "attribute '" + name + "' of the pkcs11: URI is not supported" + " (" + EXPECTED + ")");
                }
            }
            if (object == null || object.isEmpty()) {
                throw new IllegalArgumentException("the pkcs11: URI names no object (" + EXPECTED + ")");
            }
            return object;
        }

        /** RFC 3986 percent-decoding of an attribute value, as UTF-8. */
        private static String decode(String value) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int i = 0;
            while (i < value.length()) {
                if (value.charAt(i) != '%') {
                    int codePoint = value.codePointAt(i);
                    bytes.writeBytes(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
                    i += Character.charCount(codePoint);
                    continue;
                }
                int high = i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(value.charAt(i + 2), 16);
                if (low < 0) {
                    throw new IllegalArgumentException("'%' in the pkcs11: URI is not followed by two hexadecimal"
                            + " digits (expected: %20 for a space, for instance)");
                }
                bytes.write(high * 16 + low);
                i += 3;
            }
            return bytes.toString(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return SCHEME + "object=" + object + " (" + token.slotName() + " of " + token.library() + ")";
        }
    }
}
