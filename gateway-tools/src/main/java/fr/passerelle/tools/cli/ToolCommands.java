package fr.passerelle.tools.cli;

import fr.passerelle.server.cli.CommandExtension;
import java.util.List;

/** The development commands that passerelle-tools.jar adds to {@code gateway}: demo, bench and pki. */
public final class ToolCommands implements CommandExtension {
    @Override
    public List<Object> commands() {
        return List.of(new DemoCommand(), new BenchCommand(), new PkiCommand());
    }
}
