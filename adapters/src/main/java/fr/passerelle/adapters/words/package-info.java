/**
 * The French words Passerelle shows people: one table of labels for the canonical model's fields and coded values,
 * the urgencies, the states of a copy and the answers to a referral. The mail format, the receipt pages of the
 * server and any other French rendering read it, so that a code reads the same wherever it is shown; a test walks
 * the canonical JSON Schemas so that no field or value lacks its label.
 */
package fr.passerelle.adapters.words;
