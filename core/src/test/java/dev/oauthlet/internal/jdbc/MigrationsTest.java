package dev.oauthlet.internal.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.user.Tenant;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Locale;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The schema runner: each script once, in order, also on a database an older release created; a new one from the baseline. */
class MigrationsTest {

    private static JdbcDataSource h2(String name) {
        JdbcDataSource ds = new JdbcDataSource();
        // Kept open between connections: the runner and the checks each take their own.
        ds.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        return ds;
    }

    private static List<Integer> versions(DataSource ds) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return Jdbc.list(c, "SELECT version FROM oauthlet_schema_version ORDER BY version", rs -> rs.getInt(1));
        }
    }

    private static String script(String name) throws IOException {
        try (InputStream in = MigrationsTest.class.getResourceAsStream("/dev/oauthlet/db/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void applyWhenDatabaseEmptyThenEveryVersionIsRecordedOnceInOrder() throws SQLException {
        JdbcDataSource ds = h2("migrations-empty");

        Migrations.apply(ds);
        Migrations.apply(ds);

        assertEquals(java.util.stream.IntStream.rangeClosed(1, Migrations.SCRIPTS.size()).boxed().toList(), versions(ds));
    }

    /** The baseline is the sum of the scripts it stands for: a new store built from it has the schema of one migrated script by script. */
    @Test
    void applyWhenDatabaseEmptyThenTheBaselineBuildsTheSchemaTheScriptsBuild() throws SQLException {
        JdbcDataSource fromBaseline = h2("migrations-baseline");
        JdbcDataSource scriptByScript = h2("migrations-scripts");

        Migrations.apply(fromBaseline);
        Migrations.apply(scriptByScript, false);

        List<String> expected = schema(scriptByScript);
        assertEquals(expected, schema(fromBaseline));
        assertEquals(versions(scriptByScript), versions(fromBaseline));
        assertTrue(expected.contains("column oauthlet_refresh_token.amr CHARACTER VARYING(1000) null default null"), String.join("\n", expected));
    }

    @Test
    void applyWhenDatabaseEmptyOnPostgresThenTheBaselineBuildsTheSchemaTheScriptsBuild() throws SQLException {
        DataSource fromBaseline = postgres(EmbeddedPostgresServer.newSchema());
        DataSource scriptByScript = postgres(EmbeddedPostgresServer.newSchema());

        Migrations.apply(fromBaseline);
        Migrations.apply(scriptByScript, false);

        assertEquals(schema(scriptByScript), schema(fromBaseline));
        assertEquals(versions(scriptByScript), versions(fromBaseline));
    }

    @Test
    void baselineWhenWrittenThenStandsForAVersionTheScriptsReach() {
        assertTrue(Migrations.BASELINE_VERSION <= Migrations.SCRIPTS.size(), "the baseline cannot be ahead of the scripts");
    }

    private static DataSource postgres(dev.oauthlet.config.StorageConfig storage) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(storage.url());
        ds.setUser(storage.username());
        ds.setPassword(storage.password());
        return ds;
    }

    /**
     * Every table of the connection's schema, its columns in order (type, size, nullability,
     * default), primary key and named indexes, one line each; the names a database generates (of
     * primary-key constraints and their indexes) left out, since they follow creation order.
     */
    private static List<String> schema(DataSource ds) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Connection c = ds.getConnection()) {
            DatabaseMetaData md = c.getMetaData();
            String schema = c.getSchema();
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = md.getTables(null, schema, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            tables.sort(null);
            for (String t : tables) {
                String table = t.toLowerCase(Locale.ROOT);
                lines.add("table " + table);
                try (ResultSet rs = md.getColumns(null, schema, t, "%")) {
                    while (rs.next()) {
                        lines.add("column " + table + "." + rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT) + " "
                                + rs.getString("TYPE_NAME").toUpperCase(Locale.ROOT) + "(" + rs.getInt("COLUMN_SIZE") + ") "
                                + ("YES".equals(rs.getString("IS_NULLABLE")) ? "null" : "not null") + " default " + rs.getString("COLUMN_DEF"));
                    }
                }
                List<String> key = new ArrayList<>();
                try (ResultSet rs = md.getPrimaryKeys(null, schema, t)) {
                    while (rs.next()) {
                        key.add(rs.getShort("KEY_SEQ") + ":" + rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                    }
                }
                key.sort(null);
                lines.add("primary key " + table + " " + key);
                List<String> indexes = new ArrayList<>();
                try (ResultSet rs = md.getIndexInfo(null, schema, t, false, false)) {
                    while (rs.next()) {
                        String name = rs.getString("INDEX_NAME");
                        if (name == null) {
                            continue;
                        }
                        name = name.toLowerCase(Locale.ROOT);
                        if (name.startsWith("oauthlet_") && !name.endsWith("_pkey")) {
                            indexes.add("index " + name + (rs.getBoolean("NON_UNIQUE") ? "" : " unique") + " "
                                    + rs.getShort("ORDINAL_POSITION") + ":" + rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
                        }
                    }
                }
                indexes.sort(null);
                lines.addAll(indexes);
            }
        }
        return lines;
    }

    /**
     * Branches that each add a migration are renumbered at merge: the scripts on disk and the runner's list must be the
     * same names, numbered 1..N without a gap or a duplicate.
     */
    @Test
    void scriptsWhenListedThenContiguousAndEveryFileOnDiskIsListed() throws Exception {
        // The sources, not target/classes: a script renumbered at merge leaves its old copy behind there until a clean build.
        java.nio.file.Path dir = java.nio.file.Path.of("src/main/resources/dev/oauthlet/db");
        List<String> onDisk;
        try (var files = java.nio.file.Files.list(dir)) {
            onDisk = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.+\\.sql")).sorted(
                    java.util.Comparator.comparingInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))).toList();
        }
        assertEquals(onDisk, Migrations.SCRIPTS, "every script under dev/oauthlet/db is listed in Migrations.SCRIPTS, in order");
        for (int i = 0; i < onDisk.size(); i++) {
            assertEquals("V" + (i + 1) + "__", onDisk.get(i).substring(0, onDisk.get(i).indexOf("__") + 2),
                    "migration numbers run 1..N without a gap: renumber the branch's scripts at merge");
        }
    }

    /** A database left at version 1 by an earlier build keeps its users; their tenants come back, ordered by type and id. */
    @Test
    void applyWhenDatabaseAtVersionOneWithUsersThenUpgradesAndKeepsThem() throws IOException, SQLException {
        JdbcDataSource ds = h2("migrations-v1");
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE oauthlet_schema_version (version INTEGER PRIMARY KEY, script VARCHAR(200) NOT NULL,"
                    + " applied_at BIGINT NOT NULL)");
            for (String sql : Migrations.statements(script("V1__schema.sql"))) {
                st.execute(sql);
            }
            st.execute("INSERT INTO oauthlet_schema_version VALUES (1, 'V1__schema.sql', 0)");
            st.execute("INSERT INTO oauthlet_user VALUES ('alice', 'hash')");
            st.execute("INSERT INTO oauthlet_user_tenant VALUES ('alice', 'merchant', 'm-2'), ('alice', 'acquirer', 'a-1')");
        }

        Migrations.apply(ds);

        assertEquals(java.util.stream.IntStream.rangeClosed(1, Migrations.SCRIPTS.size()).boxed().toList(), versions(ds));
        List<Tenant> tenants = new JdbcUserStore(new Jdbc(ds)).findByUsername("alice").orElseThrow().tenants();
        assertEquals(List.of(new Tenant("acquirer", "a-1"), new Tenant("merchant", "m-2")), tenants);
    }
}
