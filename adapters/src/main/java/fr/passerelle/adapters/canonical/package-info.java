/**
 * The canonical JSON format: the referral as {@code docs/CANONICAL.md} defines it, read and written without
 * any translation. Partners whose systems speak the canonical model use it both ways.
 */
package fr.passerelle.adapters.canonical;
