package dev.oauthlet.internal.jdbc;

import dev.oauthlet.spi.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the versioned schema scripts under {@code dev/oauthlet/db/} at start-up, each once,
 * recorded in {@code oauthlet_schema_version}. On PostgreSQL an advisory lock keeps two nodes
 * that start together from applying one script twice.
 *
 * <p>An empty database gets {@code baseline.sql} instead of the first {@link #BASELINE_VERSION}
 * scripts: the same schema (the test proves it) in 23 statements instead of 60, which on a first
 * start, with H2's parser still interpreted, took half a second of the critical path. The
 * versions it stands for are recorded as if each script had run, so later scripts and older
 * builds see the history they expect.
 */
final class Migrations {

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    /** Every script, in order. A new version is appended here and never edited afterwards. */
    static final List<String> SCRIPTS = List.of("V1__schema.sql", "V2__tenant_order.sql", "V3__client_secrets_and_origin.sql",
            "V4__audiences.sql", "V5__signing_key_active_from.sql", "V6__refresh_family_start.sql", "V7__dpop_and_client_keys.sql",
            "V8__encrypted_keys_at_rest.sql", "V9__registration_access_token.sql", "V10__openid_connect.sql", "V11__sign_in_methods.sql");
    /** The version {@code baseline.sql} builds; it never changes, so later scripts run after it on a new store too. */
    static final int BASELINE_VERSION = 11;
    static final String BASELINE = "baseline.sql";
    private static final long LOCK_ID = 0x0a07_1e7L;

    private Migrations() {
    }

    static void apply(DataSource ds) {
        apply(ds, true);
    }

    /** {@link #apply(DataSource)}, with the scripts one by one on an empty database too when {@code useBaseline} is false. */
    static void apply(DataSource ds, boolean useBaseline) {
        try (Connection c = ds.getConnection()) {
            boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                if (postgres) {
                    st.execute("SELECT pg_advisory_xact_lock(" + LOCK_ID + ")");
                }
                st.execute("CREATE TABLE IF NOT EXISTS oauthlet_schema_version (version INTEGER PRIMARY KEY, script VARCHAR(200) NOT NULL, applied_at BIGINT NOT NULL)");
                int current = Jdbc.one(c, "SELECT MAX(version) AS v FROM oauthlet_schema_version", rs -> rs.getInt("v")).orElse(0);
                if (current == 0 && useBaseline) {
                    for (String sql : statements(read(BASELINE))) {
                        st.execute(sql);
                    }
                    long now = System.currentTimeMillis();
                    for (int v = 1; v <= BASELINE_VERSION; v++) {
                        Jdbc.update(c, "INSERT INTO oauthlet_schema_version (version, script, applied_at) VALUES (?, ?, ?)",
                                v, SCRIPTS.get(v - 1), now);
                    }
                    LOG.info("created the schema at version {} ({})", BASELINE_VERSION, BASELINE);
                    current = BASELINE_VERSION;
                }
                for (int v = current + 1; v <= SCRIPTS.size(); v++) {
                    String script = SCRIPTS.get(v - 1);
                    for (String sql : statements(read(script))) {
                        st.execute(sql);
                    }
                    Jdbc.update(c, "INSERT INTO oauthlet_schema_version (version, script, applied_at) VALUES (?, ?, ?)",
                            v, script, System.currentTimeMillis());
                    LOG.info("applied schema migration {}", script);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StorageException("cannot migrate the database schema: " + e.getMessage(), e);
        }
    }

    private static String read(String script) {
        try (InputStream in = Migrations.class.getResourceAsStream("/dev/oauthlet/db/" + script)) {
            if (in == null) {
                throw new IllegalStateException("migration script " + script + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Splits a script at semicolons that end a line, dropping {@code --} comments. */
    static List<String> statements(String script) {
        StringBuilder sb = new StringBuilder();
        for (String line : script.split("\n")) {
            String l = line.strip();
            if (l.startsWith("--") || l.isEmpty()) {
                continue;
            }
            sb.append(l).append('\n');
        }
        return java.util.Arrays.stream(sb.toString().split(";\n")).map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> s.endsWith(";") ? s.substring(0, s.length() - 1) : s).toList();
    }
}
