package fr.passerelle.server.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option that every command reading the configuration shares (a picocli mixin). */
final class ConfigOption {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "gateway.yaml (default: $GATEWAY_CONFIG or config/gateway.yaml)")
    Path config;

    /** {@code --config}, else {@code GATEWAY_CONFIG}, else {@code config/gateway.yaml}. */
    Path file() {
        return GatewayCommand.Environment.configFile(config);
    }
}
