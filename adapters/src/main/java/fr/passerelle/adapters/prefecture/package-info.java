/**
 * The {@code prefecture-xml} format: residence-permit support, reflection-period requests, "fiches objectifs",
 * administrative closures and difficulty reports as a prefecture's foreigners' department would exchange them, in
 * XML with French element names, read and written through the shared engine of {@code fr.passerelle.adapters.xml}.
 */
package fr.passerelle.adapters.prefecture;
