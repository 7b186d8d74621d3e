package fr.passerelle.adapters.https;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.ProtocolException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/** Names a failed attempt's cause for its detail: the kind of error, never a payload. */
final class NetworkFailures {
    private static final String ALERT = "Received fatal alert: ";

    private NetworkFailures() {}

    static String describe(Throwable failure, HttpsPushSettings settings) {
        Throwable found;
        if ((found = find(failure, PushTls.ServerCertificateRefused.class)) != null) {
            return "TLS handshake failed: " + found.getMessage();
        }
        if (find(failure, HttpConnectTimeoutException.class) != null) {
            return "connect timed out after " + settings.connectTimeout().toSeconds() + " s";
        }
        if (find(failure, HttpTimeoutException.class) != null) {
            return "no answer within " + settings.requestTimeout().toSeconds() + " s";
        }
        if (find(failure, UnknownHostException.class) != null
                || find(failure, UnresolvedAddressException.class) != null) {
            return "host not found";
        }
        if (find(failure, NoRouteToHostException.class) != null) {
            return "no route to host";
        }
        if (find(failure, ConnectException.class) != null) {
            return "connection refused";
        }
        if ((found = find(failure, SSLHandshakeException.class)) != null) {
            return "TLS handshake failed" + alert(found);
        }
        if ((found = find(failure, SSLException.class)) != null) {
            return "TLS failed" + alert(found);
        }
        if (find(failure, ProtocolException.class) != null) {
            return "the partner's server answered something that is not HTTP";
        }
        if (find(failure, EOFException.class) != null || find(failure, SocketException.class) != null) {
            // Under TLS 1.3 the client's handshake ends before the server checks the client certificate: a
            // refusal arrives as an alert that the reset connection often swallows.
            return "connection closed before the answer (also what a partner's server that refuses the"
                    + " gateway's client certificate does)";
        }
        // The class only: some JDK messages quote what the server sent, which may be anything.
        return "network error (" + failure.getClass().getSimpleName() + ")";
    }

    /** The TLS alert the partner sent, such as {@code certificate_required}: its server refused our certificate. */
    private static String alert(Throwable tls) {
        for (Throwable t = tls; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.startsWith(ALERT)) {
                return ": the partner's server sent alert "
                        + message.substring(ALERT.length()).strip();
            }
        }
        return " (" + tls.getClass().getSimpleName() + ")";
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> kind) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (kind.isInstance(t)) {
                return kind.cast(t);
            }
        }
        return null;
    }
}
