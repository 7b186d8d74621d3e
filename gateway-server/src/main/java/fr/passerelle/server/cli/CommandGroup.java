package fr.passerelle.server.cli;

import picocli.CommandLine;

/** A command that only groups subcommands ({@code pki}, {@code config}, {@code routes}): alone, it shows its usage. */
public abstract class CommandGroup implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
