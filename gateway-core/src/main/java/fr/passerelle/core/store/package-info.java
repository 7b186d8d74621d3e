/**
 * The PostgreSQL store of referrals: {@link fr.passerelle.core.store.Database} opens the embedded server or a
 * configured one behind a HikariCP pool and migrates its schema with Flyway;
 * {@link fr.passerelle.core.store.JdbcReferralStore} writes a submission (referral, one delivery per recipient,
 * audit entries) in one transaction, serves the pull inbox and answers status queries to a referral's parties
 * only; holds, withdrawals, erasure and purges change a referral and its copies in one transaction each. The
 * features above it (delivery, receipt, notice) build on its rows and never the other way round. Columns in clear
 * hold routing metadata only; the referral's document and its copies are encrypted at rest by
 * {@link fr.passerelle.core.keys.PayloadCipher}.
 */
package fr.passerelle.core.store;
