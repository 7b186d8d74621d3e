/**
 * The benchmark ({@code scripts/bench}): the gateway's throughput and latencies under load, and in the same run
 * the ceilings of its database, cryptography and transport, with the ratio of the one to the smallest other.
 */
package fr.passerelle.tools.bench;
