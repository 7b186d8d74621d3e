/**
 * The test kit shared by every module's tests (published as gateway-core's test-jar): one OpenSSL helper, one
 * certificate factory, one database fixture, one movable clock.
 */
package fr.passerelle.core.testkit;
