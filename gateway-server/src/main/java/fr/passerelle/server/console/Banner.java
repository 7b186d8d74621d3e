package fr.passerelle.server.console;

import java.util.Objects;

/**
 * The message at the top of a page that says how a form went: a success, or an error.
 *
 * @param error  whether it reports a failure
 * @param title  in French
 * @param text   in French
 * @param detail what the gateway said, in English and identifiers only (shown with {@code lang="en"}), or empty
 */
public record Banner(boolean error, String title, String text, String detail) {
    public Banner {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(detail, "detail");
    }

    static Banner success(String title, String text) {
        return new Banner(false, title, text, "");
    }

    static Banner error(String title, String text, String detail) {
        return new Banner(true, title, text, detail);
    }
}
