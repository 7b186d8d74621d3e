/**
 * Strict reading of what callers send, shared by the partner formats and the server's own JSON bodies: UTF-8 that
 * is exactly UTF-8 ({@link Utf8}), JSON numbers that fit a double and text that XML 1.0 can carry
 * ({@link JsonValues}). Every refusal names where the problem is (a byte offset, a JSON path) and what was
 * expected, never the offending text.
 */
package fr.passerelle.core.input;
