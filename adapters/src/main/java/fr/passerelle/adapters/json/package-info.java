/**
 * What the JSON formats share: one strict parser whose errors say where the input is wrong and never repeat it.
 */
package fr.passerelle.adapters.json;
