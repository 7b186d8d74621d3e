/**
 * The {@code siao-json} format: the JSON of a SIAO's own system (SI-SIAO-like), with its French field names and
 * code lists. The SIAO receives shelter requests in it, sends difficulty reports in it, and answers shelter
 * requests with placement answers ({@code application/vnd.passerelle.siao-answer+json}) that become canonical
 * receipts. Every document is checked against the format's JSON Schemas, packed under
 * {@code formats/siao-json/} and copied in {@code config/schemas/formats/siao-json/}, before it is translated
 * field by field to the canonical referral; the translation is one table read both ways, so a document comes
 * back unchanged.
 */
package fr.passerelle.adapters.siao;
