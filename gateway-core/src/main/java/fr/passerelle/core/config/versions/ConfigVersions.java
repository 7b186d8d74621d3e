package fr.passerelle.core.config.versions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;
import fr.passerelle.core.ErrorCode;
import fr.passerelle.core.GatewayException;
import fr.passerelle.core.audit.AuditLog;
import fr.passerelle.core.internal.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The {@code config_version} and {@code config_current} tables: numbered, append-only configuration versions and
 * the pointer to the current one. Storing a version checks nothing but the concurrency (see
 * {@link VersionedConfig} for the checks); it moves the pointer and appends its audit entry in one transaction.
 * Thread-safe; every method blocks on the database.
 */
public final class ConfigVersions {
    /** Longest comment, in characters. */
    public static final int MAX_COMMENT = 500;
    /** Largest page of a listing. */
    public static final int MAX_PAGE = 200;

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<TreeMap<String, String>> FILES = new TypeReference<>() {};
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String INFO = "SELECT number, parent, applied_by, applied_at, comment, restored_from, digest,"
            + " (SELECT count(*) FROM jsonb_object_keys(files)) FROM config_version";

    private final DataSource dataSource;

    public ConfigVersions(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The current version's number, empty before the first: one primary-key read, cheap enough to poll. */
    public OptionalInt current() {
        return Transactions.inTransaction(dataSource, "read the current configuration version", c -> {
            try (PreparedStatement select = c.prepareStatement("SELECT number FROM config_current");
                    ResultSet rs = select.executeQuery()) {
                return rs.next() ? OptionalInt.of(rs.getInt(1)) : OptionalInt.empty();
            }
        });
    }

    /** A version with its files. */
    public Optional<ConfigVersion> find(int number) {
        return Transactions.inTransaction(dataSource, "read configuration version " + number, c -> {
            try (PreparedStatement select = c.prepareStatement(
                    INFO.replace("FROM config_version", ", files FROM config_version") + " WHERE number = ?")) {
                select.setInt(1, number);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new ConfigVersion(info(rs), new FileSet(files(rs.getString(9)))));
                }
            }
        });
    }

    /** The current version with its files, empty before the first. */
    public Optional<ConfigVersion> latest() {
        OptionalInt current = current();
        return current.isEmpty() ? Optional.empty() : find(current.getAsInt());
    }

    /**
     * Versions newest first, those before {@code before} when given.
     *
     * @throws GatewayException {@code request_invalid} when {@code limit} is out of range
     */
    public List<VersionInfo> list(Optional<Integer> before, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID, "limit " + limit + " is out of range (expected: 1-" + MAX_PAGE + ")");
        }
        return Transactions.inTransaction(dataSource, "list configuration versions", c -> {
            try (PreparedStatement select = c.prepareStatement(
                    INFO + " WHERE (?::integer IS NULL OR number < ?)" + " ORDER BY number DESC LIMIT ?")) {
                select.setObject(1, before.orElse(null), Types.INTEGER);
                select.setObject(2, before.orElse(null), Types.INTEGER);
                select.setInt(3, limit);
                List<VersionInfo> versions = new ArrayList<>();
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        versions.add(info(rs));
                    }
                }
                return versions;
            }
        });
    }

    /**
     * Stores {@code files} as the next version and makes it current, if the current version is still
     * {@code expected}; appends the audit entry {@code action} by {@code actor} with {@code detail} plus the
     * {@code version} and {@code parent} numbers, in the same transaction.
     *
     * @param expected     the current version the files were built on; empty for the first version
     * @param comment      why, at most {@link #MAX_COMMENT} characters on one line
     * @param restoredFrom for a rollback, the version whose files these are
     * @throws GatewayException {@code state_conflict} when another version became current meanwhile (build the
     *                          change again on it); {@code request_invalid} for a comment too long or on several
     *                          lines
     */
    public VersionInfo store(
            FileSet files,
            OptionalInt expected,
            String actor,
            String comment,
            Optional<Integer> restoredFrom,
            String action,
            Map<String, String> detail) {
        checkComment(comment);
        int number = expected.orElse(0) + 1;
        String what = "store configuration version " + number;
        try {
            return Transactions.inTransaction(dataSource, what, c -> {
                OptionalInt current = lockCurrent(c);
                if (!current.equals(expected)) {
                    throw conflict(expected, current);
                }
                OffsetDateTime at;
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO config_version (number, parent, files,"
                        + " digest, applied_by, comment, restored_from) VALUES (?, ?, ?::jsonb, ?, ?, ?, ?)"
                        + " RETURNING applied_at")) {
                    insert.setInt(1, number);
                    insert.setObject(2, expected.isPresent() ? expected.getAsInt() : null, Types.INTEGER);
                    insert.setString(3, json(files));
                    insert.setString(4, files.digest());
                    insert.setString(5, actor);
                    insert.setString(6, comment);
                    insert.setObject(7, restoredFrom.orElse(null), Types.INTEGER);
                    try (ResultSet rs = insert.executeQuery()) {
                        rs.next();
                        at = rs.getObject(1, OffsetDateTime.class);
                    }
                }
                try (PreparedStatement pointer = c.prepareStatement(
                        current.isEmpty()
                                ? "INSERT INTO config_current (number) VALUES (?)"
                                : "UPDATE config_current SET number = ?")) {
                    pointer.setInt(1, number);
                    pointer.executeUpdate();
                }
                Map<String, String> entry = new LinkedHashMap<>();
                entry.put("version", Integer.toString(number));
                expected.ifPresent(parent -> entry.put("parent", Integer.toString(parent)));
                restoredFrom.ifPresent(from -> entry.put("restoredFrom", Integer.toString(from)));
                entry.putAll(detail);
                AuditLog.append(c, actor, action, Optional.empty(), entry);
                return new VersionInfo(
                        number,
                        expected.isPresent() ? Optional.of(expected.getAsInt()) : Optional.empty(),
                        actor,
                        at.toInstant(),
                        comment,
                        restoredFrom,
                        files.digest(),
                        files.files().size());
            });
        } catch (GatewayException e) {
            // Two first versions at once: the loser's insert meets the winner's row.
            if (e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                throw conflict(expected, current());
            }
            throw e;
        }
    }

    private static OptionalInt lockCurrent(Connection c) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT number FROM config_current FOR UPDATE");
                ResultSet rs = select.executeQuery()) {
            return rs.next() ? OptionalInt.of(rs.getInt(1)) : OptionalInt.empty();
        }
    }

    private static GatewayException conflict(OptionalInt expected, OptionalInt current) {
        return new GatewayException(
                ErrorCode.STATE_CONFLICT,
                "the configuration moved meanwhile: version "
                        + (current.isPresent() ? current.getAsInt() : "none") + " is current, the change was built on "
                        + (expected.isPresent() ? "version " + expected.getAsInt() : "no version")
                        + "; nothing was stored"
                        + " (build the change again on the current version)");
    }

    /** @throws GatewayException {@code request_invalid} for a comment too long or holding control characters */
    public static void checkComment(String comment) {
        Objects.requireNonNull(comment, "comment");
        if (comment.length() > MAX_COMMENT) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "comment of " + comment.length() + " characters" + " (expected: at most " + MAX_COMMENT + ")");
        }
        if (comment.chars().anyMatch(Character::isISOControl)) {
            throw new GatewayException(
                    ErrorCode.REQUEST_INVALID,
                    "comment holds a line break or a control character" + " (expected: one line of text)");
        }
    }

    private static VersionInfo info(ResultSet rs) throws SQLException {
        int parent = rs.getInt(2);
        Optional<Integer> parentNumber = rs.wasNull() ? Optional.empty() : Optional.of(parent);
        int restored = rs.getInt(6);
        Optional<Integer> restoredFrom = rs.wasNull() ? Optional.empty() : Optional.of(restored);
        return new VersionInfo(
                rs.getInt(1),
                parentNumber,
                rs.getString(3),
                rs.getObject(4, OffsetDateTime.class).toInstant(),
                rs.getString(5),
                restoredFrom,
                rs.getString(7),
                rs.getInt(8));
    }

    private static String json(FileSet files) {
        try {
            return JSON.writeValueAsString(files.files());
        } catch (JsonProcessingException e) {
            throw new GatewayException(ErrorCode.INTERNAL, "cannot write a file set as JSON", e);
        }
    }

    private static TreeMap<String, String> files(String json) {
        try {
            return JSON.readValue(json, FILES);
        } catch (JsonProcessingException e) {
            throw new GatewayException(
                    ErrorCode.STORE_FAILED, "a configuration version's files are not a JSON" + " object of texts", e);
        }
    }
}
