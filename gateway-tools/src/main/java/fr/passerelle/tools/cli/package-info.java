/**
 * The development commands of {@code passerelle-tools.jar} ({@code demo}, {@code bench}, {@code pki init}), added
 * to the server's {@code gateway} command through {@link fr.passerelle.server.cli.CommandExtension}.
 */
package fr.passerelle.tools.cli;
