/**
 * The canonical referral: its types, identifiers, department codes, receipts and delivery states, and the
 * validation of a submitted document against its JSON Schema and the instruction's rules.
 */
package fr.passerelle.core.referral;
