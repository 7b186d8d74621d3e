/**
 * The admin API, {@code /admin/v1/}, for the administrators of {@code config/admins/} (client certificate pinned
 * there): deliveries by state and partner, replay of dead letters, the search and timeline of referrals (metadata
 * only), cancellation of a referral, the dry run of a referral, statistics for the prefect's evaluation and the OpenAPI document ({@code openapi/admin-v1.json}). Reads need role
 * auditor or admin, changes role admin; every change is an audit entry whose actor is {@code admin:<id>}.
 * An administrator limited to some data domains sees and acts on those only ({@code DomainScope}).
 */
package fr.passerelle.server.api.admin;
