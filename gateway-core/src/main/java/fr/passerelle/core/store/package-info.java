/**
 * The PostgreSQL store: {@link fr.passerelle.core.store.Database} opens the embedded server or a configured one
 * behind a HikariCP pool and migrates its schema with Flyway; {@link fr.passerelle.core.store.JdbcReferralStore}
 * writes a submission (referral, one delivery per recipient, audit entries) in one transaction, serves the pull
 * inbox, records receipts and answers status queries to a referral's parties only;
 * {@link fr.passerelle.core.store.ReceiptLinks} issues and redeems the single-use receipt links of secure mail.
 * Columns in clear hold routing metadata only; the referral's document and its copies are encrypted at rest by
 * {@link fr.passerelle.core.keys.PayloadCipher}.
 */
package fr.passerelle.core.store;
