package fr.passerelle.core.crypto;

import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * A token of a PKCS#11 module, as the gateway logs in to it ({@code pkcs11:} in gateway.yaml): the module's
 * library, the token's slot, and the user PIN, which comes from {@link #PIN_VARIABLE} and never from a file.
 * {@link #toString()} never shows the PIN.
 *
 * @param library   absolute path of the module's shared library, such as {@code /usr/lib/softhsm/libsofthsm2.so}
 * @param slot      the token's slot id ({@code pkcs11.slot}); when empty, the slot at {@code slotIndex}
 * @param slotIndex the token's place in the module's list of slots, from 0 ({@code pkcs11.slot_index}); read
 *                  only when {@code slot} is empty
 * @param pin       the user PIN
 */
public record Pkcs11Token(Path library, OptionalLong slot, int slotIndex, String pin) {
    /** The environment variable that holds the user PIN. */
    public static final String PIN_VARIABLE = "GATEWAY_PKCS11_PIN";

    /** What SunPKCS11's configuration reads as one path: no blank, quote, comment sign or brace. */
    private static final Pattern LIBRARY = Pattern.compile("/[^\\s\"'#{}]+");

    public Pkcs11Token {
        Objects.requireNonNull(library, "library");
        Objects.requireNonNull(slot, "slot");
        Objects.requireNonNull(pin, "pin");
        if (!LIBRARY.matcher(library.toString()).matches()) {
            throw new IllegalArgumentException("pkcs11.library " + library
                    + " (expected: an absolute path without blanks, quotes, '#' or braces)");
        }
        if (slot.isPresent() && slot.getAsLong() < 0) {
            throw new IllegalArgumentException("pkcs11.slot " + slot.getAsLong() + " (expected: 0 or more)");
        }
        if (slotIndex < 0) {
            throw new IllegalArgumentException("pkcs11.slot_index " + slotIndex + " (expected: 0 or more)");
        }
        if (pin.isEmpty()) {
            throw new IllegalArgumentException(PIN_VARIABLE + " is empty (expected: the token's user PIN)");
        }
    }

    /** The slot as messages name it: {@code slot 42} or {@code slot index 0}. */
    public String slotName() {
        return slot.isPresent() ? "slot " + slot.getAsLong() : "slot index " + slotIndex;
    }

    /**
     * The configuration of a SunPKCS11 provider for this token, inline: the {@code --} prefix makes the provider
     * read the text itself rather than a file of that name. The PIN is not part of it.
     */
    String providerConfiguration() {
        String name = slot.isPresent() ? "passerelleSlot" + slot.getAsLong() : "passerelleIndex" + slotIndex;
        return "--name = " + name + "\nlibrary = " + library + "\n"
                + (slot.isPresent() ? "slot = " + slot.getAsLong() : "slotListIndex = " + slotIndex) + "\n";
    }

    @Override
    public String toString() {
        return "Pkcs11Token[library=" + library + ", " + slotName() + ", pin=(hidden)]";
    }
}
