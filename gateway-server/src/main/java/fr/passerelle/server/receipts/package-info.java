/**
 * The public receipt listener: the single-use links of a secure mail ({@code /v1/receipts/{token}}) open here, over
 * HTTPS with the gateway's server certificate and no client certificate. A GET shows, in French, what the link will
 * record for which referral (its type and id only) and never uses it; the page's form POSTs back to use it through
 * {@link fr.passerelle.core.receipt.ReceiptLinks}. A used, expired or unknown link gets its own page; a dead one (its
 * partner disabled, its route removed, its referral closed, the certificate its mail was encrypted to rotated out)
 * one page whatever the reason. Each address is rate-limited. Pages carry no script and strict security headers
 * (HSTS included); logs carry the referral id and the outcome, never the token, and unknown links only as counts
 * once a minute.
 */
package fr.passerelle.server.receipts;
