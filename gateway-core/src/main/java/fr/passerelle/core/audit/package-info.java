/**
 * The audit log: an append-only PostgreSQL table with one entry per step of a referral's life (submitted, routed,
 * pulled, receipts) and per administrative change. Entries are written inside the transaction of the change they
 * record, so a change and its audit stand or fall together; the database itself refuses any UPDATE, DELETE or
 * TRUNCATE of the table. Entries hold identifiers and codes only, never personal data.
 */
package fr.passerelle.core.audit;
