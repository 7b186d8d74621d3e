/**
 * Pushing sealed referrals to the partners that do not pull them: workers claim due deliveries from the outbox
 * ({@link fr.passerelle.core.store.Outbox}), hand each to its partner's transport, and record the outcome:
 * delivered, tried again later with exponential backoff and jitter, or given up as a dead letter.
 */
package fr.passerelle.core.delivery;
