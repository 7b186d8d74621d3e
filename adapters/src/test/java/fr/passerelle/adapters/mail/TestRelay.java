package fr.passerelle.adapters.mail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A real SMTP relay front on 127.0.0.1 for what GreenMail 2.1 cannot do: STARTTLS (GreenMail offers only
 * implicit TLS), a certificate of our choosing per server (GreenMail reads one key store per JVM), and scripted
 * replies such as {@code 550} to RCPT. In the forwarding modes it terminates TLS and pipes the SMTP dialogue
 * to GreenMail's plain SMTP port, so GreenMail still receives the message.
 */
final class TestRelay implements AutoCloseable {
    enum Mode {
        /** Plain greeting, EHLO offers STARTTLS, then TLS and everything forwarded to the upstream. */
        STARTTLS_FORWARD,
        /** TLS from the first byte, everything forwarded to the upstream. */
        TLS_FORWARD,
        /** TLS from the first byte, then a scripted dialogue whose RCPT reply is {@code rcptReply}. */
        TLS_SCRIPTED
    }

    private final ServerSocket server;
    private final SSLContext tls;
    private final Mode mode;
    private final int upstreamPort;
    private final String rcptReply;
    private final Thread acceptor;

    /**
     * @param keyStore     a PKCS#12 file with the relay's key and chain
     * @param upstreamPort GreenMail's plain SMTP port, for the forwarding modes
     * @param rcptReply    the reply to RCPT in {@link Mode#TLS_SCRIPTED}, such as {@code 550 5.1.1 unknown}
     */
    TestRelay(Mode mode, Path keyStore, char[] password, int upstreamPort, String rcptReply) throws Exception {
        this.mode = mode;
        this.upstreamPort = upstreamPort;
        this.rcptReply = rcptReply;
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, password);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "test-relay-" + mode);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread session = new Thread(() -> serve(client), "test-relay-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket plain) {
        try (Socket client = plain) {
            switch (mode) {
                case STARTTLS_FORWARD -> {
                    send(client.getOutputStream(), "220 localhost ESMTP test relay");
                    while (true) {
                        String line = readLine(client.getInputStream());
                        if (line == null) {
                            return;
                        }
                        String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                        if (verb.equals("EHLO")) {
                            send(client.getOutputStream(), "250-localhost\r\n250 STARTTLS");
                        } else if (line.equalsIgnoreCase("STARTTLS")) {
                            send(client.getOutputStream(), "220 2.0.0 ready to start TLS");
                            SSLSocket secure = upgrade(client);
                            forward(secure, true);
                            return;
                        } else if (verb.equals("QUIT")) {
                            send(client.getOutputStream(), "221 bye");
                            return;
                        } else {
                            send(client.getOutputStream(), "530 5.7.0 Must issue a STARTTLS command first");
                        }
                    }
                }
                case TLS_FORWARD -> forward(upgrade(client), false);
                case TLS_SCRIPTED -> script(upgrade(client));
            }
        } catch (IOException e) {
            // The client gave up (a refused certificate, say): that is what some tests want.
        }
    }

    private SSLSocket upgrade(Socket client) throws IOException {
        SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(client, "localhost", client.getPort(), true);
        secure.setUseClientMode(false);
        secure.startHandshake();
        return secure;
    }

    /** Pipes both ways to the upstream; after STARTTLS the upstream's greeting is swallowed (already sent). */
    private void forward(SSLSocket client, boolean swallowGreeting) throws IOException {
        try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
            if (swallowGreeting) {
                readLine(upstream.getInputStream());
            }
            Thread up = new Thread(() -> pipe(client, upstream), "test-relay-up");
            up.setDaemon(true);
            up.start();
            pipe(upstream, client);
            try {
                up.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // One side closed: the dialogue is over.
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException | UnsupportedOperationException ignored) {
                // SSLSocket may refuse a half close; closing the session ends it anyway.
            }
        }
    }

    private void script(SSLSocket client) throws IOException {
        OutputStream out = client.getOutputStream();
        send(out, "220 localhost ESMTP scripted relay");
        for (String line = readLine(client.getInputStream()); line != null; line = readLine(client.getInputStream())) {
            String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
            switch (verb) {
                case "EHLO" -> send(out, "250-localhost\r\n250 8BITMIME");
                case "HELO", "MAIL", "RSET", "NOOP" -> send(out, "250 2.0.0 ok");
                case "RCPT" -> send(out, rcptReply);
                case "QUIT" -> {
                    send(out, "221 bye");
                    return;
                }
                default -> send(out, "502 5.5.1 not implemented");
            }
        }
    }

    private static void send(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** One line without its CRLF, byte by byte so that nothing beyond it is consumed before a TLS upgrade. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != -1; b = in.read()) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.US_ASCII);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
