/** Helpers shared by the core's packages that are not part of its API: adapters must not use them. */
package fr.passerelle.core.internal;
