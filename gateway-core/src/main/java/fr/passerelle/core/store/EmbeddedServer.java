package fr.passerelle.core.store;

import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.postgresql.util.PasswordUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL, locked down as a managed server would be.
 *
 * <ul>
 *   <li>Every connection authenticates with SCRAM-SHA-256 ({@code pg_hba.conf} has no {@code trust} line, and is
 *   rewritten at each start); the server listens on 127.0.0.1 only and on no Unix socket.</li>
 *   <li>The gateway connects as {@value #OWNER}, owner of its database and of every table in it, neither
 *   superuser nor allowed to create roles or databases: {@code COPY ... PROGRAM} and server files are out of its
 *   reach. Its random password is in {@value #SECRET} (0600) in the data folder. The bootstrap superuser's password
 *   is random and written nowhere: set-up work runs in single-user mode, on the files, before the server starts.</li>
 *   <li>{@code fsync}, {@code synchronous_commit} and {@code full_page_writes} are on: a commit survives a crash of
 *   the machine, not only of the process.</li>
 *   <li>Programs come from {@link PostgresBinaries}, in a 0700 folder of the data folder.</li>
 *   <li>While it runs, {@value #RUNNING} (0600) names its port and process, so that the CLI reaches the same
 *   database without starting another server ({@link #running}).</li>
 * </ul>
 *
 * <p>A data folder that an earlier release initialised without passwords ({@code trust}) is converted at its first
 * start: roles get passwords, its tables change owner, nothing else moves.
 *
 * <p>Files in the data folder: {@code postgres/} (the cluster), {@code postgres-binaries/}, {@value #LOCK} (held
 * while the server is ours), {@value #SECRET}, {@value #RUNNING}, {@value #LOG} (the server's own log: no statement
 * text, no error detail).
 */
final class EmbeddedServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedServer.class);
    static final String OWNER = "passerelle";
    static final String SUPERUSER = "postgres";
    static final String CLUSTER = "postgres";
    static final String BINARIES = "postgres-binaries";
    static final String LOCK = "postgres.lock";
    static final String SECRET = "postgres.secret";
    static final String RUNNING = "postgres.running";
    static final String LOG = "postgres.log";
    /** Present while a new cluster is being initialised: a cluster found with it never held data. */
    static final String INITIALISING = "postgres.initialising";

    static final String SETTINGS = "passerelle.conf";
    static final int STOP_SECONDS = 120;
    private static final String WRITTEN_BY = "# Written by Passerelle";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dataDir;
    private final Path cluster;
    private final Path binaries;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Connection connection;
    private boolean stopped;

    /** How to reach the server: a loopback JDBC url and the owner role's credentials. */
    record Connection(String url, String user, String password, long pid) {
        @Override
        public String toString() {
            return "Connection[" + url + ", user=" + user + ", pid=" + pid + "]";
        }
    }

    /** The data folder is held by another gateway (in this process or another). */
    static final class InUse extends IOException {
        InUse(Throwable cause) {
            super("another gateway is using this data folder", cause);
        }
    }

    private EmbeddedServer(Path dataDir, Path binaries, FileChannel lockChannel, FileLock lock, Connection connection) {
        this.dataDir = dataDir;
        this.cluster = dataDir.resolve(CLUSTER);
        this.binaries = binaries;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.connection = connection;
    }

    /**
     * Starts the server of this data folder, initialising or converting its cluster first if needed.
     *
     * @throws InUse      another gateway holds the data folder
     * @throws IOException the server could not be prepared or started; the message says which step
     */
    static EmbeddedServer start(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        FileChannel channel =
                FileChannel.open(dataDir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw new InUse(e);
        }
        if (lock == null) {
            channel.close();
            throw new InUse(null);
        }
        try {
            return startLocked(dataDir, channel, lock);
        } catch (IOException | RuntimeException e) {
            lock.release();
            channel.close();
            throw e;
        }
    }

    private static EmbeddedServer startLocked(Path dataDir, FileChannel channel, FileLock lock) throws IOException {
        Path cluster = dataDir.resolve(CLUSTER);
        stopOrphan(cluster);
        Path binaries = PostgresBinaries.prepare(dataDir.resolve(BINARIES));
        Tools tools = new Tools(binaries);
        Files.deleteIfExists(dataDir.resolve(RUNNING));
        Secret secret = prepareCluster(dataDir, cluster, tools);
        writeAccessRules(cluster);
        int port = freePort();
        writeSettings(cluster, port);
        Path logFile = dataDir.resolve(LOG);
        createPrivate(logFile);
        tools.run(
                "start the server",
                List.of("pg_ctl", "-D", cluster.toString(), "-l", logFile.toString(), "-w", "-t", "120", "-s", "start"),
                Optional.empty());
        long pid = runningPostgres(cluster)
                .orElseThrow(() -> new IOException(
                        "the server started but " + cluster.resolve("postmaster.pid") + " names no live process"));
        Connection connection = new Connection(
                "jdbc:postgresql://127.0.0.1:" + port + "/" + secret.database(), secret.user(), secret.password(), pid);
        Properties running = new Properties();
        running.setProperty("port", Integer.toString(port));
        running.setProperty("pid", Long.toString(pid));
        writePrivate(dataDir.resolve(RUNNING), running, "The embedded PostgreSQL of a running gateway");
        return new EmbeddedServer(dataDir, binaries, channel, lock, connection);
    }

    /**
     * How to reach the server that a running gateway started on this data folder, if one runs: the CLI uses it
     * instead of starting another.
     */
    static Optional<Connection> running(Path dataDir) {
        try {
            Path runningFile = dataDir.resolve(RUNNING);
            Path secretFile = dataDir.resolve(SECRET);
            if (!Files.isRegularFile(runningFile) || !Files.isRegularFile(secretFile)) {
                return Optional.empty();
            }
            Properties running = readProperties(runningFile);
            long pid = Long.parseLong(running.getProperty("pid", "-1"));
            if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()) {
                return Optional.empty();
            }
            Secret secret = Secret.read(secretFile);
            return Optional.of(new Connection(
                    "jdbc:postgresql://127.0.0.1:" + Integer.parseInt(running.getProperty("port", "-1")) + "/"
                            + secret.database(),
                    secret.user(),
                    secret.password(),
                    pid));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    Connection connection() {
        return connection;
    }

    /**
     * Stops the server (fast: open sessions are ended), removes the connection details and frees the folder. No
     * shutdown hook calls it: the gateway's own hook closes the database once it has drained (hooks run together);
     * a server left by a killed process is stopped at the next start.
     */
    @Override
    public synchronized void close() throws IOException {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            new Tools(binaries)
                    .run(
                            "stop the server",
                            List.of(
                                    "pg_ctl",
                                    "-D",
                                    cluster.toString(),
                                    "-m",
                                    "fast",
                                    "-w",
                                    "-t",
                                    Integer.toString(STOP_SECONDS),
                                    "-s",
                                    "stop"),
                            Optional.empty());
        } finally {
            Files.deleteIfExists(dataDir.resolve(RUNNING));
            lock.release();
            lockChannel.close();
        }
    }

    // ---- the cluster ------------------------------------------------------------------------------------------

    /** The owner role's credentials, once the cluster is initialised or converted. */
    private static Secret prepareCluster(Path dataDir, Path cluster, Tools tools) throws IOException {
        Path secretFile = dataDir.resolve(SECRET);
        Path initialising = dataDir.resolve(INITIALISING);
        if (Files.exists(initialising)) {
            // A first initialisation stopped half-way: nothing was ever stored in that cluster.
            log.warn("Initialising the embedded PostgreSQL in {} again: the first attempt did not finish", cluster);
            PostgresBinaries.deleteTree(cluster);
            Files.deleteIfExists(secretFile);
        }
        boolean exists = Files.isRegularFile(cluster.resolve("PG_VERSION"));
        if (exists && Files.isRegularFile(secretFile)) {
            return Secret.read(secretFile);
        }
        // A cluster of ours whose secret file was lost keeps its database; the owner role gets a new password.
        boolean ours = exists
                && Files.readString(cluster.resolve("pg_hba.conf"), StandardCharsets.UTF_8)
                        .contains(WRITTEN_BY);
        Secret secret = new Secret(OWNER, exists && !ours ? "postgres" : OWNER, randomPassword());
        if (ours) {
            log.warn(
                    "{} was missing: the owner role of the embedded PostgreSQL in {} gets a new password",
                    secretFile,
                    cluster);
            tools.single(
                    cluster,
                    "postgres",
                    List.of("ALTER ROLE " + OWNER + " PASSWORD '" + verifier(secret.password()) + "'"));
        } else if (exists) {
            log.warn(
                    "Converting the embedded PostgreSQL in {} to password authentication and a non-superuser"
                            + " owner role (it was initialised by an earlier release)",
                    cluster);
            tools.single(cluster, "postgres", conversion(secret));
        } else {
            Files.writeString(initialising, "", StandardCharsets.US_ASCII);
            initialise(cluster, tools);
            tools.single(
                    cluster,
                    "postgres",
                    List.of(
                            "ALTER ROLE " + SUPERUSER + " PASSWORD '" + verifier(randomPassword()) + "'",
                            "CREATE ROLE " + OWNER
                                    + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
                                    + " PASSWORD '" + verifier(secret.password()) + "'",
                            "CREATE DATABASE " + OWNER + " OWNER " + OWNER + " ENCODING 'UTF8' TEMPLATE template0"));
        }
        secret.write(secretFile);
        Files.deleteIfExists(initialising);
        return secret;
    }

    private static void initialise(Path cluster, Tools tools) throws IOException {
        PostgresBinaries.deleteTree(cluster);
        Files.createDirectories(cluster.getParent());
        Files.createDirectory(
                cluster, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        // initdb wants a superuser password on a file; it is random and deleted at once: no one logs in as
        // superuser over the network, set-up work runs in single-user mode.
        Path passwordFile = Files.createTempFile(
                cluster.getParent(),
                "initdb-",
                ".pw",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(passwordFile, randomPassword(), StandardCharsets.US_ASCII);
            tools.run(
                    "initialise the cluster",
                    List.of(
                            "initdb",
                            "-D",
                            cluster.toString(),
                            "-U",
                            SUPERUSER,
                            "-E",
                            "UTF8",
                            "--locale=C",
                            "--auth=scram-sha-256",
                            "--pwfile=" + passwordFile),
                    Optional.empty());
        } finally {
            Files.deleteIfExists(passwordFile);
        }
    }

    /**
     * Statements that give a cluster initialised with {@code trust} (its data in database {@code postgres}, every
     * object owned by the superuser) a password on every role and the owner role that the gateway now uses. Each
     * can run again: a conversion stopped half-way is resumed with a new password.
     */
    private static List<String> conversion(Secret secret) {
        String ownerVerifier = verifier(secret.password());
        return List.of(
                "ALTER ROLE " + SUPERUSER + " PASSWORD '" + verifier(randomPassword()) + "'",
                "DO $$ BEGIN\n"
                        + "  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '" + OWNER + "') THEN\n"
                        + "    ALTER ROLE " + OWNER + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION"
                        + " NOBYPASSRLS PASSWORD '" + ownerVerifier + "';\n"
                        + "  ELSE\n"
                        + "    CREATE ROLE " + OWNER + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION"
                        + " NOBYPASSRLS PASSWORD '" + ownerVerifier + "';\n"
                        + "  END IF;\n"
                        + "END $$",
                "ALTER DATABASE postgres OWNER TO " + OWNER,
                "ALTER SCHEMA public OWNER TO " + OWNER,
                // Tables first: their identity sequences follow them; then the sequences and functions left.
                "DO $$ DECLARE r record; BEGIN\n"
                        + "  FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace\n"
                        + "           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f') LOOP\n"
                        + "    EXECUTE format('ALTER TABLE public.%I OWNER TO " + OWNER + "', r.relname);\n"
                        + "  END LOOP;\n"
                        + "  FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace\n"
                        + "           WHERE n.nspname = 'public' AND c.relkind = 'S'\n"
                        + "             AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = '" + OWNER + "')"
                        + " LOOP\n"
                        + "    EXECUTE format('ALTER SEQUENCE public.%I OWNER TO " + OWNER + "', r.relname);\n"
                        + "  END LOOP;\n"
                        + "  FOR r IN SELECT p.oid::regprocedure AS f FROM pg_proc p\n"
                        + "           JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public' LOOP\n"
                        + "    EXECUTE format('ALTER FUNCTION %s OWNER TO " + OWNER + "', r.f);\n"
                        + "  END LOOP;\n"
                        + "END $$");
    }

    /** Loopback with a password, nothing else: no {@code trust}, no socket, no replication. */
    private static void writeAccessRules(Path cluster) throws IOException {
        replacePrivate(
                cluster.resolve("pg_hba.conf"),
                WRITTEN_BY
                        + """
                 at each start of the embedded PostgreSQL: edits are lost.
                # Only the gateway's owner role, from this host, with its password (SCRAM-SHA-256).
                host    all    all    127.0.0.1/32    scram-sha-256
                """);
    }

    private static void writeSettings(Path cluster, int port) throws IOException {
        replacePrivate(
                cluster.resolve(SETTINGS),
                """
                # Written by Passerelle at each start of the embedded PostgreSQL: edits are lost.
                port = %d
                listen_addresses = '127.0.0.1'
                unix_socket_directories = ''
                password_encryption = 'scram-sha-256'
                fsync = on
                synchronous_commit = on
                full_page_writes = on
                max_connections = 300
                timezone = 'UTC'
                # No statement text and no error detail in the server's log: they may quote stored values.
                log_min_error_statement = panic
                log_error_verbosity = terse
                """
                        .formatted(port));
        Path main = cluster.resolve("postgresql.conf");
        String include = "include = '" + SETTINGS + "'";
        String conf = Files.readString(main, StandardCharsets.UTF_8);
        if (conf.lines().noneMatch(include::equals)) {
            Files.writeString(main, conf + (conf.endsWith("\n") ? "" : "\n") + include + "\n", StandardCharsets.UTF_8);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    /**
     * Stops the PostgreSQL that a killed gateway left running on this cluster: we hold the data folder's lock, so
     * no live gateway owns it.
     */
    private static void stopOrphan(Path cluster) throws IOException {
        Optional<ProcessHandle> process = runningPostgres(cluster)
                .flatMap(ProcessHandle::of)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
        if (process.isEmpty()) {
            return;
        }
        log.warn(
                "Stopping PostgreSQL process {} left running on {} by a gateway that did not stop cleanly",
                process.get().pid(),
                cluster);
        process.get().destroy();
        try {
            process.get().onExit().get(ORPHAN_STOP_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(
                    "interrupted while stopping PostgreSQL process "
                            + process.get().pid(),
                    e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException(
                    "PostgreSQL process " + process.get().pid() + " did not stop within " + ORPHAN_STOP_SECONDS + " s",
                    e);
        }
    }

    private static final int ORPHAN_STOP_SECONDS = 30;

    /** The PostgreSQL that {@code postmaster.pid} names, if that process is alive. */
    static Optional<Long> runningPostgres(Path directory) {
        Path pidFile = directory.resolve("postmaster.pid");
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
            return lines.isEmpty()
                    ? Optional.empty()
                    : ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
                            .filter(ProcessHandle::isAlive)
                            .map(ProcessHandle::pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    // ---- secrets and files ------------------------------------------------------------------------------------

    private record Secret(String user, String database, String password) {
        static Secret read(Path file) throws IOException {
            Properties p = readProperties(file);
            String user = p.getProperty("user");
            String database = p.getProperty("database");
            String password = p.getProperty("password");
            if (user == null || database == null || password == null) {
                throw new IOException(file + " lacks user, database or password");
            }
            return new Secret(user, database, password);
        }

        void write(Path file) throws IOException {
            Properties p = new Properties();
            p.setProperty("user", user);
            p.setProperty("database", database);
            p.setProperty("password", password);
            writePrivate(
                    file,
                    p,
                    "The embedded PostgreSQL's owner role: keep this file 0600, back it up with the" + " data folder");
        }

        @Override
        public String toString() {
            return "Secret[user=" + user + ", database=" + database + "]";
        }
    }

    private static Properties readProperties(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(reader);
        }
        return p;
    }

    private static void writePrivate(Path file, Properties content, String comment) throws IOException {
        StringWriter text = new StringWriter();
        content.store(text, comment);
        replacePrivate(file, text.toString());
    }

    /** Writes beside, 0600 from creation, then moves into place: never a half-written or readable file. */
    private static void replacePrivate(Path file, String content) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(partial, content, StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void createPrivate(Path file) throws IOException {
        if (!Files.exists(file)) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private static String randomPassword() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The SCRAM-SHA-256 verifier of a password: statements carry it, never the password. */
    private static String verifier(String password) {
        return PasswordUtil.encodeScramSha256(password.toCharArray());
    }

    // ---- running the programs ---------------------------------------------------------------------------------

    /** initdb, pg_ctl and postgres from the private folder; as root, in a user namespace (PostgreSQL refuses root). */
    private record Tools(Path binaries) {
        private static final long TIMEOUT_SECONDS = 180;

        void single(Path cluster, String database, List<String> statements) throws IOException {
            // -j: a statement ends with a semicolon and an empty line; exit_on_error: the first error stops all.
            String input = statements.stream().map(s -> s + ";\n\n").collect(Collectors.joining());
            run(
                    "prepare the roles",
                    List.of(
                            "postgres",
                            "--single",
                            "-j",
                            "-D",
                            cluster.toString(),
                            "-c",
                            "exit_on_error=on",
                            "-c",
                            "log_min_error_statement=panic",
                            database),
                    Optional.of(input));
        }

        void run(String step, List<String> command, Optional<String> input) throws IOException {
            List<String> full = new ArrayList<>();
            if (LinuxUtils.isUnshareAvailable()) {
                full.addAll(List.of("unshare", "-U"));
            }
            full.add(binaries.resolve("bin").resolve(command.get(0)).toString());
            full.addAll(command.subList(1, command.size()));
            ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
            builder.environment().put("LC_ALL", "C");
            builder.environment().remove("PGPASSWORD");
            Process process = builder.start();
            CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            try (OutputStream stdin = process.getOutputStream()) {
                if (input.isPresent()) {
                    stdin.write(input.get().getBytes(StandardCharsets.UTF_8));
                }
            }
            try {
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IOException("cannot " + step + ": " + command.get(0) + " did not finish within "
                            + TIMEOUT_SECONDS + " s");
                }
                String text = new String(output.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
                if (process.exitValue() != 0) {
                    throw new IOException("cannot " + step + ": " + command.get(0) + " exited with "
                            + process.exitValue() + ": " + summary(text));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new IOException("interrupted while trying to " + step, e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("cannot " + step + ": its output could not be read", e);
            }
        }

        private static byte[] readAll(InputStream in) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (in) {
                in.transferTo(bytes);
            } catch (IOException e) {
                // The process ended; what was read is what we have.
            }
            return bytes.toByteArray();
        }

        /** The lines that say what failed: never a statement (they carry password verifiers). */
        private static String summary(String output) {
            String lines = output.lines()
                    .filter(l -> l.contains("FATAL")
                            || l.contains("ERROR")
                            || l.startsWith("initdb:")
                            || l.startsWith("pg_ctl:"))
                    .filter(l -> !l.contains("STATEMENT") && !l.contains("SCRAM-SHA-256$"))
                    .map(String::strip)
                    .collect(Collectors.joining(" / "));
            return (lines.isEmpty() ? "no message" : lines) + " (the server's own log is " + LOG
                    + " in the data folder)";
        }
    }
}
