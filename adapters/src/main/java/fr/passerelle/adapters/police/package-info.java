/**
 * The {@code police-xml} format: referrals as a police or gendarmerie procedure system would produce and consume
 * them, in XML with French element names, read and written through the shared engine of
 * {@code fr.passerelle.adapters.xml}.
 */
package fr.passerelle.adapters.police;
