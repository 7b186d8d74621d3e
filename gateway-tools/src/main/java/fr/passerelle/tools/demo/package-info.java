/**
 * The demo: the example deployment played end to end by real HTTPS clients holding the partners' certificates,
 * with a simulated SIAO endpoint and a real SMTP server (GreenMail) on loopback.
 */
package fr.passerelle.tools.demo;
