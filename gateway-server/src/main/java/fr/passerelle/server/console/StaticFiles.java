package fr.passerelle.server.console;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.server.http.ApiRequest;
import fr.passerelle.server.http.ApiResponse;
import fr.passerelle.server.http.Endpoint;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * {@code GET /console/static/…}: the design system's files, packaged in the jar by the build
 * ({@code passerelle/console/static/} on the class path), so that nothing a page needs leaves the gateway, and the
 * console's few rules of its own ({@code passerelle-1/}, from {@code src/main/resources}). Their folder names their
 * version ({@link #DSFR}; bump {@code passerelle-1} when one of ours changes): a browser may keep them a year. Read
 * once, then held in memory (about 2 MB).
 */
final class StaticFiles implements Endpoint {
    /** The folder of the DSFR's files, named after the version that the build fetches (gateway-server/pom.xml). */
    static final String DSFR = "dsfr-1.15.3";

    static final List<String> PATTERNS =
            List.of("/console/static/{a}/{b}", "/console/static/{a}/{b}/{c}", "/console/static/{a}/{b}/{c}/{d}");

    private static final String ROOT = "passerelle/console/static/";
    private static final String PATH_PREFIX = "/console/static/";
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final Map<String, String> TYPES = Map.of(
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "woff2", "font/woff2",
            "svg", "image/svg+xml");

    /** The files read so far; a name that is not in the jar is not remembered, so that no request can grow this. */
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();

    @Override
    public ApiResponse handle(ApiRequest request) {
        String path = request.path().substring(PATH_PREFIX.length());
        String type = mediaType(path).orElseThrow(StaticFiles::notFound);
        for (String segment : path.split("/")) {
            if (!SEGMENT.matcher(segment).matches()) {
                throw notFound();
            }
        }
        byte[] body = files.get(path);
        if (body == null) {
            body = read(path).orElseThrow(StaticFiles::notFound);
            files.put(path, body);
        }
        return new ApiResponse(
                HttpResponseStatus.OK, type, body, Map.of("Cache-Control", "public, max-age=31536000, immutable"));
    }

    private static Optional<String> mediaType(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? Optional.empty() : Optional.ofNullable(TYPES.get(path.substring(dot + 1)));
    }

    private static Optional<byte[]> read(String path) {
        try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(ROOT + path)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console's file " + path + " from the jar", e);
        }
    }

    private static GatewayException notFound() {
        return new GatewayException(
                ErrorCode.NOT_FOUND,
                "no such file among the console's (expected: a file of /console/static/" + DSFR + "/)");
    }
}
