/**
 * The gateway's process: the Netty HTTPS server (bootstrap, pipeline initializer, API handlers), the wiring of
 * the core services, the CLI and the demo.
 */
package fr.passerelle.server;
