package fr.passerelle.adapters.mail;

import java.util.regex.Pattern;

/** What the mail transport accepts as an address: the plain RFC 5321 form, with a dotted domain. */
final class MailAddresses {
    private static final Pattern ADDRESS =
            Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                    + "@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");

    private MailAddresses() {}

    /**
     * Whether {@code address} is a dot-atom local part of at most 64 characters, {@code @}, and a domain of at
     * least two labels, 254 characters in all at most: no display name, no quoted local part, no IP literal,
     * no line break that could inject a header.
     */
    static boolean isPlausible(String address) {
        if (address == null
                || address.length() > 254
                || !ADDRESS.matcher(address).matches()) {
            return false;
        }
        return address.indexOf('@') <= 64;
    }
}
