/**
 * The test kit shared by every module's tests (published as gateway-core's test-jar): one OpenSSL helper, one
 * certificate factory, one database fixture, one movable clock, one partner HTTPS endpoint, the fuzz targets'
 * contract. Tests wait for other threads and processes with Awaitility, never with a loop of their own.
 */
package fr.passerelle.core.testkit;
