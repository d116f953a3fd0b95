package dev.oauthlet.internal.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.oauthlet.user.Tenant;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/** The schema runner: each script once, in order, also on a database an older release created. */
class MigrationsTest {

    private static JdbcDataSource h2(String name) {
        JdbcDataSource ds = new JdbcDataSource();
        // Kept open between connections: the runner and the checks each take their own.
        ds.setURL("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        return ds;
    }

    private static List<Integer> versions(JdbcDataSource ds) throws SQLException {
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
    void applyWhenDatabaseEmptyThenEveryScriptRunsOnceInOrder() throws SQLException {
        JdbcDataSource ds = h2("migrations-empty");

        Migrations.apply(ds);
        Migrations.apply(ds);

        assertEquals(java.util.stream.IntStream.rangeClosed(1, Migrations.SCRIPTS.size()).boxed().toList(), versions(ds));
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
