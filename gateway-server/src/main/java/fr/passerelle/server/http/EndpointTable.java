package fr.passerelle.server.http;

import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Maps a method and a path such as {@code /v1/referrals/{id}/receipts} to its endpoint. Path segments in braces
 * capture one segment. Immutable once built.
 */
public final class EndpointTable {
    private final List<Entry> entries;
    private final Map<String, Function<Problems.Problem, ApiResponse>> errorPages;

    private EndpointTable(List<Entry> entries, Map<String, Function<Problems.Problem, ApiResponse>> errorPages) {
        this.entries = List.copyOf(entries);
        this.errorPages = Map.copyOf(errorPages);
    }

    /**
     * How a refusal or an error on {@code path} is answered: as the page of the prefix that {@code path} starts
     * with, when one was registered (the console's pages are for people), else as a problem document.
     */
    public ApiResponse refusal(Problems.Problem problem, String path) {
        for (Map.Entry<String, Function<Problems.Problem, ApiResponse>> page : errorPages.entrySet()) {
            if (path.startsWith(page.getKey())) {
                return page.getValue().apply(problem);
            }
        }
        return ApiHandler.problemResponse(problem);
    }

    /** Every operation, in the order they were added. */
    public List<Entry> entries() {
        return entries;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Who may call an operation. Every caller has passed mutual TLS with a certificate from the trust anchors. */
    public enum Access {
        /** Any client whose certificate chains to the trust anchors (liveness probes). */
        ANY_CLIENT,
        /** An enabled partner whose certificate fingerprint is pinned in the registry. */
        PARTNER,
        /** An enabled partner of kind {@code monitoring}: traffic figures are not for every partner. */
        MONITORING,
        /**
         * Any administrator, of role admin, auditor or statistics ({@code config/admins/}): the statistics, the only
         * thing a statistics reader may read.
         */
        STATISTICS,
        /** An administrator of role admin or auditor ({@code config/admins/}): reads of the admin API. */
        AUDITOR,
        /** An administrator of role admin: changes through the admin API. */
        ADMIN
    }

    public record Entry(HttpMethod method, String pattern, Access access, Endpoint endpoint) {
        Optional<Map<String, String>> match(String path) {
            String[] want = pattern.split("/");
            String[] have = path.split("/");
            if (want.length != have.length) {
                return Optional.empty();
            }
            Map<String, String> params = new HashMap<>();
            for (int i = 0; i < want.length; i++) {
                if (want[i].startsWith("{") && want[i].endsWith("}")) {
                    if (have[i].isEmpty()) {
                        return Optional.empty();
                    }
                    params.put(want[i].substring(1, want[i].length() - 1), have[i]);
                } else if (!want[i].equals(have[i])) {
                    return Optional.empty();
                }
            }
            return Optional.of(params);
        }
    }

    /** The resolved operation and its captured path parameters. */
    public record Match(Entry entry, Map<String, String> params) {}

    /**
     * @throws GatewayException {@code not_found} for an unknown path, {@code method_not_allowed} naming the
     *         methods the path accepts
     */
    public Match resolve(HttpMethod method, String path) {
        for (Entry entry : entries) {
            if (entry.method.equals(method)) {
                Optional<Map<String, String>> params = entry.match(path);
                if (params.isPresent()) {
                    return new Match(entry, params.get());
                }
            }
        }
        Set<String> allowed = methodsAt(path);
        if (!allowed.isEmpty()) {
            throw new GatewayException(
                    ErrorCode.METHOD_NOT_ALLOWED,
                    method.name() + " is not allowed on this path" + " (expected: " + String.join(", ", allowed) + ")");
        }
        throw new GatewayException(
                ErrorCode.NOT_FOUND,
                "no operation at this path (the partner API lives under"
                        + " /v1/: referrals, referrals/{id}, referrals/{id}/receipts, inbox, health)");
    }

    /** The methods that {@code path} accepts, in the order they were added (a 405's {@code Allow}); empty if none. */
    public Set<String> methodsAt(String path) {
        Set<String> methods = new LinkedHashSet<>();
        for (Entry entry : entries) {
            if (entry.match(path).isPresent()) {
                methods.add(entry.method.name());
            }
        }
        return methods;
    }

    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();
        private final Map<String, Function<Problems.Problem, ApiResponse>> errorPages = new HashMap<>();

        public Builder add(HttpMethod method, String pattern, Access access, Endpoint endpoint) {
            entries.add(new Entry(method, pattern, access, endpoint));
            return this;
        }

        /** Answers refusals and errors under {@code prefix} with {@code page} instead of a problem document. */
        public Builder errorPages(String prefix, Function<Problems.Problem, ApiResponse> page) {
            errorPages.put(prefix, page);
            return this;
        }

        public EndpointTable build() {
            return new EndpointTable(entries, errorPages);
        }
    }
}
