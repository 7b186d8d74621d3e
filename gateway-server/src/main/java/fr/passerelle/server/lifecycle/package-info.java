/**
 * How the gateway's process starts and stops its parts: a {@link fr.passerelle.server.lifecycle.Lifecycle} to
 * which each part registers as it starts, and that closes them in reverse (on a failed start as on a stop); and
 * the {@link fr.passerelle.server.lifecycle.Housekeeping} that runs the named periodic tasks on one thread.
 */
package fr.passerelle.server.lifecycle;
