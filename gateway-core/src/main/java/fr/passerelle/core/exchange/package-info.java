/**
 * The exchange of referrals without its transport: submission (validate, route, minimise, render, store),
 * inbox, receipts and status, for an already authenticated partner. The HTTP server and the demo both drive it.
 */
package fr.passerelle.core.exchange;
