package dev.oauthlet.internal.jdbc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.config.StorageConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * First starts on new H2 files, the case of the once-seen "The database is open in exclusive mode;
 * can not open additional connections [90135]". In H2 2.3.232 that error has three sources:
 * {@code SET EXCLUSIVE} and {@code SHUTDOWN} (a session takes the database for itself; a new
 * connection is refused), and H2's own JVM shutdown hook closing a database under open sessions
 * (DB_CLOSE_ON_EXIT, on by default for files), which suspends them. Oauthlet issues neither
 * command. The hook is off for Oauthlet's pools ({@link JdbcStorage#jdbcUrl}); with it on, a JVM
 * that exits while a start migrates a new file breaks that start ("Database is already closed
 * [90121]", or 90135 when the suspension meets a running statement). Each run here is a JVM doing
 * first starts in a loop until it exits during one.
 */
class JdbcStorageExitTest {

    /** What H2 says when a start's session was suspended or its database closed under it. */
    private static final List<String> BROKEN = List.of("exclusive mode", "90135", "already closed", "90121", "failed");
    /** How far into the third first start each run exits: the pool opening, the migrations, the end. */
    private static final long[] INTO_START_MILLIS = {30, 80, 150, 300, 600};

    @Test
    void firstStartWhenRepeatedOnNewFilesThenEveryOneOpensAndMigrates(@TempDir Path dir) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (int i = 0; i < 10 && System.nanoTime() < deadline; i++) {
            String url = "jdbc:h2:file:" + dir.resolve("first-" + i);
            try (JdbcStorage storage = new JdbcStorage(new StorageConfig(url, "sa", "", 2, Duration.ofSeconds(5),
                    Duration.ZERO, Duration.ZERO))) {
                assertTrue(storage.clients().findAll().isEmpty(), url);
            }
        }
    }

    @Test
    void exitWhenFirstStartsUnderWayThenNoneFails(@TempDir Path dir) throws Exception {
        for (int run = 0; run < 3; run++) {
            String out = run(Files.createDirectory(dir.resolve("run-" + run)), INTO_START_MILLIS[run + 1], "");
            assertTrue(out.contains(" done"), "no first start finished before the exit:\n" + out);
            assertFalse(BROKEN.stream().anyMatch(out::contains), out);
        }
    }

    /** The check can fail: with H2's own close at exit left on, the same runs break the start under way. */
    @Test
    void exitWhenH2ClosesTheDatabaseItselfThenTheStartUnderWayFails(@TempDir Path dir) throws Exception {
        List<String> outs = new ArrayList<>();
        for (int run = 0; run < INTO_START_MILLIS.length; run++) {
            String out = run(Files.createDirectory(dir.resolve("run-" + run)), INTO_START_MILLIS[run], ";DB_CLOSE_ON_EXIT=TRUE");
            if (out.contains("start 2 failed: ") && BROKEN.stream().anyMatch(out::contains)) {
                return;
            }
            outs.add(out);
        }
        throw new AssertionError("no start was broken by the exit in " + outs.size() + " runs:\n" + String.join("\n---\n", outs));
    }

    private static String run(Path dir, long intoStartMillis, String urlSuffix) throws IOException, InterruptedException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path log = dir.resolve("out.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", classPath, FirstStartsUntilExit.class.getName(),
                dir.toString(), Long.toString(intoStartMillis), urlSuffix).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("the JVM did not exit within 60 s: " + Files.readString(log, StandardCharsets.UTF_8));
        }
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
