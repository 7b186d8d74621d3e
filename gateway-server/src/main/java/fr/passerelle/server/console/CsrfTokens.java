package fr.passerelle.server.console;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.config.model.Administrator;
import fr.passerelle.core.keys.MasterKeys;
import fr.passerelle.server.http.ApiRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The console's defence against cross-site request forgery: every form carries, in the hidden field {@value #FIELD},
 * a token bound to the administrator (an HMAC-SHA256 of the administrator's id under a secret of the gateway), and
 * every POST must bring it back. A page of another site can make the browser post with the administrator's
 * certificate, but cannot read the token. The secret is derived from the current master key
 * ({@link #fromMasterKeys}), which every instance of a deployment shares: a form opened on one instance posts to
 * another, and survives a restart; only a master key rotation makes a form opened before it fail once (reload the
 * page). Thread-safe.
 */
public final class CsrfTokens {
    /** The name of the form field that carries the token. */
    public static final String FIELD = "csrf";

    private static final String HMAC = "HmacSHA256";
    /** What the derived secret is for, so that no other use of the master key yields the same bytes. */
    static final String LABEL = "passerelle console csrf v1";

    private final SecretKeySpec key;

    /** @param secret at least 32 bytes; copied */
    public CsrfTokens(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < 32) {
            throw new IllegalArgumentException(
                    "CSRF secret of " + secret.length + " bytes (expected: at least 32 bytes)");
        }
        this.key = new SecretKeySpec(secret.clone(), HMAC);
    }

    /** Tokens under a secret drawn from a strong random source: a secret of one instance, for tests. */
    public static CsrfTokens random() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return new CsrfTokens(secret);
    }

    /**
     * Tokens under a secret that every instance sharing {@code ring} derives alike: HKDF-Expand (RFC 5869) of the
     * current master key, taken as the pseudo-random key, with the label {@value #LABEL}. The master key itself
     * never signs a token, and a token tells nothing of it.
     */
    public static CsrfTokens fromMasterKeys(MasterKeys ring) {
        SecretKey master = ring.key(ring.currentId()).orElseThrow();
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(master.getEncoded(), HMAC));
            mac.update(LABEL.getBytes(StandardCharsets.US_ASCII));
            return new CsrfTokens(mac.doFinal(new byte[] {1}));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this Java runtime", e);
        }
    }

    /** The token of {@code admin}'s forms. */
    public String tokenFor(Administrator admin) {
        return tokenFor(admin.id());
    }

    String tokenFor(String adminId) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            byte[] tag = mac.doFinal(("passerelle-console-csrf:" + adminId).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this Java runtime", e);
        }
    }

    /**
     * Lets a request through unless it is a POST whose form lacks {@code admin}'s token.
     *
     * @throws GatewayException {@code not_permitted} when a POST brings no token, or another's
     */
    public void check(ApiRequest request) {
        if (!request.method().equals(HttpMethod.POST)) {
            return;
        }
        String body = new String(request.body(), StandardCharsets.UTF_8);
        List<String> sent = new QueryStringDecoder(body, StandardCharsets.UTF_8, false)
                .parameters()
                .getOrDefault(FIELD, List.of());
        if (sent.size() != 1) {
            throw new GatewayException(
                    ErrorCode.NOT_PERMITTED,
                    "the console's form came without its anti-forgery token (expected: one field '" + FIELD
                            + "'; reload the page and submit again)");
        }
        byte[] expected = tokenFor(request.admin()).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, sent.get(0).getBytes(StandardCharsets.US_ASCII))) {
            throw new GatewayException(
                    ErrorCode.NOT_PERMITTED,
                    "the console's form came with an anti-forgery token that is not administrator "
                            + request.admin().id() + "'s of this gateway (reload the page and submit again)");
        }
    }
}
