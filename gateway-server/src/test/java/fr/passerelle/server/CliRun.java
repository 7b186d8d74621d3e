package fr.passerelle.server;

import fr.passerelle.server.cli.GatewayCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** One {@code gateway ...} command run in this JVM, as a user would type it: its exit code and its two outputs. */
record CliRun(int code, String out, String err) {

    static CliRun run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = GatewayCommand.execute(env, new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
