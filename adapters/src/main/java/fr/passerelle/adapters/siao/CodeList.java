package fr.passerelle.adapters.siao;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One of the SIAO's code lists and the canonical code each of its codes stands for, one to one.
 *
 * @param name            what the list codes, for messages, such as {@code urgency}
 * @param siaoByCanonical the SIAO's code for each canonical code, in the canonical list's order
 */
record CodeList(String name, Map<String, String> siaoByCanonical) {
    CodeList {
        Objects.requireNonNull(name, "name");
        siaoByCanonical = Collections.unmodifiableMap(new LinkedHashMap<>(siaoByCanonical));
        if (new HashSet<>(siaoByCanonical.values()).size() != siaoByCanonical.size()) {
            throw new IllegalArgumentException("code list " + name + " gives two canonical codes the same SIAO code");
        }
    }

    /** @param pairs a canonical code, its SIAO code, the next canonical code, its SIAO code… */
    static CodeList of(String name, String... pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("code list " + name + " needs pairs of codes");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return new CodeList(name, map);
    }

    List<String> canonicalCodes() {
        return List.copyOf(siaoByCanonical.keySet());
    }

    List<String> siaoCodes() {
        return List.copyOf(siaoByCanonical.values());
    }

    /**
     * @throws GatewayException {@code internal}: the canonical document was validated, so a code without an
     *                          equivalent is our omission, not the sender's
     */
    String toSiao(String canonical) {
        String siao = siaoByCanonical.get(canonical);
        if (siao == null) {
            throw new GatewayException(
                    ErrorCode.INTERNAL,
                    "the " + name + " code '" + canonical + "' has no siao-json equivalent (expected one of: "
                            + String.join(", ", canonicalCodes()) + ")");
        }
        return siao;
    }

    /** @throws GatewayException {@code format_invalid} naming the accepted codes */
    String toCanonical(String siao) {
        for (Map.Entry<String, String> entry : siaoByCanonical.entrySet()) {
            if (entry.getValue().equals(siao)) {
                return entry.getKey();
            }
        }
        throw new GatewayException(
                ErrorCode.FORMAT_INVALID,
                "a siao-json " + name + " code is unknown (expected one of: " + String.join(", ", siaoCodes()) + ")");
    }
}
