package fr.passerelle.server.cli;

import java.util.List;

/**
 * More subcommands for {@code gateway}, found with {@link java.util.ServiceLoader} on the class path: how
 * {@code passerelle-tools.jar} adds {@code demo}, {@code bench} and {@code pki} to the server's commands, which the
 * production jar, without it, does not have; a command named as one of the server's groups adds its subcommands to
 * that group ({@code pki init} beside {@code pki issue} and {@code pki import}). List it in
 * {@code META-INF/services/fr.passerelle.server.cli.CommandExtension}.
 */
public interface CommandExtension {
    /**
     * New instances of picocli {@code @Command} classes, each a subcommand of {@code gateway}; called once per
     * command line, on the thread that parses it.
     */
    List<Object> commands();
}
