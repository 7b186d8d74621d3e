/**
 * Pushing sealed referrals to the partners that do not pull them: workers claim due deliveries from the outbox
 * ({@link fr.passerelle.core.delivery.Outbox}), hand each to its partner's transport, and record the outcome:
 * delivered, tried again later with exponential backoff and jitter, or given up as a dead letter.
 * {@link fr.passerelle.core.delivery.DeliveryAdmin} is the administrators' view of the same outbox: list, replay
 * dead letters, cancel a referral.
 */
package fr.passerelle.core.delivery;
