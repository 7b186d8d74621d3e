/**
 * The deployment's configuration as values: the gateway settings, the partner registry, the routing table and the
 * rules they carry, frozen in a {@link fr.passerelle.core.config.model.Deployment}. These records are what routing,
 * exchange, delivery and the store read; how they are read from YAML and checked lives apart, in
 * {@link fr.passerelle.core.config}. A record here validates its own components; rules that span files (safety,
 * coverage, competence, fingerprints) belong to the reading.
 */
package fr.passerelle.core.config.model;
