/**
 * Receipts: a recipient's acknowledgement, acceptance or refusal of its copy of a referral
 * ({@link fr.passerelle.core.receipt.Receipts}), given through the API or through the single-use links of secure
 * mail ({@link fr.passerelle.core.receipt.ReceiptLinks}), which end in the same statements.
 */
package fr.passerelle.core.receipt;
