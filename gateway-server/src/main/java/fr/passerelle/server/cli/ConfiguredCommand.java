package fr.passerelle.server.cli;

import fr.passerelle.core.config.ConfigLoader;
import fr.passerelle.core.config.model.GatewaySettings;
import fr.passerelle.core.store.Database;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * A command that reads the configuration: the shared {@code --config} option, its output, and the settings and
 * database it names. picocli fills the inherited fields.
 */
public abstract class ConfiguredCommand implements Callable<Integer> {
    @CommandLine.Mixin
    ConfigOption config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** gateway.yaml, as {@code --config}, {@code GATEWAY_CONFIG} or the default name it. */
    protected Path configFile() {
        return config.file();
    }

    /** gateway.yaml alone, with the environment overrides. */
    protected GatewaySettings settings() {
        return ConfigLoader.settings(configFile(), GatewayCommand.Environment.get());
    }

    /**
     * The database gateway.yaml names; with the embedded one, the server that a gateway running on the data folder
     * started, else one started for this command.
     */
    protected Database database() {
        GatewaySettings settings = settings();
        return Database.openShared(settings.database(), settings.dataDir());
    }

    protected PrintWriter out() {
        return spec.commandLine().getOut();
    }
}
