package fr.passerelle.core.internal;

/** Small text helpers for messages. Not API. */
public final class Text {
    private Text() {}

    /**
     * A caller-supplied token made safe to repeat in an error message: at most {@code max} characters, anything
     * but letters, digits and {@code . - _} shown as {@code ?}. Used for codes (types, departments), never for
     * personal data, which is never repeated at all.
     */
    public static String token(String value, int max) {
        String shown = value.length() > max ? value.substring(0, max) + "…" : value;
        return shown.replaceAll("[^\\p{Alnum}._\\-…]", "?");
    }
}
