/**
 * JMH microbenchmarks of the gateway's hot paths: sealing and signing a referral for a partner (CMS, EC P-256,
 * AES-256-GCM), opening what a partner sealed, Merkle hashing of the audit log, and reading then validating a
 * canonical referral. Built and run only by {@code scripts/jmh} (Maven profile {@code jmh}), never by the normal
 * build or {@code scripts/test}; the figures are for comparing changes on one machine, not for assertions.
 */
package fr.passerelle.benchmarks;
