package dev.oauthlet.internal.jdbc;

import dev.oauthlet.spi.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** Small JDBC helpers: statements with bound arguments, transactions, and one exception type for every failure. */
final class Jdbc {

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private static final int MAX_ATTEMPTS = 5;

    private final DataSource dataSource;

    Jdbc(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    <T> T auto(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StorageException("database operation failed: " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} in one transaction: all of it commits, or none of it. */
    <T> T transaction(Work<T> work) {
        try {
            return inTransaction(work);
        } catch (SQLException e) {
            throw new StorageException("database transaction failed: " + e.getMessage(), e);
        }
    }

    /**
     * Like {@link #transaction}, but runs {@code work} again when it lost a race to a concurrent
     * transaction: two that insert one key at once (one fails with a unique violation, and on the
     * next attempt finds the row) or that the database aborted as a deadlock or serialization
     * failure. {@code work} must therefore be safe to repeat, as a replace-by-key is.
     */
    <T> T transactionRetryingConflicts(Work<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return inTransaction(work);
            } catch (SQLException e) {
                if (attempt >= MAX_ATTEMPTS || !isConflict(e)) {
                    throw new StorageException("database transaction failed: " + e.getMessage(), e);
                }
            }
        }
    }

    private <T> T inTransaction(Work<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    // A dead connection cannot roll back; the failure that matters is the first.
                    e.addSuppressed(rollback);
                }
                throw e;
            } finally {
                c.setAutoCommit(auto);
            }
        }
    }

    /** Unique violation (23505), serialization failure or H2 deadlock (40001), PostgreSQL deadlock (40P01). */
    static boolean isConflict(SQLException e) {
        String state = e.getSQLState();
        return "23505".equals(state) || "40001".equals(state) || "40P01".equals(state);
    }

    static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    int update(String sql, Object... args) {
        return auto(c -> update(c, sql, args));
    }

    <T> Optional<T> one(String sql, Row<T> row, Object... args) {
        return auto(c -> one(c, sql, row, args));
    }

    <T> List<T> list(String sql, Row<T> row, Object... args) {
        return auto(c -> list(c, sql, row, args));
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    static <T> Optional<T> one(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row.map(rs)) : Optional.empty();
            }
        }
    }

    static <T> List<T> list(Connection c, String sql, Row<T> row, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row.map(rs));
                }
                return out;
            }
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a == null) {
                // Typed VARCHAR, a null makes PostgreSQL refuse it for a BIGINT column; untyped it fits any.
                ps.setNull(i + 1, Types.NULL);
            } else if (a instanceof String s) {
                ps.setString(i + 1, s);
            } else if (a instanceof Long l) {
                ps.setLong(i + 1, l);
            } else if (a instanceof Integer n) {
                ps.setInt(i + 1, n);
            } else if (a instanceof Boolean b) {
                ps.setBoolean(i + 1, b);
            } else {
                throw new IllegalArgumentException("unsupported parameter type " + a.getClass());
            }
        }
    }

    /**
     * The first half of every batched purge: up to {@code limit} keys of the rows of {@code table}
     * matching {@code where}, oldest first by {@code orderBy} when given. Selecting first, then
     * deleting exactly those ({@link #deleteAll}), keeps each transaction small on every database.
     */
    static Object[] firstKeys(Connection c, String table, String key, String where, String orderBy, int limit, Object... args)
            throws SQLException {
        return list(c, "SELECT " + key + " FROM " + table + " WHERE " + where + (orderBy == null ? "" : " ORDER BY " + orderBy)
                + " FETCH FIRST " + limit + " ROWS ONLY", rs -> rs.getString(1), args).toArray();
    }

    /** Deletes the rows of {@code table} whose {@code key} is one of {@code keys}; none for an empty array. */
    static int deleteAll(Connection c, String table, String key, Object[] keys) throws SQLException {
        return keys.length == 0 ? 0 : update(c, "DELETE FROM " + table + " WHERE " + key + " IN (" + placeholders(keys.length) + ")", keys);
    }

    /** {@code ?, ?, ?} for an {@code IN} list of {@code n} values. */
    static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    /** A nullable BIGINT column. */
    static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
