/**
 * The protection register: it records, per person, what protects her from removal (a reflection period, a
 * residence permit, an exit-pathway authorisation, her minority) so that a removal objective naming her is held
 * for review, and it keys each person only by HMAC tokens of normalised identity keys, never by her identity in
 * clear. {@link fr.passerelle.core.protection.IdentityKeys} makes those keys from a referral's subject: the
 * spellings of one person by different agencies and scripts share at least one key, while a shared family name
 * alone, or the same names with distant birth years, share none. See {@code docs/IDENTITY-KEYS.md}.
 */
package fr.passerelle.core.protection;
