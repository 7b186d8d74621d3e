package fr.passerelle.core.revocation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One plain-http exchange with a responder or a CRL distribution point, bounded by a deadline and a size: no
 * proxy, no redirect, no cache. Blocks the calling thread, never longer than the deadline and one read.
 */
final class HttpFetch {
    private HttpFetch() {}

    /**
     * @param body          the request's body (a POST), or empty for a GET
     * @param deadlineNanos when to give up, on {@link System#nanoTime()}
     * @throws IOException when the exchange fails, answers other than 200, is too large or outlasts the deadline
     */
    static byte[] exchange(URI uri, Optional<byte[]> body, String contentType, int maxBytes, long deadlineNanos)
            throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
        try {
            connection.setInstanceFollowRedirects(false);
            connection.setUseCaches(false);
            connection.setConnectTimeout(remainingMillis(deadlineNanos));
            connection.setReadTimeout(remainingMillis(deadlineNanos));
            if (body.isPresent()) {
                connection.setRequestMethod("POST");
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", contentType);
                connection.setFixedLengthStreamingMode(body.get().length);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body.get());
                }
            }
            int status = connection.getResponseCode();
            if (status != HttpURLConnection.HTTP_OK) {
                throw new IOException("answered HTTP " + status + " (expected: 200)");
            }
            try (InputStream in = connection.getInputStream()) {
                return read(in, maxBytes, deadlineNanos);
            }
        } finally {
            connection.disconnect();
        }
    }

    private static byte[] read(InputStream in, int maxBytes, long deadlineNanos) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            out.write(buffer, 0, n);
            if (out.size() > maxBytes) {
                throw new IOException("answered more than " + maxBytes + " bytes");
            }
            remainingMillis(deadlineNanos);
        }
        return out.toByteArray();
    }

    /** At least 1 ms, since 0 means no timeout to {@link HttpURLConnection}. */
    private static int remainingMillis(long deadlineNanos) throws SocketTimeoutException {
        long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (left <= 0) {
            throw new SocketTimeoutException("no answer within the revocation timeout");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }
}
