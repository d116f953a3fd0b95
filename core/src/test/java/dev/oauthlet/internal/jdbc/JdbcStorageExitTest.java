package dev.oauthlet.internal.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.TestServers;
import dev.oauthlet.config.StorageConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * First starts on new H2 files, and the once-seen "The database is open in exclusive mode; can not
 * open additional connections [90135-232]" at one (a {@code HikariPool$PoolInitializationException}
 * from {@code JdbcStorage.<init>}).
 *
 * <p>Where H2 2.3.232 throws 90135: {@code Database.createSession} when a session holds the
 * database exclusively ({@code SET EXCLUSIVE}, {@code SHUTDOWN}), and {@code SessionLocal}'s next
 * command on a session that was suspended by {@code Database.closeAllSessionsExcept}. That is
 * called by the same two commands, and by {@code Database.close} from H2's JVM shutdown hook
 * ({@code OnExitDatabaseCloser}, registered for every file database, closing it when
 * {@code DB_CLOSE_ON_EXIT} is on, the default for files). Oauthlet issues neither command (its
 * migrations, stores and key store run plain DDL and DML), a second connection while the schema is
 * created only waits for the first one's locks, and a database closing when its last session ends
 * makes a new connection wait ({@code Engine.openSession} retries), not fail. What remains is the
 * JVM exiting during a start: SIGTERM or Ctrl-C while {@code OauthletBuilder.build} runs, before the
 * server has put a hook of its own in place. H2's hook then suspends the pool's first connection,
 * and Hikari's next statement on it (validating it, or the migration's) fails with 90135.
 *
 * <p>Oauthlet's pools therefore open embedded H2 with {@code DB_CLOSE_ON_EXIT=FALSE}
 * ({@link JdbcStorage#jdbcUrl}); Oauthlet closes its pool itself, and H2's hook only writes a
 * checkpoint. {@link H2ExitHookUnderStart} runs that hook at a fixed point of a start, with and
 * without the setting.
 */
class JdbcStorageExitTest {

    @Test
    void exitHookWhenItRunsUnderAStartOnH2sDefaultUrlThenTheStartFailsInExclusiveMode(@TempDir Path dir) throws Exception {
        String out = run(H2ExitHookUnderStart.class, dir, "h2-default");
        assertTrue(out.contains("hook suspended the start's session"), out);
        assertTrue(out.contains("start failed: The database is open in exclusive mode; can not open additional connections [90135-"), out);
    }

    @Test
    void exitHookWhenItRunsUnderAStartOnOauthletsUrlThenTheStartGoesOn(@TempDir Path dir) throws Exception {
        String out = run(H2ExitHookUnderStart.class, dir, "oauthlet");
        assertEquals("hook ended\nstart went on: migrated\n", out);
    }

    /**
     * Whole first starts (pool, migrations, a new signing key, the file's client saved), with pools
     * of ten, so that Hikari fills them while the schema is created.
     */
    @Test
    void firstStartWhenRepeatedOnNewFilesThenEveryOneOpensMigratesAndMakesItsKey(@TempDir Path dir) {
        String secretHash = new dev.oauthlet.crypto.SecretHasher(1_000).hash("app-secret");
        for (int i = 0; i < 12; i++) {
            String url = "jdbc:h2:file:" + dir.resolve("first-" + i);
            Oauthlet.builder().config(TestServers.config("storage:\n  url: " + url + "\n  pool-size: 10\nsigning:\n  algorithm: ES256\n"
                    + "audiences: [api]\nclients:\n  - id: app\n    secret-hash: '" + secretHash + "'\n    grants: [client_credentials]\n"))
                    .issuer(TestServers.ISSUER).build().close();
            try (JdbcStorage storage = new JdbcStorage(new StorageConfig(url, "", "", 1, Duration.ofSeconds(5),
                    Duration.ZERO, Duration.ZERO))) {
                assertEquals(1, storage.signingKeys().findAll().size(), url);
                assertTrue(storage.clients().findById("app").isPresent(), url);
            }
        }
    }

    /** A JVM that really exits, a moment into its third first start: no start breaks, and it exits promptly. */
    @Test
    void exitWhenFirstStartsUnderWayThenNoneFails(@TempDir Path dir) throws Exception {
        String out = run(FirstStartsUntilExit.class, dir, "80");
        assertTrue(out.contains("start 1 done"), "two first starts finished before the exit:\n" + out);
        assertFalse(List.of("exclusive mode", "90135", "already closed", "90121", "failed").stream().anyMatch(out::contains), out);
    }

    private static String run(Class<?> main, Path dir, String arg) throws IOException, InterruptedException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path log = dir.resolve("out.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classPath, main.getName(), dir.toString(), arg)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("the JVM did not exit within 60 s: " + Files.readString(log, StandardCharsets.UTF_8));
        }
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
