/**
 * The engine shared by the XML partner formats: a secure parser that validates against the format's XSD and
 * reports errors by line, column and element path without quoting the document, and a codec that maps elements
 * to canonical fields through a dictionary of French names ({@link fr.passerelle.adapters.xml.FrenchNames}),
 * taking field order and JSON types (number, boolean, array) from the canonical JSON Schemas. A new XML format
 * is an {@link fr.passerelle.adapters.xml.XmlVocabulary}, an XSD and a subclass of
 * {@link fr.passerelle.adapters.xml.XmlAdapter}.
 */
package fr.passerelle.adapters.xml;
